"""SQL repository of orders (Core, hand-written data mapper): headers, lines, events, findings, checklist
documents and marks, notes, and the read-side facts of the discrepancy trend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from cashtrail.db import orders_tables as ot
from cashtrail.db.repositories.billing import chunks
from cashtrail.orders.checklist import ChecklistMark, OrderDocument
from cashtrail.orders.checks import Finding, StoredFinding
from cashtrail.orders.model import Milestone, Order, OrderLine
from cashtrail.orders.monitoring import OrderNote
from cashtrail.orders.trends import DiscrepancyFact
from cashtrail.orders.triggers import OrderEvent

_SIX = Decimal("0.000001")
_HEADER = (
    "number",
    "customer_number",
    "bill_to",
    "ship_to",
    "currency",
    "order_date",
    "po_number",
    "po_date",
    "contract_number",
    "sales_rep",
    "requested_ship_date",
    "expected_ship_date",
    "tax_exemption_claimed",
    "note",
    "status",
    "entered_by",
    "entered_at",
    "accepted_by",
    "accepted_at",
)


class SqlOrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- orders and lines ---

    def add(self, order: Order) -> None:
        values = {name: getattr(order, name) for name in _HEADER}
        order.id = self.session.execute(insert(ot.orders).values(**values).returning(ot.orders.c.id)).scalar_one()
        self._insert_lines(order, order.lines)

    def save(self, order: Order) -> None:
        """Write the header and bring the stored lines to ``order.lines`` (by line number)."""
        values = {name: getattr(order, name) for name in _HEADER}
        self.session.execute(update(ot.orders).where(ot.orders.c.id == order.id).values(**values))
        c = ot.order_lines.c
        stored = dict(self.session.execute(select(c.line_no, c.id).where(c.order_id == order.id)).all())
        wanted = {line.line_no for line in order.lines}
        gone = [stored[n] for n in stored if n not in wanted]
        if gone:
            self.session.execute(delete(ot.order_lines).where(c.id.in_(gone)))
        kept = [line for line in order.lines if line.line_no in stored]
        if kept:
            rows = [{"_id": stored[line.line_no], **_line_row(order, line)} for line in kept]
            for line in kept:
                line.id = stored[line.line_no]
            statement = update(ot.order_lines).where(c.id == bindparam("_id"))
            self.session.connection().execute(statement, rows)
        self._insert_lines(order, [line for line in order.lines if line.line_no not in stored])

    def _insert_lines(self, order: Order, lines: Sequence[OrderLine]) -> None:
        if not lines:
            return
        statement = insert(ot.order_lines).returning(ot.order_lines.c.id, sort_by_parameter_order=True)
        ids = self.session.execute(statement, [_line_row(order, line) for line in lines]).scalars()
        for line, new_id in zip(lines, ids, strict=True):
            line.id = new_id

    def get_by_number(self, number: str) -> Order | None:
        found = self._load(ot.orders.c.number == number)
        return found[0] if found else None

    def by_numbers(self, numbers: Iterable[str]) -> dict[str, Order]:
        found: dict[str, Order] = {}
        for chunk in chunks(sorted(set(numbers))):
            found.update({o.number: o for o in self._load(ot.orders.c.number.in_(chunk))})
        return found

    def page(
        self,
        *,
        after_id: int | None,
        limit: int,
        status: str | None = None,
        customer: str | None = None,
        search: str | None = None,
    ) -> list[Order]:
        o = ot.orders.c
        conditions: list[Any] = []
        if after_id is not None:
            conditions.append(o.id > after_id)
        if status:
            conditions.append(o.status == status)
        if customer:
            conditions.append(o.customer_number == customer)
        if search:
            pattern = f"%{search.lower()}%"
            conditions.append(or_(func.lower(o.number).like(pattern), func.lower(o.po_number).like(pattern)))
        return self._load(and_(*conditions) if conditions else None, limit=limit)

    def with_open_lines(self, triggers: Sequence[str]) -> list[Order]:
        """Orders not cancelled with at least one line of ``triggers`` still to ship or activate."""
        c = ot.order_lines.c
        ids = select(c.order_id).where(c.trigger.in_(triggers), c.is_bundle.is_(False), c.status.not_in(_DONE))
        return self._load(and_(ot.orders.c.id.in_(ids), ot.orders.c.status != "cancelled"))

    def ordered_quantities(
        self, contract_number: str, start: date, end: date | None, exclude: str
    ) -> dict[str, Decimal]:
        """Quantity per SKU on the other open and accepted orders under ``contract_number`` dated in the window."""
        o, c = ot.orders.c, ot.order_lines.c
        query = (
            select(c.sku, c.quantity)
            .select_from(ot.order_lines.join(ot.orders, o.id == c.order_id))
            .where(o.contract_number == contract_number, o.number != exclude, o.status != "cancelled")
            .where(o.order_date >= start)
        )
        if end is not None:
            query = query.where(o.order_date <= end)
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for sku, quantity in self.session.execute(query):
            totals[sku] += quantity  # summed in Python: SQLite stores the exact decimals as text (D-002)
        return dict(totals)

    def _load(self, condition: Any, *, limit: int | None = None) -> list[Order]:
        query = select(ot.orders).order_by(ot.orders.c.id)
        if condition is not None:
            query = query.where(condition)
        if limit is not None:
            query = query.limit(limit)
        headers = self.session.execute(query).mappings().all()
        lines: dict[int, list[OrderLine]] = {h["id"]: [] for h in headers}
        for chunk in chunks(list(lines)):
            c = ot.order_lines.c
            rows = self.session.execute(select(ot.order_lines).where(c.order_id.in_(chunk)).order_by(c.line_no))
            for row in rows:
                lines[row.order_id].append(_line(row))
        return [Order(**{k: h[k] for k in _HEADER}, lines=lines[h["id"]], id=h["id"]) for h in headers]

    # --- events ---

    def events_of(self, order_id: int) -> list[OrderEvent]:
        c = ot.order_events.c
        rows = self.session.execute(select(ot.order_events).where(c.order_id == order_id).order_by(c.id))
        return [_event(r) for r in rows]

    def find_events(self, keys: Iterable[tuple[str, int, str, str]]) -> dict[tuple[str, int, str, str], OrderEvent]:
        """Stored events by (order number, line, kind, reference)."""
        wanted = set(keys)
        found: dict[tuple[str, int, str, str], OrderEvent] = {}
        o, c = ot.orders.c, ot.order_events.c
        for chunk in chunks(sorted({k[0] for k in wanted})):
            query = (
                select(o.number, ot.order_events)
                .select_from(ot.order_events.join(ot.orders, o.id == c.order_id))
                .where(o.number.in_(chunk))
            )
            for row in self.session.execute(query):
                key = (row.number, row.line_no, row.kind, row.reference)
                if key in wanted:
                    found[key] = _event(row)
        return found

    def add_event(self, order_id: int, event: OrderEvent) -> int:
        row = {
            "order_id": order_id,
            "line_no": event.line_no,
            "kind": event.kind,
            "reference": event.reference,
            "event_date": event.day,
            "quantity": None if event.quantity is None else event.quantity.quantize(_SIX, ROUND_HALF_UP),
            "serials": list(event.serials),
            "delivered_on": event.delivered_on,
            "carrier": event.carrier,
            "tracking": event.tracking,
            "note": event.note,
            "charge_key": event.charge_key,
            "amount": event.amount,
            "recorded_by": event.recorded_by,
            "recorded_at": event.recorded_at,
        }
        return int(
            self.session.execute(insert(ot.order_events).values(**row).returning(ot.order_events.c.id)).scalar_one()
        )

    def set_event_charge(self, event_id: int, charge_key: str, amount: Decimal) -> None:
        c = ot.order_events.c
        self.session.execute(
            update(ot.order_events).where(c.id == event_id).values(charge_key=charge_key, amount=amount)
        )

    def set_event_delivery(self, event_id: int, delivered_on: date | None, carrier: str, tracking: str) -> None:
        c = ot.order_events.c
        values = {"delivered_on": delivered_on, "carrier": carrier, "tracking": tracking}
        self.session.execute(update(ot.order_events).where(c.id == event_id).values(**values))

    # --- findings ---

    def findings_of(self, order_id: int) -> list[StoredFinding]:
        c = ot.order_findings.c
        rows = self.session.execute(select(ot.order_findings).where(c.order_id == order_id).order_by(c.id))
        return [_finding(r) for r in rows]

    def add_findings(self, order_id: int, findings: Sequence[Finding], at: datetime) -> None:
        rows = [
            {
                "order_id": order_id,
                "line_no": f.line_no,
                "code": f.code,
                "subject": f.subject[:64],
                "message": f.message[:300],
                "expected": f.expected[:64],
                "actual": f.actual[:64],
                "status": "open",
                "found_at": at,
            }
            for f in findings
        ]
        if rows:
            self.session.execute(insert(ot.order_findings), rows)

    def save_finding(self, stored: StoredFinding) -> None:
        self.session.execute(
            update(ot.order_findings)
            .where(ot.order_findings.c.id == stored.id)
            .values(
                status=stored.status,
                overridden_by=stored.overridden_by,
                overridden_at=stored.overridden_at,
                override_reason=stored.override_reason,
                resolved_at=stored.resolved_at,
            )
        )

    def discrepancy_facts(self, start: date, end: date) -> list[DiscrepancyFact]:
        """Every finding of orders dated from ``start`` to ``end``, with what the trend counts it by."""
        o, f = ot.orders.c, ot.order_findings.c
        query = (
            select(o.order_date, f.code, o.customer_number, o.sales_rep, f.status, o.number)
            .select_from(ot.order_findings.join(ot.orders, o.id == f.order_id))
            .where(o.order_date >= start, o.order_date <= end)
            .order_by(o.order_date, f.id)
        )
        return [DiscrepancyFact(*row) for row in self.session.execute(query)]

    # --- checklist documents and marks, notes ---

    def documents_of(self, order_id: int) -> list[OrderDocument]:
        d = ot.order_documents.c
        query = select(*(col for col in ot.order_documents.c if col.name not in ("content", "order_id")))
        rows = self.session.execute(query.where(d.order_id == order_id).order_by(d.id)).mappings()
        return [OrderDocument(**dict(r)) for r in rows]

    def add_document(self, order_id: int, document: OrderDocument, content: bytes) -> int:
        values = {k: v for k, v in vars(document).items() if k != "id"}
        statement = insert(ot.order_documents).values(order_id=order_id, content=content, **values)
        return int(self.session.execute(statement.returning(ot.order_documents.c.id)).scalar_one())

    def document_content(self, order_id: int, document_id: int) -> tuple[OrderDocument, bytes] | None:
        d = ot.order_documents.c
        row = (
            self.session.execute(select(ot.order_documents).where(d.order_id == order_id, d.id == document_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        fields = {
            k: row[k] for k in ("item", "filename", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
        }
        return OrderDocument(**fields, id=row["id"]), bytes(row["content"])

    def marks_of(self, order_id: int) -> list[ChecklistMark]:
        m = ot.order_checklist_marks.c
        query = select(m.item, m.kind, m.reason, m.marked_by, m.marked_at).where(m.order_id == order_id)
        return [ChecklistMark(*row) for row in self.session.execute(query.order_by(m.id))]

    def add_mark(self, order_id: int, mark: ChecklistMark) -> None:
        self.session.execute(
            insert(ot.order_checklist_marks).values(
                order_id=order_id,
                item=mark.item,
                kind=mark.kind,
                reason=mark.reason,
                marked_by=mark.by,
                marked_at=mark.at,
            )
        )

    def notes_of(self, order_ids: Sequence[int]) -> dict[int, list[OrderNote]]:
        n = ot.order_notes.c
        found: dict[int, list[OrderNote]] = {i: [] for i in order_ids}
        for chunk in chunks(sorted(set(order_ids))):
            rows = self.session.execute(select(ot.order_notes).where(n.order_id.in_(chunk)).order_by(n.id))
            for r in rows:
                found[r.order_id].append(OrderNote(r.line_no, r.kind, r.text, r.noted_by, r.noted_at, r.id))
        return found

    def add_note(self, order_id: int, note: OrderNote) -> None:
        self.session.execute(
            insert(ot.order_notes).values(
                order_id=order_id,
                line_no=note.line_no,
                kind=note.kind,
                text=note.text,
                noted_by=note.by,
                noted_at=note.at,
            )
        )


_DONE = ("shipped", "delivered", "active", "completed", "handed_over", "expanded")


def _line_row(order: Order, line: OrderLine) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "line_no": line.line_no,
        "parent_line_no": line.parent_line_no,
        "sku": line.sku,
        "product_type": line.product_type,
        "description": line.description[:300],
        "quantity": line.quantity.quantize(_SIX, ROUND_HALF_UP),
        "unit_price": line.unit_price.quantize(_SIX, ROUND_HALF_UP),
        "discount_percent": line.discount_percent,
        "net_amount": line.net_amount,
        "tax_category": line.tax_category,
        "trigger": line.trigger,
        "is_bundle": line.is_bundle,
        "expected_ship_date": line.expected_ship_date,
        "start_date": line.start_date,
        "milestones": [
            {"code": m.code, "description": m.description, "percent": str(m.percent)} for m in line.milestones
        ],
        "status": line.status,
        "fulfilled_quantity": line.fulfilled_quantity.quantize(_SIX, ROUND_HALF_UP),
        "delivered_quantity": line.delivered_quantity.quantize(_SIX, ROUND_HALF_UP),
        "contract_number": line.contract_number,
    }


def _line(r: Any) -> OrderLine:
    return OrderLine(
        line_no=r.line_no,
        sku=r.sku,
        product_type=r.product_type,
        description=r.description,
        quantity=r.quantity,
        unit_price=r.unit_price,
        discount_percent=r.discount_percent,
        tax_category=r.tax_category,
        trigger=r.trigger,
        net_amount=r.net_amount,
        parent_line_no=r.parent_line_no,
        is_bundle=r.is_bundle,
        expected_ship_date=r.expected_ship_date,
        start_date=r.start_date,
        milestones=tuple(Milestone(m["code"], m["description"], Decimal(m["percent"])) for m in r.milestones),
        status=r.status,
        fulfilled_quantity=r.fulfilled_quantity,
        delivered_quantity=r.delivered_quantity,
        contract_number=r.contract_number,
        id=r.id,
    )


def _event(r: Any) -> OrderEvent:
    return OrderEvent(
        line_no=r.line_no,
        kind=r.kind,
        reference=r.reference,
        day=r.event_date,
        quantity=r.quantity,
        serials=tuple(r.serials),
        delivered_on=r.delivered_on,
        carrier=r.carrier,
        tracking=r.tracking,
        note=r.note,
        charge_key=r.charge_key,
        amount=r.amount,
        recorded_by=r.recorded_by,
        recorded_at=r.recorded_at,
        id=r.id,
    )


def _finding(r: Any) -> StoredFinding:
    return StoredFinding(
        Finding(r.code, r.line_no, r.subject, r.message, r.expected, r.actual),
        status=r.status,
        found_at=r.found_at,
        overridden_by=r.overridden_by,
        overridden_at=r.overridden_at,
        override_reason=r.override_reason,
        resolved_at=r.resolved_at,
        id=r.id,
    )
