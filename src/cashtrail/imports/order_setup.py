"""Importing what orders are checked and expanded against: contract price terms and bundle definitions.

``contract-prices``: one row per product of a terms version, keyed by ``CONTRACT@VALID_FROM|SKU``; the version's
customer, currency, end date and description repeat on its rows and must agree. ``bundles``: one row per component,
keyed by ``BUNDLE|COMPONENT``; the bundle's name and allocation repeat on its rows and must agree. A file adds and
changes items and components but never removes one from a stored version or bundle. Every version and bundle is
checked with the domain's rules (and against the catalog) before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TypeVar

from cashtrail.catalog.model import Product
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Choice, Column, IsoDate, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.orders.bundles import Allocation, Bundle, Component, check_bundle
from cashtrail.orders.setup_services import apply_bundle, apply_terms
from cashtrail.orders.terms import ContractTerms, PriceTerm, check_terms
from cashtrail.ports import UnitOfWork

TERMS_SPEC = KindSpec(
    kind="contract-prices",
    key=("contract", "valid_from", "sku"),
    key_format="{0}@{1}|{2}",
    columns=(
        Column("contract", Text(32), "Contract (or frame agreement) number the orders name.", "FRAME-1", True),
        Column("customer", Text(32), "The contract's customer.", "C0001", required=True),
        Column("currency", Text(8, "ISO 4217 code"), "Currency of the prices.", "EUR", required=True),
        Column("valid_from", IsoDate(), "First day of this version of the terms.", "2026-01-01", required=True),
        Column("valid_to", IsoDate(), "Last day (inclusive); blank means open-ended.", "2026-12-31"),
        Column("sku", Text(64), "Product on the contract.", "MFP-C35", required=True),
        Column("unit_price", Number(6, 19, Decimal(0)), "Contract unit price.", "6000.00", required=True),
        Column("discount_percent", Number(4, 7, Decimal(0)), "Contract discount; blank: none.", "5", default=None),
        Column("max_quantity", Number(6, 19, Decimal(0)), "Cap over all orders while valid; blank: none.", "40"),
        Column(
            "requires", Text(500), "SKUs that must be on the same order, separated by `;`.", "SVC-INSTALL", default=""
        ),
        Column("description", Text(200), "What the terms are.", "Frame agreement 2026", default=""),
    ),
)
BUNDLE_SPEC = KindSpec(
    kind="bundles",
    key=("bundle", "component"),
    key_format="{0}|{1}",
    columns=(
        Column("bundle", Text(64), "The bundle's SKU (a catalog product).", "BDL-OFFICE", required=True),
        Column("name", Text(200), "Bundle name.", "Office print bundle", required=True),
        Column("allocation", Choice(tuple(Allocation)), "How the price is split.", "relative", required=True),
        Column("component", Text(64), "Component SKU.", "MFP-C35", required=True),
        Column("quantity", Number(6, 19, Decimal("0.000001")), "Per bundle; blank: 1.", "1", default=None),
        Column("share_percent", Number(4, 7, Decimal(0)), "Fixed split: the component's share.", "80", default=None),
    ),
)


def _requires(row: ParsedRow) -> tuple[str, ...]:
    return tuple(s.strip() for s in row.text("requires").split(";") if s.strip())


def _item(row: ParsedRow) -> PriceTerm:
    return PriceTerm(
        row.text("sku"),
        row.decimal("unit_price") or Decimal(0),
        row.decimal("discount_percent") or Decimal(0),
        row.decimal("max_quantity"),
        _requires(row),
    )


VersionKey = tuple[str, date]
K = TypeVar("K", str, VersionKey)  # what groups an import's rows into one stored aggregate


@dataclass
class TermsBatch:
    versions: dict[VersionKey, ContractTerms] = field(default_factory=dict)
    planned: list[Planned] = field(default_factory=list)
    keys: dict[str, VersionKey] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        def store(version: VersionKey, first: Planned) -> int | None:
            return apply_terms(uow, clock, actor, self.versions[version], reason=reason(first))[0].id

        return _grouped_writes(changed, self.keys, "order_terms", store)


def _grouped_writes(
    changed: Sequence[Planned],
    keys: Mapping[str, K],
    entity_type: str,
    store: Callable[[K, Planned], int | None],
) -> list[Written]:
    """Store each group of changed rows once (rows of one contract version, or of one bundle, make one aggregate)
    and report every row as created or updated with the stored aggregate's id."""
    groups: dict[K, list[Planned]] = defaultdict(list)
    for item in changed:
        groups[keys[item.external_id]].append(item)
    written: list[Written] = []
    for key, items in sorted(groups.items()):
        ref = StoredRef(store(key, items[0]))
        kinds: list[Outcome] = ["updated" if i.exists else "created" for i in items]
        written += [Written(i.external_id, entity_type, ref, k) for i, k in zip(items, kinds, strict=True)]
    return written


