"""SQL repository of pending charges (Core, in bulk)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cashtrail.billing.charges import Charge
from cashtrail.contracts.terms import Period
from cashtrail.db import billing_tables as bt
from cashtrail.db import pending_tables as pt
from cashtrail.db.repositories.billing import chunks
from cashtrail.money import Money


class SqlPendingChargeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, charges: Sequence[Charge], *, origin: str, origin_ref: str, at: datetime, by: str) -> int:
        """Store charges whose key is not stored yet (a withdrawn one comes back); returns how many were added."""
        t = pt.pending_charges.c
        stored = {
            key: withdrawn
            for chunk in chunks(sorted({c.key for c in charges}))
            for key, withdrawn in self.session.execute(select(t.key, t.withdrawn_at).where(t.key.in_(chunk)))
        }
        added = 0
        for c in charges:
            if c.key in stored:
                if stored[c.key] is not None:
                    self.session.execute(update(pt.pending_charges).where(t.key == c.key).values(withdrawn_at=None))
                    added += 1
                continue
            self.session.execute(pt.pending_charges.insert().values(**_row(c, origin, origin_ref, at, by)))
            added += 1
        return added

    def withdraw(self, origin_ref: str, at: datetime) -> None:
        """Withdraw the unbilled charges of ``origin_ref`` (billed ones stay billed)."""
        t = pt.pending_charges.c
        billed = set(self.billed_drafts([k for k, _ in self._keys(origin_ref)]))
        unbilled = [k for k, _ in self._keys(origin_ref) if k not in billed]
        if unbilled:
            self.session.execute(update(pt.pending_charges).where(t.key.in_(unbilled)).values(withdrawn_at=at))

    def _keys(self, origin_ref: str) -> list[tuple[str, Any]]:
        t = pt.pending_charges.c
        return [
            (k, w) for k, w in self.session.execute(select(t.key, t.withdrawn_at).where(t.origin_ref == origin_ref))
        ]

    def of_origin(self, origin_ref: str) -> list[str]:
        """Keys of the charges of ``origin_ref`` that are not withdrawn."""
        return [k for k, withdrawn in self._keys(origin_ref) if withdrawn is None]

    def due(self, contract_numbers: Sequence[str], until: date) -> list[Charge]:
        """Charges of these contracts whose period starts on or before ``until``, not withdrawn and not billed."""
        t, b = pt.pending_charges.c, bt.billed_charges.c
        found: list[Charge] = []
        for chunk in chunks(sorted(set(contract_numbers))):
            query = (
                select(pt.pending_charges)
                .outerjoin(bt.billed_charges, b.key == t.key)
                .where(t.contract_number.in_(chunk), t.period_start <= until, t.withdrawn_at.is_(None), b.id.is_(None))
                .order_by(t.id)
            )
            found += [_charge(r) for r in self.session.execute(query)]
        return found

    def billed_drafts(self, keys: Sequence[str]) -> dict[str, int]:
        """For each billed key, the draft invoice that billed it."""
        b = bt.billed_charges.c
        found: dict[str, int] = {}
        for chunk in chunks(sorted(set(keys))):
            found.update(dict(self.session.execute(select(b.key, b.draft_invoice_id).where(b.key.in_(chunk))).all()))
        return found


def _row(c: Charge, origin: str, origin_ref: str, at: datetime, by: str) -> dict[str, Any]:
    return {
        "key": c.key,
        "contract_number": c.contract_number,
        "customer_number": c.customer_number,
        "kind": c.kind,
        "description": c.description[:300],
        "period_start": c.period.start,
        "period_end": c.period.end,
        "quantity": c.quantity,
        "unit_price": c.unit_price,
        "amount": c.amount.amount,
        "currency": c.amount.currency,
        "formula": c.formula,
        "source": dict(c.source),
        "origin": origin,
        "origin_ref": origin_ref,
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
        source=dict(r.source or {}),
    )
