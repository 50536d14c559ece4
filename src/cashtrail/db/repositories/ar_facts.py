"""The AR read model behind the metrics: item and application facts in integer ten-thousandths, kept up to date
incrementally from the ledger, and the as-of aggregates over them (Core, set-based).

Why a read model (D-505): on SQLite the ledger's amounts are exact decimal text, which SQL cannot sum without going
through float, so an as-of aging over a million items would have to load every row into Python. The facts hold the
same amounts as integers (× 10⁴, the scale of the amount columns), so ``SUM`` is exact on both databases and the
aging is a handful of grouped index scans. Facts are append-only like the ledger; a reversed application gets its
reversal date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from cashtrail.db import collections_tables as ct
from cashtrail.db import ledger_tables as lt
from cashtrail.db import tables as t
from cashtrail.db.repositories.billing import chunks
from cashtrail.ledger.model import ItemKind

BATCH = 20_000
COMPACT_AFTER = 5_000
#: (currency, kind, due date, day, source) → amount × 10⁴
Deltas = dict[tuple[str, str, date, date, str], int]


def to_e4(amount: Decimal) -> int:
    """An amount of at most 4 decimals as an integer of ten-thousandths (exact)."""
    return int(amount.scaleb(4).to_integral_exact())


class SqlArFactsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _watermark(self, name: str) -> int:
        w = ct.ar_fact_watermarks.c
        found = self.session.scalar(select(w.last_id).where(w.name == name))
        if found is None:
            self.session.execute(insert(ct.ar_fact_watermarks).values(name=name, last_id=0))
            return 0
        return int(found)

    def _set_watermark(self, name: str, last_id: int) -> None:
        w = ct.ar_fact_watermarks
        self.session.execute(update(w).where(w.c.name == name).values(last_id=last_id))

    def refresh(self) -> int:
        """Catch up with the ledger; the day deltas of everything new are summed first and written once, and the
        table is compacted when a refresh brought many rows (a first load, or a long pause)."""
        deltas: Deltas = defaultdict(int)
        changed = self._refresh_items(deltas) + self._refresh_applications(deltas)
        changed += self._refresh_reversals(deltas) + self._refresh_cancellations(deltas)
        rows = [
            {"currency": c, "kind": k, "due_date": due, "day": day, "source": src, "amount_e4": amount}
            for (c, k, due, day, src), amount in deltas.items()
            if amount
        ]
        for start in range(0, len(rows), BATCH):
            self.session.execute(insert(ct.ar_daily_deltas), rows[start : start + BATCH])
        if len(rows) > COMPACT_AFTER:
            self.compact()
        return changed

    def compact(self) -> int:
        """Merge the rows of the day deltas that share a key (sums unchanged); returns the rows left."""
        d = ct.ar_daily_deltas.c
        keys = (d.currency, d.kind, d.due_date, d.day, d.source)
        merged = self.session.execute(select(*keys, func.sum(d.amount_e4)).group_by(*keys)).all()
        self.session.execute(delete(ct.ar_daily_deltas))
        rows = [
            {"currency": c, "kind": k, "due_date": due, "day": day, "source": src, "amount_e4": int(amount)}
            for c, k, due, day, src, amount in merged
            if amount
        ]
        for start in range(0, len(rows), BATCH):
            self.session.execute(insert(ct.ar_daily_deltas), rows[start : start + BATCH])
        return len(rows)

    def _refresh_items(self, deltas: Deltas) -> int:
        o = lt.open_items.c
        last, added = self._watermark("items"), 0
        columns = (o.id, o.customer_number, o.kind, o.currency, o.amount, o.document_date, o.due_date, o.cancelled_on)
        while True:
            rows = self.session.execute(select(*columns).where(o.id > last).order_by(o.id).limit(BATCH)).all()
            if not rows:
                break
            facts: list[dict[str, Any]] = []
            for r in rows:
                amount = to_e4(r.amount)
                facts.append(
                    {
                        "item_id": r.id,
                        "customer_number": r.customer_number,
                        "kind": r.kind,
                        "currency": r.currency,
                        "amount_e4": amount,
                        "document_date": r.document_date,
                        "due_date": r.due_date,
                        "cancelled_on": r.cancelled_on,
                    }
                )
                deltas[(r.currency, r.kind, r.due_date, r.document_date, "doc")] += amount
                if r.cancelled_on is not None:
                    deltas[(r.currency, r.kind, r.due_date, r.cancelled_on, "cancel")] -= amount
            self.session.execute(insert(ct.ar_item_facts), facts)
            last, added = rows[-1].id, added + len(rows)
        self._set_watermark("items", last)
        return added

    def _refresh_applications(self, deltas: Deltas) -> int:
        a = lt.item_applications.c
        debit, credit = aliased(lt.open_items), aliased(lt.open_items)
        columns = (
            a.id, a.debit_item_id, a.credit_item_id, a.currency, a.amount, a.applied_on, a.reversed_at,
            debit.c.customer_number, debit.c.kind.label("d_kind"), debit.c.document_date.label("d_doc"),
            debit.c.due_date.label("d_due"), credit.c.kind.label("c_kind"), credit.c.document_date.label("c_doc"),
            credit.c.due_date.label("c_due"),
        )  # fmt: skip
        last, added = self._watermark("applications"), 0
        while True:
            rows = self.session.execute(
                select(*columns)
                .join(debit, debit.c.id == a.debit_item_id)
                .join(credit, credit.c.id == a.credit_item_id)
                .where(a.id > last)
                .order_by(a.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            facts = [_application_fact(r) for r in rows]
            for fact in facts:
                _application_deltas(deltas, fact, fact["applied_on"], "apply", 1)
                if fact["reversed_on"] is not None:
                    _application_deltas(deltas, fact, fact["reversed_on"], "unapply", -1)
            self.session.execute(insert(ct.ar_application_facts), facts)
            last, added = rows[-1].id, added + len(rows)
        self._set_watermark("applications", last)
        return added

    def _refresh_reversals(self, deltas: Deltas) -> int:
        a, f = lt.item_applications.c, ct.ar_application_facts.c
        rows = self.session.execute(
            select(ct.ar_application_facts, a.reversed_at)
            .join(lt.item_applications, f.application_id == a.id)
            .where(a.reversed_at.is_not(None), f.reversed_on.is_(None))
        ).all()
        for r in rows:
            day = r.reversed_at.date()
            self.session.execute(
                update(ct.ar_application_facts).where(f.application_id == r.application_id).values(reversed_on=day)
            )
            _application_deltas(deltas, dict(r._mapping), day, "unapply", -1)
        return len(rows)

    def _refresh_cancellations(self, deltas: Deltas) -> int:
        o, f = lt.open_items.c, ct.ar_item_facts.c
        rows = self.session.execute(
            select(ct.ar_item_facts, o.cancelled_on.label("cancelled"))
            .join(lt.open_items, f.item_id == o.id)
            .where(o.cancelled_on.is_not(None), f.cancelled_on.is_(None))
        ).all()
        for r in rows:
            self.session.execute(
                update(ct.ar_item_facts).where(f.item_id == r.item_id).values(cancelled_on=r.cancelled)
            )
            deltas[(r.currency, r.kind, r.due_date, r.cancelled, "cancel")] -= r.amount_e4
        return len(rows)

    def open_by_due_date(self, as_of: date, customers: Sequence[str] | None = None) -> dict[tuple[str, str, date], int]:
        if customers is None:
            d = ct.ar_daily_deltas.c
            query = (
                select(d.currency, d.kind, d.due_date, func.sum(d.amount_e4))
                .where(d.day <= as_of)
                .group_by(d.currency, d.kind, d.due_date)
            )
            return {(c, k, due): int(amount) for c, k, due, amount in self.session.execute(query)}
        return self._open_of_customers(as_of, customers)

    def _open_of_customers(self, as_of: date, customers: Sequence[str]) -> dict[tuple[str, str, date], int]:
        i, f = ct.ar_item_facts.c, ct.ar_application_facts.c
        totals: dict[tuple[str, str, date], int] = defaultdict(int)
        live = and_(f.applied_on <= as_of, or_(f.reversed_on.is_(None), f.reversed_on > as_of))
        existing = and_(i.document_date <= as_of, or_(i.cancelled_on.is_(None), i.cancelled_on > as_of))
        items = select(i.currency, i.kind, i.due_date, func.sum(i.amount_e4)).where(existing)
        for cur, kind, due, amount in self._grouped(
            items.group_by(i.currency, i.kind, i.due_date), i.customer_number, customers
        ):
            totals[(cur, kind, due)] += int(amount)
        debits = select(f.currency, f.debit_kind, f.debit_due_date, func.sum(f.amount_e4)).where(live)
        grouped = debits.group_by(f.currency, f.debit_kind, f.debit_due_date)
        for cur, kind, due, amount in self._grouped(grouped, f.customer_number, customers):
            totals[(cur, kind, due)] -= int(amount)
        credit_side = select(f.currency, f.credit_kind, f.credit_due_date, func.sum(f.amount_e4)).where(live)
        grouped = credit_side.group_by(f.currency, f.credit_kind, f.credit_due_date)
        for cur, kind, due, amount in self._grouped(grouped, f.customer_number, customers):
            totals[(cur, kind, due)] += int(amount)
        return dict(totals)

    def _grouped(self, query: Select[Any], column: Any, customers: Sequence[str] | None) -> list[Any]:
        if customers is None:
            return list(self.session.execute(query))
        rows: list[Any] = []
        for batch in chunks(sorted(set(customers))):
            rows += self.session.execute(query.where(column.in_(batch))).all()
        return rows

    def sales_by_day(
        self, start: date, end: date, customers: Sequence[str] | None = None
    ) -> dict[tuple[str, date], int]:
        documents = [ItemKind.INVOICE, ItemKind.CREDIT_NOTE]
        totals: dict[tuple[str, date], int] = defaultdict(int)
        if customers is None:
            d = ct.ar_daily_deltas.c
            query = (
                select(d.currency, d.day, func.sum(d.amount_e4))
                .where(d.source == "doc", d.kind.in_(documents), d.day.between(start, end))
                .group_by(d.currency, d.day)
            )
            rows = list(self.session.execute(query))
        else:
            i = ct.ar_item_facts.c
            query = (
                select(i.currency, i.document_date, func.sum(i.amount_e4))
                .where(i.kind.in_(documents), i.document_date.between(start, end))
                .group_by(i.currency, i.document_date)
            )
            rows = self._grouped(query, i.customer_number, customers)
        for cur, day, amount in rows:
            totals[(cur, day)] += int(amount)
        return dict(totals)

    def account_balances(self, accounts: Sequence[str], as_of: date) -> dict[tuple[str, str], Decimal]:
        e, j = lt.journal_entries.c, lt.journal_lines.c
        query = (
            select(j.account, j.currency, j.amount)
            .join_from(lt.journal_lines, lt.journal_entries)
            .where(j.account.in_([str(a) for a in accounts]), e.entry_date <= as_of)
        )
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for account, currency, amount in self.session.execute(query):
            sums[(account, currency)] += amount
        return dict(sums)

    def customers_by(self, *, collector: str | None = None, country: str | None = None) -> list[str]:
        c, p = t.customers.c, ct.collection_profiles.c
        query = select(c.number).outerjoin(ct.collection_profiles, p.customer_number == c.number)
        if collector:
            query = query.where(p.collector == collector)
        if country:
            query = query.where(c.country == country.upper())
        return list(self.session.scalars(query.order_by(c.number)))

    def promise_outcomes(self, due_until: date, customers: Sequence[str] | None = None) -> list[tuple[date, bool]]:
        p = ct.payment_promises.c
        query = select(p.promised_on, p.status, p.customer_number).where(p.promised_on <= due_until)
        rows = self._filtered(query, p.customer_number, customers)
        return [(r.promised_on, r.status == "kept") for r in rows]

    def dispute_spans(
        self, resolved_from: date, resolved_to: date, customers: Sequence[str] | None = None
    ) -> list[tuple[date, date]]:
        d = ct.disputes.c
        query = select(d.opened_on, d.resolved_on).where(d.resolved_on.between(resolved_from, resolved_to))
        return [(r.opened_on, r.resolved_on) for r in self._filtered(query, d.customer_number, customers)]

    def _filtered(self, query: Select[Any], column: Any, customers: Sequence[str] | None) -> list[Any]:
        return self._grouped(query, column, customers)


def _application_deltas(deltas: Deltas, fact: dict[str, Any], day: date, source: str, sign: int) -> None:
    """An application lowers the debit item's open amount and the credit item's (negative) one, on ``day``."""
    amount = sign * fact["amount_e4"]
    deltas[(fact["currency"], fact["debit_kind"], fact["debit_due_date"], day, source)] -= amount
    deltas[(fact["currency"], fact["credit_kind"], fact["credit_due_date"], day, source)] += amount


def _application_fact(r: Any) -> dict[str, Any]:
    return {
        "application_id": r.id,
        "debit_item_id": r.debit_item_id,
        "customer_number": r.customer_number,
        "credit_item_id": r.credit_item_id,
        "currency": r.currency,
        "amount_e4": to_e4(r.amount),
        "applied_on": r.applied_on,
        "reversed_on": None if r.reversed_at is None else r.reversed_at.date(),
        "debit_kind": r.d_kind,
        "debit_document_date": r.d_doc,
        "debit_due_date": r.d_due,
        "credit_kind": r.c_kind,
        "credit_document_date": r.c_doc,
        "credit_due_date": r.c_due,
    }