def prepare_terms(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Merge each version's rows into its stored items (one query per kind) and check every version."""
    good = [r for r in rows if not r.bad]
    stored = uow.order_setup.terms_of({r.text("contract") for r in good})
    products = uow.products.by_skus({r.text("sku") for r in good} | {s for r in good for s in _requires(r)})
    customers = uow.customers.by_numbers({r.text("customer") for r in good})
    batch, errors = TermsBatch(), []
    first: dict[VersionKey, ParsedRow] = {}
    for row in good:
        key = (row.text("contract"), row.day("valid_from") or date.min)
        head = first.setdefault(key, row)
        errors += _disagreements(row, head, ("customer", "currency", "valid_to", "description"))
        errors += _unknown(row, products, ("sku",), _requires(row))
        if row.text("customer") not in customers:
            errors.append(row.error("customer", "is not a stored customer", row.text("customer")))
        versions = stored.get(key[0], [])
        known = next((v for v in versions if v.valid_from == key[1]), None)
        version = batch.versions.setdefault(key, _version(row, known))
        item = _item(row)
        batch.planned.append(
            Planned(
                row.row, TERMS_SPEC.external_id(row), content_hash(TERMS_SPEC, row), row.text("sku") in version.items
            )
        )
        version.items[item.sku] = item
        batch.keys[TERMS_SPEC.external_id(row)] = key
    for key, version in batch.versions.items():
        problems = check_terms(version, stored.get(key[0], []))
        errors += [first[key].error(_column(p.field), p.message, p.value) for p in problems]
    return batch, errors


def _version(row: ParsedRow, known: ContractTerms | None) -> ContractTerms:
    return ContractTerms(
        row.text("contract"),
        row.text("customer"),
        row.text("currency").upper(),
        row.day("valid_from") or date.min,
        row.day("valid_to"),
        row.text("description"),
        dict(known.items) if known is not None else {},
    )


def _column(domain_field: str) -> str:
    if domain_field.startswith("items["):
        return domain_field.rsplit(".", 1)[-1]
    return {"contract": "contract"}.get(domain_field, domain_field)


def _disagreements(row: ParsedRow, head: ParsedRow, columns: Sequence[str]) -> list[FieldError]:
    if row is head:
        return []
    return [
        row.error(c, f"differs from row {head.row} of the same version", row.values.get(c))
        for c in columns
        if row.values.get(c) != head.values.get(c)
    ]


def _unknown(
    row: ParsedRow, products: dict[str, Product], columns: Sequence[str], more: Sequence[str]
) -> list[FieldError]:
    errors = [row.error(c, "is not a stored product SKU", row.text(c)) for c in columns if row.text(c) not in products]
    return errors + [row.error("requires", "is not a stored product SKU", sku) for sku in more if sku not in products]


@dataclass
class BundleBatch:
    bundles: dict[str, Bundle] = field(default_factory=dict)
    planned: list[Planned] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        def store(sku: str, first: Planned) -> int | None:
            return apply_bundle(uow, clock, actor, self.bundles[sku], reason=reason(first))[0].id

        return _grouped_writes(changed, self.keys, "bundle", store)


def prepare_bundles(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Merge each bundle's rows into its stored definition and check it against the catalog."""
    good = [r for r in rows if not r.bad]
    stored = uow.order_setup.bundles({r.text("bundle") for r in good})
    products = uow.products.by_skus({r.text("bundle") for r in good} | {r.text("component") for r in good})
    batch, errors = BundleBatch(), []
    first: dict[str, ParsedRow] = {}
    for row in good:
        sku = row.text("bundle")
        head = first.setdefault(sku, row)
        errors += _disagreements(row, head, ("name", "allocation"))
        errors += _unknown(row, products, ("bundle", "component"), ())
        known = stored.get(sku)
        bundle = batch.bundles.setdefault(
            sku, Bundle(sku, row.text("name"), row.text("allocation"), known.components if known else ())
        )
        component = Component(
            row.text("component"), row.decimal("quantity") or Decimal(1), row.decimal("share_percent")
        )
        exists = any(c.sku == component.sku for c in bundle.components)
        parts = [component if c.sku == component.sku else c for c in bundle.components]
        batch.bundles[sku] = replace(bundle, components=tuple(parts if exists else [*parts, component]))
        external = BUNDLE_SPEC.external_id(row)
        batch.keys[external] = sku
        batch.planned.append(Planned(row.row, external, content_hash(BUNDLE_SPEC, row), exists))
    for sku, bundle in batch.bundles.items():
        errors += [first[sku].error(_bundle_column(p.field), p.message, p.value) for p in check_bundle(bundle)]
    return batch, errors


def _bundle_column(domain_field: str) -> str:
    return {"components": "component", "allocation": "allocation"}.get(domain_field, domain_field)


TERMS_KIND = Kind(spec=TERMS_SPEC, permission=Permission.ORDERS_WRITE, entity_type="order_terms", prepare=prepare_terms)
BUNDLES_KIND = Kind(spec=BUNDLE_SPEC, permission=Permission.ORDERS_WRITE, entity_type="bundle", prepare=prepare_bundles)
