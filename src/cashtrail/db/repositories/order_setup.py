"""SQL repository of what orders are checked and expanded against: contract price terms and bundle definitions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.db import orders_tables as ot
from cashtrail.db.repositories.billing import chunks
from cashtrail.orders.bundles import Bundle, Component
from cashtrail.orders.terms import ContractTerms, PriceTerm


class SqlOrderSetupRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def terms_versions(self, contract_number: str) -> list[ContractTerms]:
        """Every version of a contract's price terms, oldest first."""
        return self.terms_of([contract_number]).get(contract_number, [])

    def terms_of(self, contract_numbers: Iterable[str]) -> dict[str, list[ContractTerms]]:
        t, i = ot.order_price_terms.c, ot.order_price_items.c
        found: dict[str, list[ContractTerms]] = {}
        for chunk in chunks(sorted(set(contract_numbers))):
            headers = self.session.execute(
                select(ot.order_price_terms).where(t.contract_number.in_(chunk)).order_by(t.valid_from)
            ).mappings()
            versions = {
                h["id"]: ContractTerms(**{k: v for k, v in h.items() if k != "id"}, id=h["id"]) for h in headers
            }
            for row in self.session.execute(select(ot.order_price_items).where(i.terms_id.in_(list(versions)))):
                versions[row.terms_id].items[row.sku] = PriceTerm(
                    row.sku, row.unit_price, row.discount_percent, row.max_quantity, tuple(row.requires)
                )
            for version in versions.values():
                found.setdefault(version.contract_number, []).append(version)
        return found

    def put_terms(self, terms: ContractTerms) -> None:
        """Create the version or replace the one with the same contract and start date (items included)."""
        t = ot.order_price_terms.c
        header = {k: v for k, v in vars(terms).items() if k not in ("id", "items")}
        stored = self.session.scalar(
            select(t.id).where(t.contract_number == terms.contract_number, t.valid_from == terms.valid_from)
        )
        if stored is None:
            stored = self.session.execute(insert(ot.order_price_terms).values(**header).returning(t.id)).scalar_one()
        else:
            self.session.execute(update(ot.order_price_terms).where(t.id == stored).values(**header))
            self.session.execute(delete(ot.order_price_items).where(ot.order_price_items.c.terms_id == stored))
        terms.id = stored
        rows = [_item_row(stored, item) for item in terms.items.values()]
        if rows:
            self.session.execute(insert(ot.order_price_items), rows)

    def bundles(self, skus: Iterable[str]) -> dict[str, Bundle]:
        b, c = ot.order_bundles.c, ot.order_bundle_components.c
        found: dict[str, Bundle] = {}
        for chunk in chunks(sorted(set(skus))):
            headers = {r.id: r for r in self.session.execute(select(ot.order_bundles).where(b.sku.in_(chunk)))}
            parts: dict[int, list[Component]] = {i: [] for i in headers}
            query = select(ot.order_bundle_components).where(c.bundle_id.in_(list(headers))).order_by(c.position)
            for row in self.session.execute(query):
                parts[row.bundle_id].append(Component(row.sku, row.quantity, row.share_percent))
            for i, h in headers.items():
                found[h.sku] = Bundle(h.sku, h.name, h.allocation, tuple(parts[i]), id=i)
        return found

    def put_bundle(self, bundle: Bundle) -> None:
        """Create the bundle or replace the stored definition of the same SKU."""
        b = ot.order_bundles.c
        header = {"sku": bundle.sku, "name": bundle.name, "allocation": bundle.allocation}
        stored = self.session.scalar(select(b.id).where(b.sku == bundle.sku))
        if stored is None:
            stored = self.session.execute(insert(ot.order_bundles).values(**header).returning(b.id)).scalar_one()
        else:
            self.session.execute(update(ot.order_bundles).where(b.id == stored).values(**header))
            self.session.execute(
                delete(ot.order_bundle_components).where(ot.order_bundle_components.c.bundle_id == stored)
            )
        bundle.id = stored
        rows = [
            {"bundle_id": stored, "position": n, "sku": c.sku, "quantity": c.quantity, "share_percent": c.share_percent}
            for n, c in enumerate(bundle.components, start=1)
        ]
        self.session.execute(insert(ot.order_bundle_components), rows)


def _item_row(terms_id: int, item: PriceTerm) -> dict[str, Any]:
    return {
        "terms_id": terms_id,
        "sku": item.sku,
        "unit_price": item.unit_price,
        "discount_percent": item.discount_percent,
        "max_quantity": item.max_quantity,
        "requires": list(item.requires),
    }
