"""SQL repository of pending charges (one-off charges waiting for a bill run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.billing.charges import Charge
from cashtrail.billing.pending import PendingState
from cashtrail.contracts.terms import Period
from cashtrail.db import billing_tables as bt
from cashtrail.db.repositories.billing import chunks
from cashtrail.money import Money

_SIX = Decimal("0.000001")


class SqlPendingChargeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        t = bt.pending_charges.c
        for chunk in chunks(sorted(set(keys))):
            found.update(self.session.scalars(select(t.key).where(t.key.in_(chunk))))
        return found

    def add_many(self, charges: Sequence[Charge], *, origin: str, origin_ref: str, at: datetime, by: str) -> None:
        rows = [_row(c, origin, origin_ref, at, by) for c in charges]
        if rows:
            self.session.execute(insert(bt.pending_charges), rows)

    def cancel(self, key: str, *, at: datetime, by: str, reason: str) -> None:
        self.session.execute(
            update(bt.pending_charges)
            .where(bt.pending_charges.c.key == key)
            .values(cancelled_at=at, cancelled_by=by, cancel_reason=reason)
        )

    def states(self, keys: Sequence[str]) -> dict[str, PendingState]:
        found: dict[str, PendingState] = {}
        for chunk in chunks(sorted(set(keys))):
            found.update({s.key: s for s in self._states(bt.pending_charges.c.key.in_(chunk))})
        return found

    def of_origin(self, origin: str, origin_ref: str) -> list[PendingState]:
        t = bt.pending_charges.c
        return self._states(and_(t.origin == origin, t.origin_ref == origin_ref))

    def _states(self, condition: Any) -> list[PendingState]:
        p, b, d, r = bt.pending_charges, bt.billed_charges, bt.draft_invoices, bt.bill_runs
        query = (
            select(p.c.key, p.c.origin, p.c.origin_ref, p.c.created_at, p.c.cancelled_at, r.c.period, d.c.id)
            .select_from(p.outerjoin(b, b.c.key == p.c.key).outerjoin(d, d.c.id == b.c.draft_invoice_id))
            .outerjoin(r, r.c.id == d.c.bill_run_id)
            .where(condition)
            .order_by(p.c.id)
        )
        return [PendingState(*row) for row in self.session.execute(query)]

    def charges_of_origin(self, origin: str, origin_ref: str) -> list[Charge]:
        """The charges one origin record handed to billing that were not cancelled, in the order they came."""
        p = bt.pending_charges.c
        query = select(bt.pending_charges).where(
            p.origin == origin, p.origin_ref == origin_ref, p.cancelled_at.is_(None)
        )
        return [_charge(r) for r in self.session.execute(query.order_by(p.id))]

    def due(self, until: date, *, customers: tuple[str, str] | None = None) -> list[Charge]:
        """Charges not billed nor cancelled whose period starts by ``until`` (for the shard ``customers``)."""
        p, b = bt.pending_charges, bt.billed_charges
        query = (
            select(p)
            .select_from(p.outerjoin(b, b.c.key == p.c.key))
            .where(b.c.id.is_(None), p.c.cancelled_at.is_(None), p.c.period_start <= until)
            .order_by(p.c.id)
        )
        if customers is not None:
            query = query.where(p.c.customer_number >= customers[0], p.c.customer_number <= customers[1])
        return [_charge(r) for r in self.session.execute(query)]


def _row(c: Charge, origin: str, origin_ref: str, at: datetime, by: str) -> dict[str, Any]:
    return {
        "key": c.key,
        "origin": origin,
        "origin_ref": origin_ref,
        "contract_number": c.contract_number,
        "customer_number": c.customer_number,
        "kind": c.kind,
        "description": c.description[:300],
        "period_start": c.period.start,
        "period_end": c.period.end,
        "quantity": c.quantity.quantize(_SIX, ROUND_HALF_UP),
        "unit_price": c.unit_price.quantize(_SIX, ROUND_HALF_UP),
        "amount": c.amount.amount,
        "currency": c.amount.currency,
        "formula": c.formula,
        "site": c.site,
        "asset": c.asset,
        "source": dict(c.source),
        "tax_category": c.tax_category,
        "supply": c.supply,
        "created_at": at,
        "created_by": by,
    }


def _charge(r: Any) -> Charge:
    return Charge(
        r.key,
        r.contract_number,
        r.customer_number,
        r.kind,
        r.description,
        Period(r.period_start, r.period_end),
        r.quantity,
        r.unit_price,
        Money(r.amount, r.currency),
        r.formula,
        r.site,
        r.asset,
        r.source,
        tax_category=r.tax_category,
        supply=r.supply,
    )
