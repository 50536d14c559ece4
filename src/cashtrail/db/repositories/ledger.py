"""SQL repository of the AR ledger: journal entries, open items and applications (Core)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session, aliased

from cashtrail.db import ledger_tables as lt
from cashtrail.db.repositories.billing import chunks
from cashtrail.db.repositories.deferred import IdAllocator, bulk_insert, bulk_update
from cashtrail.db.tables import customers as customers_table
from cashtrail.ledger.as_of import ApplicationRecord, ItemRecord
from cashtrail.ledger.model import Account, Application, ItemKind, JournalEntry, OpenItem, Posting
from cashtrail.money import Money


@dataclass
class _Pending:
    """Writes held back in deferred mode: entries and lines, new items, applications, changed open amounts."""

    keys: dict[tuple[str, str, str], int] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    new_items: dict[int, OpenItem] = field(default_factory=dict)
    applications: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[int, tuple[OpenItem, date | None]] = field(default_factory=dict)


class SqlLedgerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._pending: _Pending | None = None
        self._loaded: dict[int, OpenItem] = {}
        self._ids = IdAllocator(session)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold writes back and send them in bulk at the end (or before a read that needs them); items read in the
        block are kept, so the open amounts a batch changes are the ones it reads next."""
        self._pending, self._loaded = _Pending(), {}
        try:
            yield
            self._flush()
        finally:
            self._pending, self._loaded = None, {}

    def _sync(self) -> None:
        if self._pending is not None:
            self._flush()

    def _flush(self) -> None:
        pending = self._pending
        if pending is None:
            return
        bulk_insert(self.session, lt.journal_entries, pending.entries)
        bulk_insert(self.session, lt.journal_lines, pending.lines)
        rows = [
            _item_row(item) | {"id": item_id, "closed_on": _closed(item, pending.changed.get(item_id))}
            for item_id, item in pending.new_items.items()
        ]
        bulk_insert(self.session, lt.open_items, rows)
        bulk_insert(self.session, lt.item_applications, pending.applications, json_columns=("metadata",))
        changed = [
            {"id": i, "open_amount": item.remaining.amount, "closed_on": _closed(item, (item, on))}
            for i, (item, on) in pending.changed.items()
            if i not in pending.new_items
        ]
        bulk_update(self.session, lt.open_items, changed)
        self._pending = _Pending()

    def existing_sources(self, source_type: str, kind: str, source_ids: Sequence[str]) -> set[str]:
        """Which of ``source_ids`` already have an entry of ``kind`` (one query per thousand ids)."""
        t = lt.journal_entries.c
        found: set[str] = set()
        for chunk in chunks(sorted(set(source_ids))):
            query = select(t.source_id).where(t.source_type == source_type, t.kind == kind, t.source_id.in_(chunk))
            found.update(self.session.scalars(query))
        return found

    def entry_id(self, source_type: str, source_id: str, kind: str) -> int | None:
        if self._pending is not None and (source_type, source_id, kind) in self._pending.keys:
            return self._pending.keys[(source_type, source_id, kind)]
        t = lt.journal_entries.c
        query = select(t.id).where(t.source_type == source_type, t.source_id == source_id, t.kind == kind)
        found = self.session.scalar(query)
        return None if found is None else int(found)

    def post(self, entry: JournalEntry, *, at: datetime, by: str) -> int:
        """Append a balanced entry and its lines; returns its id."""
        header = {
            "entry_date": entry.entry_date,
            "kind": entry.kind,
            "source_type": entry.source_type,
            "source_id": entry.source_id,
            "description": entry.description[:300],
            "reverses_id": entry.reverses_id,
            "posted_at": at,
            "posted_by": by,
        }
        if self._pending is not None:
            entry_id = self._ids.take(lt.journal_entries)
            self._pending.keys[(entry.source_type, entry.source_id, entry.kind)] = entry_id
            self._pending.entries.append(header | {"id": entry_id})
            self._pending.lines += _line_rows(entry_id, entry)
            return entry_id
        entry_id = int(
            self.session.execute(
                insert(lt.journal_entries).values(**header).returning(lt.journal_entries.c.id)
            ).scalar_one()
        )
        self.session.execute(insert(lt.journal_lines), _line_rows(entry_id, entry))
        return entry_id

    def entry(self, entry_id: int) -> JournalEntry | None:
        self._sync()
        row = self.session.execute(select(lt.journal_entries).where(lt.journal_entries.c.id == entry_id)).first()
        if row is None:
            return None
        lines = self.session.execute(select(lt.journal_lines).where(lt.journal_lines.c.entry_id == entry_id))
        postings = tuple(Posting(Account(r.account), Money(r.amount, r.currency), r.customer_number) for r in lines)
        return JournalEntry(
            row.entry_date, row.kind, row.source_type, row.source_id, row.description, postings, row.reverses_id, row.id
        )

    def balances(self, *, until: date | None = None) -> dict[tuple[str, str], Decimal]:
        """The balance of every (account, currency), summed in Python (exact on SQLite too, see D-002)."""
        self._sync()
        e, j = lt.journal_entries.c, lt.journal_lines.c
        query = select(j.account, j.currency, j.amount).join_from(lt.journal_lines, lt.journal_entries)
        if until is not None:
            query = query.where(e.entry_date <= until)
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for account, currency, amount in self.session.execute(query):
            sums[(account, currency)] += amount
        return dict(sums)

    def add_item(self, item: OpenItem) -> None:
        if self._pending is not None:
            item.id = self._ids.take(lt.open_items)
            self._pending.new_items[item.id] = item
            self._loaded[item.id] = item
            return
        item.id = int(
            self.session.execute(
                insert(lt.open_items).values(**_item_row(item)).returning(lt.open_items.c.id)
            ).scalar_one()
        )

    def item_of_invoice(self, invoice_id: int) -> OpenItem | None:
        self._sync()
        rows = self._items(lt.open_items.c.invoice_id == invoice_id)
        return rows[0] if rows else None

    def items(self, ids: Sequence[int]) -> dict[int, OpenItem]:
        if self._pending is not None:  # deferred: the same objects every time, as the batch changed them
            missing = [i for i in set(ids) if i not in self._loaded]
            for chunk in chunks(sorted(missing)):
                self._loaded.update({i.id: i for i in self._items(lt.open_items.c.id.in_(chunk)) if i.id is not None})
            return {i: self._loaded[i] for i in ids if i in self._loaded}
        found: dict[int, OpenItem] = {}
        for chunk in chunks(sorted(set(ids))):
            found.update({i.id: i for i in self._items(lt.open_items.c.id.in_(chunk)) if i.id is not None})
        return found

    def open_items_of(self, customer_number: str) -> list[OpenItem]:
        self._sync()
        t = lt.open_items.c
        return self._items(and_(t.customer_number == customer_number, t.closed_on.is_(None)))

    def _items(self, condition: Any) -> list[OpenItem]:
        query = select(lt.open_items).where(condition).order_by(lt.open_items.c.due_date, lt.open_items.c.id)
        return [_item(r) for r in self.session.execute(query)]

    def apply(self, application: Application, debit: OpenItem, credit: OpenItem) -> int:
        """Record an application and write both items' new open amounts (closing those that reach zero)."""
        row = {
            "debit_item_id": application.debit_item_id,
            "credit_item_id": application.credit_item_id,
            "currency": application.amount.currency,
            "amount": application.amount.amount,
            "kind": application.kind,
            "applied_on": application.applied_on,
            "applied_at": application.applied_at,
            "applied_by": application.applied_by,
            "metadata": dict(application.metadata),
            "cash_match_id": application.cash_match_id,
        }
        if self._pending is not None:
            app_id = self._ids.take(lt.item_applications)
            self._pending.applications.append(row | {"id": app_id})
            for item in (debit, credit):
                self.save_open_amount(item, application.applied_on)
            return app_id
        app_id = int(
            self.session.execute(
                insert(lt.item_applications).values(**row).returning(lt.item_applications.c.id)
            ).scalar_one()
        )
        for item in (debit, credit):
            self.save_open_amount(item, application.applied_on)
        return app_id

    def save_open_amount(self, item: OpenItem, on: date) -> None:
        if self._pending is not None and item.id is not None:
            self._pending.changed[item.id] = (item, on)
            return
        closed = on if item.remaining.is_zero() else None
        self.session.execute(
            update(lt.open_items)
            .where(lt.open_items.c.id == item.id)
            .values(open_amount=item.remaining.amount, closed_on=closed)
        )

    def open_totals(self) -> dict[str, Decimal]:
        """Σ open amounts of all open items per currency (the subledger side of AR control)."""
        self._sync()
        o = lt.open_items.c
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for currency, amount in self.session.execute(select(o.currency, o.open_amount).where(o.open_amount != 0)):
            sums[currency] += amount
        return dict(sums)

    def applications_of_match(self, match_id: int) -> list[Application]:
        """The live (not reversed) applications a cash application made."""
        self._sync()
        t = lt.item_applications.c
        query = select(lt.item_applications).where(t.cash_match_id == match_id, t.reversed_at.is_(None))
        return [
            Application(
                r.debit_item_id,
                r.credit_item_id,
                Money(r.amount, r.currency),
                r.applied_on,
                r.applied_by,
                r.kind,
                r.applied_at,
                r.id,
                cash_match_id=r.cash_match_id,
            )
            for r in self.session.execute(query.order_by(t.id))
        ]

    def mark_reversed(self, application_id: int, *, at: datetime, on: date, by: str, reason: str) -> None:
        self._sync()
        t = lt.item_applications.c
        self.session.execute(
            update(lt.item_applications)
            .where(t.id == application_id)
            .values(reversed_at=at, reversed_on=on, reversed_by=by, reversal_reason=reason)
        )

    def history_until(
        self, as_of: date, *, customer_number: str | None = None
    ) -> tuple[list[ItemRecord], list[ApplicationRecord]]:
        """Every item dated on or before ``as_of`` (not cancelled by then) and every application made by then, in
        two set-based queries (the customer's only, when given); sums happen in Python (exact on SQLite, D-002)."""
        self._sync()
        o, a, c = lt.open_items.c, lt.item_applications.c, customers_table.c
        items_query = (
            select(o.id, o.customer_number, o.kind, o.reference, o.currency, o.amount, o.document_date, o.due_date,
                   c.country, c.legal_name, o.legal_entity)
            .outerjoin(customers_table, c.number == o.customer_number)
            .where(o.document_date <= as_of, (o.cancelled_on.is_(None)) | (o.cancelled_on > as_of))
            .order_by(o.customer_number, o.due_date, o.id)
        )  # fmt: skip
        debit = aliased(lt.open_items)
        apps_query = select(a.debit_item_id, a.credit_item_id, a.amount, a.applied_on).where(
            a.applied_on <= as_of, (a.reversed_on.is_(None)) | (a.reversed_on > as_of)
        )
        if customer_number is not None:
            items_query = items_query.where(o.customer_number == customer_number)
            apps_query = apps_query.join(debit, debit.c.id == a.debit_item_id).where(
                debit.c.customer_number == customer_number
            )
        items = [
            ItemRecord(r.id, r.customer_number, r.kind, r.reference, Money(r.amount, r.currency), r.document_date,
                       r.due_date, r.country or "", r.legal_name or "", r.legal_entity)
            for r in self.session.execute(items_query)
        ]  # fmt: skip
        applications = [
            ApplicationRecord(r.debit_item_id, r.credit_item_id, r.amount, r.applied_on)
            for r in self.session.execute(apps_query)
        ]
        return items, applications

    def items_of_match(self, match_id: int) -> list[OpenItem]:
        self._sync()
        return self._items(lt.open_items.c.cash_match_id == match_id)

    def cancel_item(self, item: OpenItem, on: date) -> None:
        """Close an item created by a reversed cash application (its reversing entry offsets it in AR control)."""
        self._sync()
        item.open_amount = Money.zero(item.amount.currency)
        self.session.execute(
            update(lt.open_items)
            .where(lt.open_items.c.id == item.id)
            .values(open_amount=Decimal(0), closed_on=on, cancelled_on=on)
        )

    def entries_of(self, source_type: str, source_id: str) -> list[JournalEntry]:
        """Entries posted for a source, oldest first (reversals included)."""
        self._sync()
        t = lt.journal_entries.c
        ids = self.session.scalars(
            select(t.id).where(t.source_type == source_type, t.source_id == source_id).order_by(t.id)
        )
        return [e for e in (self.entry(int(i)) for i in ids) if e is not None]


