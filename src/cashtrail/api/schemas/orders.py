"""Order payloads: entry (header and lines), the order review, findings, checklist, events, late lines and trends.
Amounts, prices and quantities are decimal strings, never JSON numbers."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import Page, Percent, UnitPrice, decimal_text, money_text
from cashtrail.billing.pending import PendingState
from cashtrail.orders.checks import StoredFinding
from cashtrail.orders.model import Milestone, Order, OrderLine, line_label
from cashtrail.orders.pricing import LineDraft
from cashtrail.orders.queries import LateLineRow, OrderView, Trend
from cashtrail.orders.triggers import OrderEvent


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=32)
    description: str = Field(default="", max_length=200)
    percent: Percent


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line: int = Field(ge=1, le=999)
    sku: str = Field(min_length=1, max_length=64)
    quantity: UnitPrice
    unit_price: UnitPrice | None = Field(default=None, description="Blank: the contract's, else the list price.")
    discount_percent: Percent | None = Field(default=None, description="Blank: the contract's discount.")
    tax_category: str | None = Field(default=None, pattern="^(standard|reduced|zero|exempt)$")
    trigger: str | None = Field(default=None, pattern="^(shipment|activation|milestone|schedule|manual)$")
    description: str = Field(default="", max_length=300)
    expected_ship_date: date | None = None
    start_date: date | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list)

    def to_draft(self) -> LineDraft:
        return LineDraft(
            self.line,
            self.sku,
            self.quantity,
            self.unit_price,
            self.discount_percent,
            self.tax_category,
            self.trigger,
            self.description,
            self.expected_ship_date,
            self.start_date,
            tuple(Milestone(m.code, m.description or m.code, m.percent) for m in self.milestones),
        )


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(min_length=1, max_length=24)
    customer_number: str = Field(min_length=1, max_length=32)
    currency: str = Field(pattern="^[A-Za-z]{3}$")
    order_date: date
    bill_to: str = Field(default="", max_length=32)
    ship_to: str = Field(default="", max_length=300)
    po_number: str = Field(default="", max_length=64)
    po_date: date | None = None
    contract_number: str | None = Field(default=None, max_length=32)
    sales_rep: str = Field(default="", max_length=64)
    requested_ship_date: date | None = None
    expected_ship_date: date | None = None
    tax_exemption_claimed: bool = False
    lines: list[LineIn] = Field(min_length=1, max_length=999)

    def header(self) -> Order:
        return Order(
            number=self.number,
            customer_number=self.customer_number,
            currency=self.currency.upper(),
            order_date=self.order_date,
            bill_to=self.bill_to,
            ship_to=self.ship_to,
            po_number=self.po_number,
            po_date=self.po_date,
            contract_number=self.contract_number or None,
            sales_rep=self.sales_rep,
            requested_ship_date=self.requested_ship_date,
            expected_ship_date=self.expected_ship_date,
            tax_exemption_claimed=self.tax_exemption_claimed,
        )


class OrderSummaryOut(BaseModel):
    number: str
    customer_number: str
    bill_to: str
    status: str
    order_date: date
    po_number: str
    contract_number: str | None
    sales_rep: str
    currency: str
    total: str

    @classmethod
    def of(cls, o: Order) -> OrderSummaryOut:
        return cls(
            number=o.number,
            customer_number=o.customer_number,
            bill_to=o.invoiced_customer,
            status=o.status,
            order_date=o.order_date,
            po_number=o.po_number,
            contract_number=o.contract_number,
            sales_rep=o.sales_rep,
            currency=o.currency,
            total=money_text(o.total().amount, o.currency),
        )


class OrderPage(Page[OrderSummaryOut]):
    pass


class LineOut(BaseModel):
    line: str
    parent: str | None
    sku: str
    product_type: str
    description: str
    quantity: str
    unit_price: str
    discount_percent: str
    net_amount: str
    tax_category: str
    trigger: str
    status: str
    fulfilled_quantity: str
    delivered_quantity: str
    expected_ship_date: date | None
    start_date: date | None
    contract_number: str | None = Field(description="The contract a scheduled line was handed to.")

    @classmethod
    def of(cls, x: OrderLine, currency: str) -> LineOut:
        return cls(
            line=x.label,
            parent=line_label(x.parent_line_no) if x.parent_line_no else None,
            sku=x.sku,
            product_type=x.product_type,
            description=x.description,
            quantity=decimal_text(x.quantity),
            unit_price=decimal_text(x.unit_price),
            discount_percent=decimal_text(x.discount_percent),
            net_amount=money_text(x.net_amount, currency),
            tax_category=x.tax_category,
            trigger=x.trigger,
            status=x.status,
            fulfilled_quantity=decimal_text(x.fulfilled_quantity),
            delivered_quantity=decimal_text(x.delivered_quantity),
            expected_ship_date=x.expected_ship_date,
            start_date=x.start_date,
            contract_number=x.contract_number,
        )


class FindingOut(BaseModel):
    id: int | None
    code: str
    line: str | None
    subject: str
    message: str
    expected: str
    actual: str
    status: str
    overridden_by: str | None
    overridden_at: datetime | None
    override_reason: str | None

    @classmethod
    def of(cls, f: StoredFinding) -> FindingOut:
        return cls(
            id=f.id,
            code=f.finding.code,
            line=line_label(f.finding.line_no) if f.finding.line_no else None,
            subject=f.finding.subject,
            message=f.finding.message,
            expected=f.finding.expected,
            actual=f.finding.actual,
            status=f.status,
            overridden_by=f.overridden_by,
            overridden_at=f.overridden_at,
            override_reason=f.override_reason,
        )


class ChecklistOut(BaseModel):
    item: str
    required: bool
    status: str = Field(description="attached, waived, passed, missing or not_required")
    documents: list[str]
    note: str | None


class DocumentOut(BaseModel):
    id: int | None
    item: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class EventOut(BaseModel):
    line: str
    kind: str
    reference: str
    occurred_on: date
    quantity: str | None
    serials: list[str]
    delivered_on: date | None
    charge_key: str | None
    amount: str | None
    recorded_by: str

    @classmethod
    def of(cls, e: OrderEvent, currency: str) -> EventOut:
        return cls(
            line=line_label(e.line_no),
            kind=e.kind,
            reference=e.reference,
            occurred_on=e.day,
            quantity=decimal_text(e.quantity) if e.quantity is not None else None,
            serials=list(e.serials),
            delivered_on=e.delivered_on,
            charge_key=e.charge_key,
            amount=money_text(e.amount, currency) if e.amount is not None else None,
            recorded_by=e.recorded_by,
        )


class ChargeStateOut(BaseModel):
    key: str
    status: str = Field(description="pending, cancelled or billed")
    billed_period: str | None

    @classmethod
    def of(cls, s: PendingState) -> ChargeStateOut:
        return cls(key=s.key, status=s.status, billed_period=s.billed_period)


class OrderOut(OrderSummaryOut):
    ship_to: str
    po_date: date | None
    requested_ship_date: date | None
    expected_ship_date: date | None
    tax_exemption_claimed: bool
    entered_by: str
    accepted_by: str | None
    lines: list[LineOut]
    findings: list[FindingOut]
    checklist: list[ChecklistOut]
    blockers: list[str] = Field(description="Why the order cannot be accepted yet (empty when it can).")
    documents: list[DocumentOut]
    events: list[EventOut]
    charges: list[ChargeStateOut]

    @classmethod
    def of_view(cls, v: OrderView) -> OrderOut:
        o = v.order
        return cls(
            **OrderSummaryOut.of(o).model_dump(),
            ship_to=o.ship_to,
            po_date=o.po_date,
            requested_ship_date=o.requested_ship_date,
            expected_ship_date=o.expected_ship_date,
            tax_exemption_claimed=o.tax_exemption_claimed,
            entered_by=o.entered_by,
            accepted_by=o.accepted_by,
            lines=[LineOut.of(x, o.currency) for x in o.lines],
            findings=[FindingOut.of(f) for f in v.findings],
            checklist=[
                ChecklistOut(
                    item=e.item,
                    required=e.required,
                    status=e.status,
                    documents=list(e.documents),
                    note=e.mark.reason if e.mark else None,
                )
                for e in v.checklist
            ],
            blockers=v.blockers,
            documents=[DocumentOut(**vars(d)) for d in v.documents],
            events=[EventOut.of(e, o.currency) for e in v.events],
            charges=[ChargeStateOut.of(c) for c in v.charges],
        )


class LineChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quantity: UnitPrice | None = None
    unit_price: UnitPrice | None = None
    discount_percent: Percent | None = None
    expected_ship_date: date | None = None
    reason: str = Field(min_length=1, max_length=500)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class OverrideIn(ReasonIn):
    finding_ids: list[int] | None = Field(default=None, description="Default: every open finding.")


class CreditCheckOut(BaseModel):
    passed: bool
    message: str


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line: str = Field(pattern=r"^\d{1,3}(\.\d{1,3})?$", examples=["3", "3.2"])
    kind: str = Field(pattern="^(shipment|activation|milestone|manual)$")
    reference: str = Field(min_length=1, max_length=64, description="Shipment/activation id, milestone code …")
    occurred_on: date
    quantity: UnitPrice | None = None
    serials: list[str] = Field(default_factory=list, max_length=10_000)
    delivered_on: date | None = None
    carrier: str = Field(default="", max_length=64)
    tracking: str = Field(default="", max_length=100)


class EventResultOut(BaseModel):
    order: str
    event: EventOut
    charge_key: str | None = Field(description="The billing charge this event fired now (null when none).")
    replay: bool = Field(description="True when the same event was recorded before (nothing changed).")


class AcceptOut(BaseModel):
    number: str
    status: str
    contracts: list[str] = Field(description="Contracts the scheduled lines were handed to.")
    charges: list[str] = Field(description="Charges of events recorded before acceptance, fired now.")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2000)
    kind: str = Field(default="general", pattern="^(supplier|logistics|general)$")
    line: str | None = Field(default=None, pattern=r"^\d{1,3}(\.\d{1,3})?$")


class LateLineOut(BaseModel):
    order: str
    line: str
    customer_number: str
    sales_rep: str
    sku: str
    description: str
    open_quantity: str
    expected_ship_date: date
    days_late: int
    notes: list[str]

    @classmethod
    def of(cls, r: LateLineRow) -> LateLineOut:
        x = r.line
        return cls(
            order=x.order_number,
            line=x.label,
            customer_number=x.customer_number,
            sales_rep=x.sales_rep,
            sku=x.sku,
            description=x.description,
            open_quantity=decimal_text(x.open_quantity),
            expected_ship_date=x.expected,
            days_late=x.days_late,
            notes=[f"{n.kind}: {n.text}" for n in r.notes],
        )


class LateLineList(BaseModel):
    items: list[LateLineOut]


class TrendRowOut(BaseModel):
    month: str
    code: str
    customer_number: str
    sales_rep: str
    count: int


class TrendOut(BaseModel):
    months: list[str]
    rows: list[TrendRowOut]

    @classmethod
    def of(cls, t: Trend) -> TrendOut:
        rows = [
            TrendRowOut(month=r.month, code=r.code, customer_number=r.customer, sales_rep=r.sales_rep, count=r.count)
            for r in t.rows
        ]
        return cls(months=t.months, rows=rows)
