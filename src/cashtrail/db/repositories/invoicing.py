"""SQL repositories of invoicing: legal entities, documents with their lines, number series and stops (Core)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import String, and_, case, cast, delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cashtrail.billing.charges import Charge
from cashtrail.db import billing_tables as bt
from cashtrail.db import invoicing_tables as it
from cashtrail.db.repositories.billing import charge_from_row, chunks
from cashtrail.invoicing.lifecycle import Document, Status
from cashtrail.invoicing.snapshot import DocumentSnapshot
from cashtrail.invoicing.summary import InvoiceFilter, InvoiceSummary
from cashtrail.invoicing.tax import Treatment, VatCategory, VatDecision
from cashtrail.invoicing.totals import DocumentKind, Line, TaxRounding
from cashtrail.money import Money
from cashtrail.parties.entities import LegalEntity

_SIX = Decimal("0.000001")


class SqlLegalEntityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entity: LegalEntity) -> None:
        row = {k: v for k, v in vars(entity).items() if k != "id"}
        entity.id = self.session.execute(
            insert(it.legal_entities).values(**row).returning(it.legal_entities.c.id)
        ).scalar_one()

    def save(self, entity: LegalEntity) -> None:
        row = {k: v for k, v in vars(entity).items() if k != "id"}
        self.session.execute(update(it.legal_entities).where(it.legal_entities.c.id == entity.id).values(**row))

    def get_by_code(self, code: str) -> LegalEntity | None:
        row = self.session.execute(select(it.legal_entities).where(it.legal_entities.c.code == code)).mappings().first()
        return None if row is None else LegalEntity(**dict(row))

    def all(self) -> list[LegalEntity]:
        rows = self.session.execute(select(it.legal_entities).order_by(it.legal_entities.c.code)).mappings()
        return [LegalEntity(**dict(row)) for row in rows]


class SqlInvoiceRepository:
    """Documents and their lines. Lines are written with the header and rewritten only while the document is a
    draft; an issued document's lines are never touched again."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, doc: Document, charge_keys: Sequence[str | None] | None = None) -> None:
        self.add_many([doc], [charge_keys or [None] * len(doc.lines)])

    def add_many(self, docs: Sequence[Document], charge_keys: Sequence[Sequence[str | None]]) -> None:
        """Insert drafts and their lines in bulk (the bill run's drafts); ``charge_keys`` per document line."""
        if not docs:
            return
        ids = self.session.execute(
            insert(it.invoices).returning(it.invoices.c.id, sort_by_parameter_order=True),
            [_header(d) for d in docs],
        ).scalars()
        for doc, new_id in zip(docs, ids, strict=True):
            doc.id = new_id
        rows = [
            _line_row(d, i, line, key)
            for d, keys in zip(docs, charge_keys, strict=True)
            for i, (line, key) in enumerate(zip(d.lines, keys, strict=True), start=1)
        ]
        for start in range(0, len(rows), 5_000):
            self.session.execute(insert(it.invoice_lines), rows[start : start + 5_000])

    def save(self, doc: Document) -> None:
        """Write the header; a draft's lines are rewritten as well, keeping each position's charge key."""
        self.session.execute(update(it.invoices).where(it.invoices.c.id == doc.id).values(**_header(doc)))
        if doc.status in (Status.DRAFT, Status.APPROVED):
            lines = it.invoice_lines.c
            keys = dict(
                self.session.execute(select(lines.position, lines.charge_key).where(lines.invoice_id == doc.id)).all()
            )
            self.session.execute(delete(it.invoice_lines).where(lines.invoice_id == doc.id))
            rows = [_line_row(doc, i, line, keys.get(i)) for i, line in enumerate(doc.lines, start=1)]
            if rows:
                self.session.execute(insert(it.invoice_lines), rows)

    def get(self, invoice_id: int, *, for_update: bool = False) -> Document | None:
        query = select(it.invoices).where(it.invoices.c.id == invoice_id)
        if for_update and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        row = self.session.execute(query).mappings().first()
        return None if row is None else self._load([row])[0]

    def get_by_number(self, number: str) -> Document | None:
        row = self.session.execute(select(it.invoices).where(it.invoices.c.number == number)).mappings().first()
        return None if row is None else self._load([row])[0]

    def many(self, ids: Sequence[int], *, for_update: bool = False) -> list[Document]:
        found: list[Document] = []
        lock = for_update and self.session.get_bind().dialect.name == "postgresql"
        for chunk in chunks(sorted(set(ids))):
            query = select(it.invoices).where(it.invoices.c.id.in_(chunk)).order_by(it.invoices.c.id)
            rows = self.session.execute(query.with_for_update() if lock else query).mappings().all()
            found += self._load(rows)
        return found

    def ids_with_status(self, statuses: Sequence[str], *, limit: int | None = None) -> list[int]:
        query = select(it.invoices.c.id).where(it.invoices.c.status.in_(statuses)).order_by(it.invoices.c.id)
        return list(self.session.scalars(query.limit(limit) if limit else query))

    def missing_files(
        self,
        formats: Sequence[str],
        *,
        after_id: int | None = None,
        limit: int = 500,
        ids: Sequence[int] | None = None,
    ) -> list[tuple[int, tuple[str, ...]]]:
        """Issued or sent documents (of ``ids`` only, if given), by id after ``after_id``, lacking a stored file in
        one of ``formats``."""
        f, t = it.document_files.c, it.invoices.c
        has = {
            fmt: exists().where(f.entity_type == "invoice", f.entity_id == cast(t.id, String), f.format == fmt)
            for fmt in formats
        }
        query = (
            select(t.id, *(h.label(fmt) for fmt, h in has.items()))
            .where(t.status.in_([Status.ISSUED, Status.SENT]), t.id > (after_id or 0), or_(*(~h for h in has.values())))
            .where(*([t.id.in_(ids)] if ids is not None else []))
            .order_by(t.id)
            .limit(limit)
        )
        return [
            (row[0], tuple(fmt for fmt, present in zip(formats, row[1:], strict=True) if not present))
            for row in self.session.execute(query)
        ]

    def issued_contracts(self, contract_numbers: Iterable[str]) -> set[str]:
        """Which of ``contract_numbers`` already have an issued invoice (so the next one is not their first)."""
        wanted = set(contract_numbers)
        if not wanted:
            return set()
        t = it.invoices.c
        rows = self.session.execute(
            select(t.contract_numbers).where(t.kind == DocumentKind.INVOICE, t.number.is_not(None))
        )
        return {n for (numbers,) in rows for n in numbers if n in wanted}

    def lines_of_charges(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The document lines that bill the charges ``keys``: charge key, invoice id, number (None while a draft),
        kind, status and the line's 0-based index, oldest document first."""
        i, lines = it.invoices.c, it.invoice_lines.c
        found: list[dict[str, Any]] = []
        for chunk in chunks(sorted(set(keys))):
            query = (
                select(lines.charge_key, i.id.label("invoice_id"), i.number, i.kind, i.status, lines.position)
                .select_from(it.invoice_lines.join(it.invoices, i.id == lines.invoice_id))
                .where(lines.charge_key.in_(chunk))
            )
            found += [{**row._mapping, "index": row.position - 1} for row in self.session.execute(query)]
        return sorted(found, key=lambda r: (r["invoice_id"], r["index"]))

    def credited_total(self, invoice_id: int) -> Decimal:
        """The gross of the credit notes (any status) that correct an invoice."""
        t = it.invoices.c
        amounts = self.session.scalars(select(t.gross).where(t.credits_id == invoice_id))
        return sum(amounts, Decimal(0))

    def billing_drafts_to_prepare(
        self, limit: int | None = None, period: str | None = None
    ) -> list[tuple[int, str, str, list[Charge]]]:
        """Billing drafts that no document was prepared from yet: (draft id, customer, currency, charges)."""
        d, i = bt.draft_invoices, it.invoices
        query = (
            select(d.c.id, d.c.customer_number, d.c.currency)
            .select_from(d.outerjoin(i, i.c.billing_draft_id == d.c.id))
            .where(i.c.id.is_(None))
            .order_by(d.c.id)
        )
        if period is not None:
            runs = select(bt.bill_runs.c.id).where(bt.bill_runs.c.period == period)
            query = query.where(d.c.bill_run_id.in_(runs))
        drafts = self.session.execute(query.limit(limit) if limit else query).all()
        charges: dict[int, list[Charge]] = {row.id: [] for row in drafts}
        for chunk in chunks([row.id for row in drafts]):
            lines = select(bt.billed_charges).where(bt.billed_charges.c.draft_invoice_id.in_(chunk))
            for r in self.session.execute(lines.order_by(bt.billed_charges.c.id)):
                charges[r.draft_invoice_id].append(charge_from_row(r))
        return [(row.id, row.customer_number, row.currency, charges[row.id]) for row in drafts]

    def contract_references(self, numbers: Iterable[str]) -> dict[str, str | None]:
        """Every stored contract among ``numbers`` with the customer's purchase-order number (None without one)."""
        found: dict[str, str | None] = {}
        c = bt.contracts.c
        for chunk in chunks(sorted(set(numbers))):
            rows = self.session.execute(select(c.number, c.po_number).where(c.number.in_(chunk)))
            found.update({n: p or None for n, p in rows})
        return found

    def summaries(self, filters: InvoiceFilter, *, after_id: int | None, limit: int) -> list[InvoiceSummary]:
        t = it.invoices.c
        query = select(*(t[f] for f in _SUMMARY)).where(*_conditions(filters))
        if after_id is not None:
            query = query.where(t.id < after_id)
        return [InvoiceSummary(*row) for row in self.session.execute(query.order_by(t.id.desc()).limit(limit))]

    def count(self, filters: InvoiceFilter) -> int:
        return int(self.session.scalar(select(func.count()).select_from(it.invoices).where(*_conditions(filters))) or 0)

    def credit_notes_of(self, invoice_id: int) -> list[InvoiceSummary]:
        t = it.invoices.c
        query = select(*(t[f] for f in _SUMMARY)).where(t.credits_id == invoice_id).order_by(t.id)
        return [InvoiceSummary(*row) for row in self.session.execute(query)]

    def issued_lines_of(self, contract_number: str, category: str) -> list[tuple[int, str, date, Line]]:
        """(invoice id, number, issue date, line) of every issued invoice line of ``category`` on the contract."""
        i, ln = it.invoices.c, it.invoice_lines.c
        query = (
            select(i.id, i.number, i.issue_date, i.currency, it.invoice_lines)
            .join_from(it.invoice_lines, it.invoices, ln.invoice_id == i.id)
            .where(ln.contract_number == contract_number, ln.category == category, i.number.is_not(None))
            .where(i.kind == DocumentKind.INVOICE)
            .order_by(i.issue_date, i.id, ln.position)
        )
        return [(r[0], r[1], r[2], _line(r, r[3])) for r in self.session.execute(query)]

    def _load(self, rows: Sequence[Any]) -> list[Document]:
        ids = [r["id"] for r in rows]
        lines: dict[int, list[Line]] = {i: [] for i in ids}
        currencies = {r["id"]: str(r["currency"]) for r in rows}
        numbers: dict[int, str] = {}
        for chunk in chunks(ids):
            query = select(it.invoice_lines).where(it.invoice_lines.c.invoice_id.in_(chunk))
            for line in self.session.execute(
                query.order_by(it.invoice_lines.c.invoice_id, it.invoice_lines.c.position)
            ):
                lines[line.invoice_id].append(_line(line, currencies[line.invoice_id]))
        credited = [r["credits_id"] for r in rows if r["credits_id"]]
        if credited:
            query = select(it.invoices.c.id, it.invoices.c.number).where(it.invoices.c.id.in_(credited))
            numbers = {i: n for i, n in self.session.execute(query)}
        return [_document(r, lines[r["id"]], numbers.get(r["credits_id"])) for r in rows]


class SqlNumberSeriesRepository:
    """Gapless series: the allocating UPDATE locks the series row until the issuing transaction ends."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def allocate(self, entity: str, kind: str, year: int, issue_date: date) -> tuple[int, date]:
        """The next value of the series and its latest issue date after this allocation (later than
        ``issue_date`` exactly when an earlier document of the series is dated after it). One locking UPDATE; the
        series row is created on its first use."""
        t = it.number_series.c
        where = and_(t.legal_entity == entity, t.kind == kind, t.year == year)
        bump = (
            update(it.number_series)
            .where(where)
            .values(
                last_value=t.last_value + 1,
                last_issue_date=case((t.last_issue_date > issue_date, t.last_issue_date), else_=issue_date),
            )
            .returning(t.last_value, t.last_issue_date)
        )
        row = self.session.execute(bump).first()
        if row is None:
            dialect = self.session.get_bind().dialect.name
            create = (pg_insert if dialect == "postgresql" else sqlite_insert)(it.number_series).values(
                legal_entity=entity, kind=kind, year=year, last_value=0
            )
            self.session.execute(create.on_conflict_do_nothing(index_elements=["legal_entity", "kind", "year"]))
            row = self.session.execute(bump).one()
        return int(row[0]), row[1]


class SqlInvoiceStopRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, scope: str, target: str, reason: str, by: str, at: datetime) -> int:
        return int(
            self.session.execute(
                insert(it.invoice_stops)
                .values(scope=scope, target=target, reason=reason, created_by=by, created_at=at)
                .returning(it.invoice_stops.c.id)
            ).scalar_one()
        )

    def release(self, stop_id: int, by: str, at: datetime, reason: str) -> bool:
        t = it.invoice_stops.c
        done = self.session.execute(
            update(it.invoice_stops)
            .where(t.id == stop_id, t.released_at.is_(None))
            .values(released_by=by, released_at=at, release_reason=reason)
            .returning(t.id)
        ).first()
        return done is not None

    def active(self) -> list[dict[str, Any]]:
        t = it.invoice_stops.c
        rows = self.session.execute(select(it.invoice_stops).where(t.released_at.is_(None)).order_by(t.id))
        return [dict(r._mapping) for r in rows]

    def active_for(self, customer: str, contracts: Sequence[str]) -> list[dict[str, Any]]:
        t = it.invoice_stops.c
        condition = or_(
            and_(t.scope == "customer", t.target == customer), and_(t.scope == "contract", t.target.in_(contracts))
        )
        rows = self.session.execute(select(it.invoice_stops).where(t.released_at.is_(None), condition))
        return [dict(r._mapping) for r in rows]


_SUMMARY = [f.name for f in fields(InvoiceSummary)]


def _conditions(filters: InvoiceFilter) -> list[Any]:
    t = it.invoices.c
    conditions = []
    if filters.status:
        conditions.append(t.status == filters.status)
    if filters.kind:
        conditions.append(t.kind == filters.kind)
    if filters.customer:
        conditions.append(t.customer_number == filters.customer)
    if filters.search:
        conditions.append(t.number.contains(filters.search.strip().upper(), autoescape=True))
    return conditions


def _header(doc: Document) -> dict[str, Any]:
    zero = Decimal(0)
    if doc.snapshot is not None:  # issued: the frozen totals, without computing them again
        net, vat, gross = doc.snapshot.net, doc.snapshot.vat, doc.snapshot.gross
    else:
        totals = doc.totals() if doc.lines else None
        net, vat, gross = (totals.net.amount, totals.vat.amount, totals.gross.amount) if totals else (zero,) * 3
    return {
        "kind": doc.kind,
        "status": doc.status,
        "legal_entity": doc.legal_entity,
        "customer_number": doc.customer_number,
        "currency": doc.currency,
        "rounding": doc.rounding,
        "source": doc.source,
        "billing_draft_id": int(doc.source.split(":", 1)[1]) if doc.source.startswith("draft:") else None,
        "contract_numbers": list(doc.contract_numbers),
        "buyer_reference": doc.buyer_reference,
        "prepared_by": doc.prepared_by,
        "created_at": doc.created_at,
        "approval_reason": doc.approval_reason,
        "approved_by": doc.approved_by,
        "approved_at": doc.approved_at,
        "stopped_reason": doc.stopped_reason,
        "number": doc.number,
        "issue_date": doc.issue_date,
        "due_date": doc.due_date,
        "payment_reference": doc.payment_reference,
        "issued_at": doc.issued_at,
        "sent_at": doc.sent_at,
        "credits_id": doc.credits_id,
        "reason": doc.reason,
        "net": net,
        "vat": vat,
        "gross": gross,
        "snapshot": doc.snapshot.to_json() if doc.snapshot else None,
    }


def _line_row(doc: Document, position: int, line: Line, charge_key: str | None) -> dict[str, Any]:
    return {
        "invoice_id": doc.id,
        "position": position,
        "description": line.description[:300],
        "quantity": line.quantity.quantize(_SIX, ROUND_HALF_UP),
        "unit_price": line.unit_price.amount.quantize(_SIX, ROUND_HALF_UP),
        "unit_code": line.unit_code,
        "item_id": line.item_id[:64],
        "category": line.category,
        "contract_number": line.contract_number,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "note": line.note,
        "vat_treatment": line.vat.treatment,
        "vat_category": line.vat.category,
        "vat_rate": line.vat.rate,
        "exemption_code": line.vat.exemption_code,
        "charge_key": charge_key,
    }


def _line(r: Any, currency: str) -> Line:
    vat = VatDecision(Treatment(r.vat_treatment), VatCategory(r.vat_category), r.vat_rate, r.exemption_code)
    return Line(
        r.quantity,
        Money(r.unit_price, currency),
        vat,
        r.description,
        unit_code=r.unit_code,
        item_id=r.item_id,
        contract_number=r.contract_number,
        period_start=r.period_start,
        period_end=r.period_end,
        note=r.note,
        category=r.category,
    )


def _document(r: Any, lines: list[Line], credited_number: str | None) -> Document:
    return Document(
        DocumentKind(r["kind"]),
        r["customer_number"],
        r["currency"],
        lines,
        r["prepared_by"],
        list(r["contract_numbers"]),
        TaxRounding(r["rounding"]),
        status=Status(r["status"]),
        number=r["number"],
        issue_date=r["issue_date"],
        due_date=r["due_date"],
        payment_reference=r["payment_reference"],
        approved_by=r["approved_by"],
        stopped_reason=r["stopped_reason"],
        credits=credited_number,
        id=r["id"],
        legal_entity=r["legal_entity"],
        source=r["source"],
        buyer_reference=r["buyer_reference"],
        reason=r["reason"],
        credits_id=r["credits_id"],
        created_at=r["created_at"],
        approved_at=r["approved_at"],
        issued_at=r["issued_at"],
        sent_at=r["sent_at"],
        approval_reason=r["approval_reason"],
        snapshot=DocumentSnapshot.from_json(r["snapshot"]) if r["snapshot"] else None,
    )