def _item(r: Any) -> OpenItem:
    return OpenItem(
        r.customer_number,
        ItemKind(r.kind),
        r.reference,
        Money(r.amount, r.currency),
        r.document_date,
        r.due_date,
        legal_entity=r.legal_entity,
        open_amount=Money(r.open_amount, r.currency),
        payment_reference=r.payment_reference,
        invoice_id=r.invoice_id,
        id=r.id,
        cash_match_id=r.cash_match_id,
        reason_code=r.reason_code,
    )


def _line_rows(entry_id: int, entry: JournalEntry) -> list[dict[str, Any]]:
    return [
        {
            "entry_id": entry_id,
            "account": p.account.value,
            "currency": p.amount.currency,
            "amount": p.amount.amount,
            "customer_number": p.customer_number,
        }
        for p in entry.postings
    ]


def _item_row(item: OpenItem) -> dict[str, Any]:
    return {
        "customer_number": item.customer_number,
        "legal_entity": item.legal_entity,
        "kind": item.kind,
        "reference": item.reference,
        "currency": item.amount.currency,
        "amount": item.amount.amount,
        "open_amount": item.remaining.amount,
        "document_date": item.document_date,
        "due_date": item.due_date,
        "payment_reference": item.payment_reference,
        "invoice_id": item.invoice_id,
        "cash_match_id": item.cash_match_id,
        "reason_code": item.reason_code,
    }


def _closed(item: OpenItem, change: tuple[OpenItem, date | None] | None) -> date | None:
    """The closing date written with an item: the date of its last change when nothing is left open."""
    return change[1] if change is not None and item.remaining.is_zero() else None
