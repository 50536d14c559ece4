"""SQL repository of RMAs and the invoice lines their credits covered."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.db import orders_tables as ot
from cashtrail.db.repositories.billing import chunks
from cashtrail.orders.rma import Rma

_SIX = Decimal("0.000001")
_FIELDS = (
    "line_no",
    "rma_type",
    "reason",
    "disposition",
    "status",
    "requested_by",
    "requested_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "received_at",
    "closed_by",
    "closed_at",
    "resolution_note",
    "rebill_key",
)


class SqlRmaRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, rma: Rma, order_id: int) -> None:
        """Store a new RMA; its number is ``RMA-`` and its id, six digits (so it never collides)."""
        placeholder = f"new-{uuid.uuid4().hex[:16]}"
        rma.id = self.session.execute(
            insert(ot.rmas).values(number=placeholder, order_id=order_id, **_row(rma)).returning(ot.rmas.c.id)
        ).scalar_one()
        rma.number = f"RMA-{rma.id:06d}"
        self.session.execute(update(ot.rmas).where(ot.rmas.c.id == rma.id).values(number=rma.number))

    def save(self, rma: Rma) -> None:
        self.session.execute(update(ot.rmas).where(ot.rmas.c.id == rma.id).values(**_row(rma)))

    def get_by_number(self, number: str) -> Rma | None:
        found = self._load(ot.rmas.c.number == number)
        return found[0] if found else None

    def page(
        self, *, after_id: int | None, limit: int | None, status: Sequence[str] = (), order: str | None = None
    ) -> list[Rma]:
        conditions: list[Any] = []
        if after_id is not None:
            conditions.append(ot.rmas.c.id > after_id)
        if status:
            conditions.append(ot.rmas.c.status.in_(status))
        if order:
            conditions.append(ot.orders.c.number == order)
        return self._load(and_(*conditions) if conditions else None, limit=limit)

    def credited_lines(self, invoice_ids: Iterable[int]) -> set[tuple[int, int]]:
        """The (invoice id, line index) pairs some RMA credited already."""
        c = ot.rma_credited_lines.c
        found: set[tuple[int, int]] = set()
        for chunk in chunks(sorted(set(invoice_ids))):
            found |= {
                (i, n)
                for i, n in self.session.execute(select(c.invoice_id, c.line_index).where(c.invoice_id.in_(chunk)))
            }
        return found

    def add_credited_lines(self, rma_id: int, lines: Sequence[tuple[int, int]]) -> None:
        rows = [{"rma_id": rma_id, "invoice_id": i, "line_index": n} for i, n in lines]
        if rows:
            self.session.execute(insert(ot.rma_credited_lines), rows)

    def _load(self, condition: Any, *, limit: int | None = None) -> list[Rma]:
        r, o = ot.rmas.c, ot.orders.c
        query = select(ot.rmas, o.number.label("order_number")).select_from(ot.rmas.join(ot.orders, o.id == r.order_id))
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(r.id)
        if limit is not None:
            query = query.limit(limit)
        return [_rma(row) for row in self.session.execute(query).mappings()]


def _row(rma: Rma) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(rma, name) for name in _FIELDS}
    row["quantity"] = rma.quantity.quantize(_SIX, ROUND_HALF_UP)
    row["received_quantity"] = (
        None if rma.received_quantity is None else rma.received_quantity.quantize(_SIX, ROUND_HALF_UP)
    )
    row["serials"] = list(rma.serials)
    row["credit_note_ids"] = list(rma.credit_note_ids)
    return row


def _rma(row: Any) -> Rma:
    return Rma(
        number=row["number"],
        order_number=row["order_number"],
        quantity=row["quantity"],
        serials=tuple(row["serials"]),
        received_quantity=row["received_quantity"],
        credit_note_ids=list(row["credit_note_ids"]),
        id=row["id"],
        **{name: row[name] for name in _FIELDS},
    )
