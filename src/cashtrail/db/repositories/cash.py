"""SQL repository of cash application: receipts to apply, the book the engine matches against, decisions, IBANs.

Set-based: the book (every open invoice, customers' names, VAT numbers, parents, IBANs, discount terms) is read in a
handful of queries per run, never per payment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from cashtrail.cashapp.book import Book, OpenItem, compact
from cashtrail.cashapp.model import BankReceipt, CashMatch, EntryDetail, Line, MatchStatus, ReceiptStatus
from cashtrail.db import cashapp_tables as ct
from cashtrail.db import ledger_tables as lt
from cashtrail.db import tables as t
from cashtrail.db.repositories.billing import chunks
from cashtrail.db.repositories.deferred import IdAllocator, bulk_insert, bulk_update
from cashtrail.invoicing.references import ReferenceKind, find_references
from cashtrail.money import Money

_MATCHABLE_REFERENCES = {ReferenceKind.RF.value, ReferenceKind.OGM.value}


def _receipt(r: Any) -> BankReceipt:
    refs = [x["value"] for x in r.structured_references or [] if x.get("type") in _MATCHABLE_REFERENCES]
    text = " ".join(part for part in (r.remittance, r.end_to_end_id, r.information) if part)
    refs += [ref.value for ref in find_references(r.remittance or "") if ref.value not in refs]
    return BankReceipt(
        r.id,
        r.account,
        r.booking_date or r.value_date,
        Money(r.amount, r.currency),
        tuple(refs),
        text,
        r.counterparty_name,
        (r.counterparty_iban or "").replace(" ", "").upper() or None,
        r.bank_reference,
        ReceiptStatus(r.status),
    )


def _match(r: Any) -> CashMatch:
    proposal = r.proposal or {}
    currency = str(proposal.get("currency") or "")
    lines = [Line(a["item_id"], a["number"], Money(Decimal(a["amount"]), currency)) for a in proposal["applications"]]
    remainder = proposal.get("remainder")
    return CashMatch(
        r.bank_entry_id,
        MatchStatus(r.status),
        r.outcome,
        r.confidence,
        r.automatic,
        r.customer_number,
        lines,
        None if remainder is None else Money(Decimal(remainder), proposal["remainder_currency"]),
        proposal.get("remainder_kind"),
        list(proposal.get("reasons", [])),
        r.reason_code,
        r.created_at,
        r.created_by,
        r.decided_at,
        r.decided_by,
        r.reversed_at,
        r.reversed_by,
        r.reversal_reason,
        r.id,
    )


@dataclass
class _Pending:
    """Writes held back in deferred mode: new decisions, receipt statuses, IBANs learned (in order)."""

    matches: dict[int, CashMatch] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    ibans: list[tuple[str, str, int, datetime]] = field(default_factory=list)


class SqlCashRepository:
    """Implements ``cashtrail.ports.CashRepository``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._pending: _Pending | None = None
        self._ids = IdAllocator(session)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold new decisions, statuses and learned IBANs back and write them in bulk at the end."""
        self._pending = _Pending()
        try:
            yield
            self._flush()
        finally:
            self._pending = None

    def _sync(self) -> None:
        if self._pending is not None:
            self._flush()

    def _flush(self) -> None:
        pending = self._pending
        if pending is None:
            return
        rows = [_match_row(m) | {"id": i} for i, m in pending.matches.items()]
        bulk_insert(self.session, ct.cash_matches, rows, json_columns=("proposal",))
        statuses = [{"id": i, "status": status} for i, status in pending.statuses.items()]
        bulk_update(self.session, ct.bank_entries, statuses)
        learned, self._pending = pending.ibans, _Pending()
        if learned:
            self._learn_all(learned)

    def _learn_all(self, learned: list[tuple[str, str, int, datetime]]) -> None:
        """Replay the IBANs learned in order against what is stored: new rows inserted, clashes marked."""
        k = ct.known_ibans.c
        known: dict[str, tuple[str, bool]] = {}
        for chunk in chunks(sorted({x[0] for x in learned})):
            query = select(k.iban, k.customer_number, k.conflicting).where(k.iban.in_(chunk))
            known.update({r.iban: (r.customer_number, r.conflicting) for r in self.session.execute(query)})
        new: dict[str, dict[str, Any]] = {}
        conflicting: set[str] = set()
        for iban, customer, match_id, at in learned:
            if iban not in known:
                known[iban] = (customer, False)
                new[iban] = {"iban": iban, "customer_number": customer, "conflicting": False,
                             "learned_from": match_id, "learned_at": at}  # fmt: skip
            elif known[iban][0] != customer and not known[iban][1]:
                known[iban] = (known[iban][0], True)
                conflicting.add(iban)
        for iban in conflicting & set(new):
            new[iban]["conflicting"] = True
        if new:
            self.session.execute(insert(ct.known_ibans), list(new.values()))
        stored = sorted(conflicting - set(new))
        if stored:
            self.session.execute(update(ct.known_ibans).where(k.iban.in_(stored)).values(conflicting=True))

    def receipts(self, status: ReceiptStatus, *, limit: int | None = None) -> list[BankReceipt]:
        """Booked incoming entries in ``status``, oldest first."""
        self._sync()
        e = ct.bank_entries.c
        query = (
            select(ct.bank_entries)
            .where(e.status == status.value, e.amount > 0, e.reversal.is_(False))
            .where((e.booking_status.is_(None)) | (e.booking_status == "BOOK"))
            .order_by(e.booking_date, e.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return [_receipt(r) for r in self.session.execute(query)]

    def ignore_non_receipts(self) -> int:
        """Unmatched entries that are not booked incoming cash leave the worklists; returns how many."""
        self._sync()
        e = ct.bank_entries.c
        not_receipt = (
            (e.amount <= 0) | e.reversal.is_(True) | ((e.booking_status.is_not(None)) & (e.booking_status != "BOOK"))
        )
        result = self.session.execute(
            update(ct.bank_entries)
            .where(e.status == ReceiptStatus.UNMATCHED.value, not_receipt)
            .values(status="ignored")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def receipt(self, entry_id: int) -> BankReceipt | None:
        self._sync()
        row = self.session.execute(select(ct.bank_entries).where(ct.bank_entries.c.id == entry_id)).first()
        return None if row is None else _receipt(row)

    def set_status(self, entry_id: int, status: ReceiptStatus) -> None:
        if self._pending is not None:
            self._pending.statuses[entry_id] = status.value
            return
        e = ct.bank_entries.c
        self.session.execute(update(ct.bank_entries).where(e.id == entry_id).values(status=status.value))

    def add_match(self, match: CashMatch) -> int:
        if self._pending is not None:  # the row is written from the object as it is when the batch ends
            match.id = self._ids.take(ct.cash_matches)
            self._pending.matches[match.id] = match
            return match.id
        row = _match_row(match)
        match.id = int(
            self.session.execute(insert(ct.cash_matches).values(**row).returning(ct.cash_matches.c.id)).scalar_one()
        )
        return match.id

    def save_match(self, match: CashMatch) -> None:
        if self._pending is not None and match.id in self._pending.matches:
            return  # written from the object when the batch ends
        self._sync()
        self.session.execute(
            update(ct.cash_matches).where(ct.cash_matches.c.id == match.id).values(**_match_row(match))
        )

    def get_match(self, match_id: int) -> CashMatch | None:
        self._sync()
        row = self.session.execute(select(ct.cash_matches).where(ct.cash_matches.c.id == match_id)).first()
        return None if row is None else _match(row)

    def matches(
        self, status: MatchStatus, *, after_id: int | None = None, limit: int = 200
    ) -> list[tuple[CashMatch, BankReceipt]]:
        """Decisions in ``status`` with their receipts, in the order they were made (keyset on the match id)."""
        self._sync()
        m, e = ct.cash_matches.c, ct.bank_entries.c
        query = select(ct.cash_matches).where(m.status == status.value).order_by(m.id).limit(limit)
        if after_id is not None:
            query = query.where(m.id > after_id)
        found = [_match(r) for r in self.session.execute(query)]
        ids = [x.bank_entry_id for x in found]
        entries = {r.id: _receipt(r) for r in self.session.execute(select(ct.bank_entries).where(e.id.in_(ids)))}
        return [(x, entries[x.bank_entry_id]) for x in found]

    def receipts_page(self, status: ReceiptStatus, *, after_id: int | None, limit: int) -> list[BankReceipt]:
        """Entries in ``status`` in entry order (keyset on the entry id)."""
        self._sync()
        e = ct.bank_entries.c
        query = select(ct.bank_entries).where(e.status == status.value).order_by(e.id).limit(limit)
        if after_id is not None:
            query = query.where(e.id > after_id)
        return [_receipt(r) for r in self.session.execute(query)]

    def entry_detail(self, entry_id: int) -> EntryDetail | None:
        """A bank entry as sent, with the statement file it came in and its decisions, newest first."""
        self._sync()
        e, s, m = ct.bank_entries.c, ct.bank_statements.c, ct.cash_matches.c
        row = self.session.execute(
            select(ct.bank_entries, s.file_name, s.statement_id.label("statement_ref"))
            .join(ct.bank_statements, s.id == e.statement_id)
            .where(e.id == entry_id)
        ).first()
        if row is None:
            return None
        matches = [
            _match(r)
            for r in self.session.execute(
                select(ct.cash_matches).where(m.bank_entry_id == entry_id).order_by(m.id.desc())
            )
        ]
        references = [{k: x.get(k) for k in ("type", "value", "raw")} for x in row.structured_references or []]
        return EntryDetail(
            _receipt(row), row.value_date, row.remittance or "", references, row.end_to_end_id,
            row.counterparty_bic, f"{row.statement_ref or '?'} ({row.file_name})", matches,
        )  # fmt: skip

    def latest_match(self, entry_id: int) -> CashMatch | None:
        self._sync()
        m = ct.cash_matches.c
        row = self.session.execute(
            select(ct.cash_matches).where(m.bank_entry_id == entry_id).order_by(m.id.desc()).limit(1)
        ).first()
        return None if row is None else _match(row)

    def learn_iban(self, iban: str, customer_number: str, match_id: int, at: datetime) -> None:
        """Remember who ``iban`` pays for; an IBAN seen for two customers stops identifying anyone."""
        if self._pending is not None:
            self._pending.ibans.append((iban, customer_number, match_id, at))
            return
        k = ct.known_ibans.c
        known = self.session.execute(select(ct.known_ibans).where(k.iban == iban)).first()
        if known is None:
            self.session.execute(
                insert(ct.known_ibans).values(
                    iban=iban, customer_number=customer_number, conflicting=False, learned_from=match_id, learned_at=at
                )
            )
        elif known.customer_number != customer_number and not known.conflicting:
            self.session.execute(update(ct.known_ibans).where(k.iban == iban).values(conflicting=True))

    def book(self, currency: str | None = None) -> Book:
        """Every open invoice with its discount terms, settled references, IBANs, names, VAT numbers and parents."""
        self._sync()
        customers = self._customers()
        items: dict[str, list[OpenItem]] = defaultdict(list)
        settled: dict[str, str] = {}
        for r in self.session.execute(self._items_query(currency)):
            if r.closed_on is not None:
                for key in (r.payment_reference, compact(r.reference)):
                    if key:
                        settled[key] = r.customer_number
                continue
            items[r.customer_number].append(self._open_item(r, customers))
        ibans = {c["iban"]: n for n, c in customers.items() if c["iban"]}
        k = ct.known_ibans.c
        for iban, customer, conflicting in self.session.execute(select(k.iban, k.customer_number, k.conflicting)):
            if conflicting:
                ibans.pop(iban, None)
            else:
                ibans.setdefault(iban, customer)
        return Book(
            dict(items),
            iban_owner=ibans,
            names={n: c["name"] for n, c in customers.items()},
            vat_numbers={n: c["vat"] for n, c in customers.items() if c["vat"]},
            parents={n: c["parent"] for n, c in customers.items() if c["parent"]},
            settled=settled,
        )

    def _items_query(self, currency: str | None) -> Any:
        o = lt.open_items.c
        query = select(
            o.id,
            o.customer_number,
            o.reference,
            o.currency,
            o.open_amount,
            o.amount,
            o.document_date,
            o.due_date,
            o.payment_reference,
            o.closed_on,
        ).where(o.kind == "invoice", o.cancelled_on.is_(None))
        if currency is not None:
            query = query.where(o.currency == currency)
        return query.order_by(o.due_date, o.id)

    @staticmethod
    def _open_item(r: Any, customers: dict[str, dict[str, Any]]) -> OpenItem:
        terms = customers.get(r.customer_number, {})
        percent, days = terms.get("discount_percent") or Decimal(0), terms.get("discount_days") or 0
        discount = None
        if percent and days:
            discount = Money(r.amount * percent / 100, r.currency).rounded()
        return OpenItem(
            r.reference,
            r.customer_number,
            Money(r.open_amount, r.currency),
            r.due_date,
            r.payment_reference or None,
            discount=discount,
            discount_until=r.document_date + timedelta(days=days) if discount else None,
            id=r.id,
        )

    def _customers(self) -> dict[str, dict[str, Any]]:
        c, p = t.customers.c, t.payment_terms.c
        parent = aliased(t.customers)
        query = (
            select(
                c.number,
                c.legal_name,
                c.vat_number,
                c.iban,
                parent.c.number.label("parent"),
                p.discount_percent,
                p.discount_days,
            )
            .join(t.payment_terms, p.code == c.payment_terms_code)
            .outerjoin(parent, parent.c.id == c.parent_id)
        )
        return {
            r.number: {
                "name": r.legal_name,
                "vat": r.vat_number,
                "iban": (r.iban or "").replace(" ", "").upper() or None,
                "parent": r.parent,
                "discount_percent": r.discount_percent,
                "discount_days": r.discount_days,
            }
            for r in self.session.execute(query)
        }


def _match_row(match: CashMatch) -> dict[str, Any]:
    return {
        "bank_entry_id": match.bank_entry_id,
        "status": match.status.value,
        "outcome": match.outcome,
        "confidence": match.confidence,
        "automatic": match.automatic,
        "customer_number": match.customer_number,
        "proposal": match.proposal_json(),
        "reason_code": match.reason_code,
        "created_at": match.created_at,
        "created_by": match.created_by,
        "decided_at": match.decided_at,
        "decided_by": match.decided_by,
        "reversed_at": match.reversed_at,
        "reversed_by": match.reversed_by,
        "reversal_reason": match.reversal_reason,
    }
