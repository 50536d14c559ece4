"""SQL repository of the collector's work: activities, promises (and the payments that keep them), targets and
collected cash, credit exposure and holds, write-offs and recoveries (Core)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from cashtrail.db import collections_tables as ct
from cashtrail.db import ledger_tables as lt
from cashtrail.db import tables as t
from cashtrail.db.repositories.billing import chunks
from cashtrail.dunning.activities import PromiseRecord, PromiseStatus
from cashtrail.dunning.write_offs import WriteOff
from cashtrail.ledger.model import ItemKind
from cashtrail.money import Money


class SqlCollectionWorkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_activity(
        self, customer_number: str, kind: str, summary: str, on: date, by: str, at: datetime, escalated_to: str | None
    ) -> int:
        values = {
            "customer_number": customer_number,
            "kind": str(kind),
            "summary": summary,
            "occurred_on": on,
            "recorded_by": by,
            "recorded_at": at,
            "escalated_to": escalated_to,
        }
        table = ct.collection_activities
        return int(self.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())

    def activities(self, customer_number: str, limit: int = 100) -> list[dict[str, Any]]:
        a = ct.collection_activities.c
        query = select(ct.collection_activities).where(a.customer_number == customer_number)
        return [dict(r._mapping) for r in self.session.execute(query.order_by(a.id.desc()).limit(limit))]

    def add_promise(self, promise: PromiseRecord) -> int:
        table = ct.payment_promises
        values = {
            "activity_id": promise.activity_id,
            "customer_number": promise.customer_number,
            "currency": promise.amount.currency,
            "amount": promise.amount.amount,
            "promised_on": promise.promised_on,
            "made_on": promise.made_on,
            "item_ids": list(promise.item_ids),
            "status": str(promise.status),
            "paid": Decimal(0),
            "collector": promise.collector,
        }
        return int(self.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())

    def save_promise(self, promise: PromiseRecord) -> None:
        table = ct.payment_promises
        paid = promise.paid.amount if promise.paid is not None else Decimal(0)
        self.session.execute(
            update(table)
            .where(table.c.id == promise.id)
            .values(status=str(promise.status), paid=paid.quantize(Decimal("0.0001")), settled_on=promise.settled_on)
        )

    def promises(self, *, status: str | None = None, customer: str | None = None) -> list[PromiseRecord]:
        p = ct.payment_promises.c
        query = select(ct.payment_promises).order_by(p.promised_on, p.id)
        if status:
            query = query.where(p.status == status)
        if customer:
            query = query.where(p.customer_number == customer)
        return [_promise(r) for r in self.session.execute(query)]

    def promised_until(self, customers: Sequence[str], as_of: date) -> dict[str, dict[int | None, date]]:
        p = ct.payment_promises.c
        found: dict[str, dict[int | None, date]] = defaultdict(dict)
        for batch in chunks(sorted(set(customers))):
            query = select(p.customer_number, p.item_ids, p.promised_on).where(
                p.customer_number.in_(batch), p.status == PromiseStatus.OPEN, p.promised_on >= as_of
            )
            for r in self.session.execute(query):
                for key in list(r.item_ids) or [None]:
                    current = found[r.customer_number].get(key)
                    found[r.customer_number][key] = max(r.promised_on, current) if current else r.promised_on
        return dict(found)

    def broken_count(self, customers: Sequence[str], since: date, until: date) -> dict[str, int]:
        """Promises broken by ``until``: due in ``[since, until)`` and not kept (a broken promise's date has passed)."""
        p = ct.payment_promises.c
        found: dict[str, int] = {}
        for batch in chunks(sorted(set(customers))):
            query = (
                select(p.customer_number, func.count())
                .where(
                    p.customer_number.in_(batch),
                    p.status == PromiseStatus.BROKEN,
                    p.promised_on >= since,
                    p.promised_on < until,
                )
                .group_by(p.customer_number)
            )
            found.update({r[0]: int(r[1]) for r in self.session.execute(query)})
        return found

    def payments(
        self, customer_number: str, item_ids: Sequence[int], start: date, end: date
    ) -> list[tuple[date, Money]]:
        """Cash applied from payments to the customer's items (or the named ones) between ``start`` and ``end``."""
        a = lt.item_applications.c
        debit, credit = aliased(lt.open_items), aliased(lt.open_items)
        query = (
            select(a.applied_on, a.amount, a.currency)
            .join(debit, debit.c.id == a.debit_item_id)
            .join(credit, credit.c.id == a.credit_item_id)
            .where(
                debit.c.customer_number == customer_number,
                credit.c.kind == ItemKind.PAYMENT,
                a.reversed_at.is_(None),
                a.applied_on >= start,
                a.applied_on <= end,
            )
        )
        if item_ids:
            query = query.where(a.debit_item_id.in_(list(item_ids)))
        return [(r.applied_on, Money(r.amount, r.currency)) for r in self.session.execute(query)]

    def open_amounts_by_customer(self) -> dict[str, Decimal]:
        o = lt.open_items.c
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for r in self.session.execute(select(o.customer_number, o.open_amount).where(o.closed_on.is_(None))):
            totals[r.customer_number] += r.open_amount
        return dict(totals)

    def set_target(self, collector: str, month: str, target: Money) -> None:
        table = ct.collection_targets
        where = and_(table.c.collector == collector, table.c.month == month, table.c.currency == target.currency)
        done = self.session.execute(update(table).where(where).values(amount=target.amount))
        if not done.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                insert(table).values(collector=collector, month=month, currency=target.currency, amount=target.amount)
            )

    def targets(self, month: str) -> list[tuple[str, Money]]:
        g = ct.collection_targets.c
        query = select(g.collector, g.amount, g.currency).where(g.month == month).order_by(g.collector)
        return [(r.collector, Money(r.amount, r.currency)) for r in self.session.execute(query)]

    def collected_by_customer(self, start: date, end: date) -> dict[str, dict[str, Decimal]]:
        a = lt.item_applications.c
        debit, credit = aliased(lt.open_items), aliased(lt.open_items)
        query = (
            select(debit.c.customer_number, a.amount, a.currency)
            .join(debit, debit.c.id == a.debit_item_id)
            .join(credit, credit.c.id == a.credit_item_id)
            .where(credit.c.kind == ItemKind.PAYMENT, a.reversed_at.is_(None), a.applied_on.between(start, end))
        )
        found: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for r in self.session.execute(query):
            found[r.customer_number][r.currency] += r.amount
        return {c: dict(v) for c, v in found.items()}

    def credit_exposure(self, today: date) -> dict[str, dict[str, Any]]:
        """Per customer with open items: open AR, credit limit, and days past due of each overdue item."""
        o, c = lt.open_items.c, t.customers.c
        query = (
            select(o.id, o.customer_number, o.open_amount, o.due_date, o.kind, c.credit_limit)
            .join(t.customers, c.number == o.customer_number)
            .where(o.closed_on.is_(None))
        )
        found: dict[str, dict[str, Any]] = {}
        for r in self.session.execute(query):
            facts = found.setdefault(
                r.customer_number, {"open": Decimal(0), "limit": r.credit_limit, "overdue": {}, "overdue_ids": []}
            )
            facts["open"] += r.open_amount
            if r.kind == ItemKind.INVOICE and r.due_date < today and r.open_amount > 0:
                facts["overdue"][r.id] = (today - r.due_date).days
                facts["overdue_ids"].append(r.id)
        return found

    def active_holds(self) -> dict[str, list[dict[str, Any]]]:
        h = ct.credit_holds.c
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.session.execute(select(ct.credit_holds).where(h.released_on.is_(None)).order_by(h.id)):
            found[r.customer_number].append(dict(r._mapping))
        return dict(found)

    def add_hold(self, customer_number: str, reason: str, detail: str, on: date, by: str) -> int:
        table = ct.credit_holds
        values = {
            "customer_number": customer_number,
            "reason": reason,
            "detail": detail,
            "placed_on": on,
            "placed_by": by,
        }
        return int(self.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())

    def release_hold(self, hold_id: int, on: date, by: str) -> bool:
        table = ct.credit_holds
        done = self.session.execute(
            update(table)
            .where(table.c.id == hold_id, table.c.released_on.is_(None))
            .values(released_on=on, released_by=by)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def add_write_off(self, write_off: WriteOff) -> None:
        table = ct.write_offs
        write_off.id = int(
            self.session.execute(insert(table).values(**_write_off_row(write_off)).returning(table.c.id)).scalar_one()
        )

    def save_write_off(self, write_off: WriteOff) -> None:
        table = ct.write_offs
        self.session.execute(update(table).where(table.c.id == write_off.id).values(**_write_off_row(write_off)))

    def get_write_off(self, write_off_id: int) -> WriteOff | None:
        row = self.session.execute(select(ct.write_offs).where(ct.write_offs.c.id == write_off_id)).first()
        return None if row is None else _write_off(row)

    def write_offs(self, status: str | None = None) -> list[WriteOff]:
        w = ct.write_offs.c
        query = select(ct.write_offs).order_by(w.id.desc())
        if status:
            query = query.where(w.status == status)
        return [_write_off(r) for r in self.session.execute(query)]

    def add_recovery(self, write_off_id: int, amount: Money, on: date, by: str, at: datetime) -> int:
        r = ct.write_off_recoveries
        self.session.execute(
            insert(r).values(
                write_off_id=write_off_id, amount=amount.amount, received_on=on, recorded_by=by, recorded_at=at
            )
        )
        return int(
            self.session.scalar(select(func.count()).select_from(r).where(r.c.write_off_id == write_off_id)) or 0
        )


def _promise(r: Any) -> PromiseRecord:
    return PromiseRecord(
        r.customer_number,
        Money(r.amount, r.currency),
        r.promised_on,
        r.made_on,
        tuple(int(i) for i in r.item_ids),
        r.status,
        Money(r.paid, r.currency),
        r.settled_on,
        r.collector,
        r.activity_id,
        r.id,
    )


def _write_off_row(w: WriteOff) -> dict[str, Any]:
    return {
        "item_id": w.item_id,
        "customer_number": w.customer_number,
        "currency": w.amount.currency,
        "amount": w.amount.amount,
        "reason": w.reason,
        "status": w.status,
        "prepared_by": w.prepared_by,
        "prepared_at": w.prepared_at,
        "decided_by": w.decided_by,
        "decided_at": w.decided_at,
        "posted_on": w.posted_on,
        "recovered": (w.recovered or Money.zero(w.amount.currency)).amount,
    }


def _write_off(r: Any) -> WriteOff:
    return WriteOff(
        r.item_id,
        r.customer_number,
        Money(r.amount, r.currency),
        r.reason,
        r.prepared_by,
        r.prepared_at,
        r.status,
        r.decided_by,
        r.decided_at,
        r.posted_on,
        Money(r.recovered, r.currency),
        r.id,
    )
