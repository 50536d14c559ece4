"""Invoice, credit-note and legal-entity payloads. Amounts are decimal strings next to a currency."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from cashtrail.api.schemas.common import Amount, Page, UnitPrice, decimal_text, money_text
from cashtrail.invoicing.approval_services import WaitingApproval
from cashtrail.invoicing.lifecycle import Document
from cashtrail.invoicing.queries import InvoiceDetail
from cashtrail.invoicing.summary import InvoiceSummary
from cashtrail.parties.entities import LegalEntity


class InvoiceSummaryOut(BaseModel):
    id: int
    kind: str
    status: str
    number: str | None
    customer_number: str
    legal_entity: str
    currency: str
    net: str
    vat: str
    gross: str
    issue_date: date | None
    due_date: date | None
    approval_reason: str = Field(description="Why the draft needs a second person's approval; empty when it does not.")
    stopped_reason: str | None
    credits_id: int | None

    @classmethod
    def of(cls, s: InvoiceSummary) -> InvoiceSummaryOut:
        return cls(
            id=s.id,
            kind=s.kind,
            status=s.status,
            number=s.number,
            customer_number=s.customer_number,
            legal_entity=s.legal_entity,
            currency=s.currency,
            net=money_text(s.net, s.currency),
            vat=money_text(s.vat, s.currency),
            gross=money_text(s.gross, s.currency),
            issue_date=s.issue_date,
            due_date=s.due_date,
            approval_reason=s.approval_reason,
            stopped_reason=s.stopped_reason,
            credits_id=s.credits_id,
        )


InvoicePage = Page[InvoiceSummaryOut]


class LineOut(BaseModel):
    position: int
    description: str
    quantity: str
    unit_code: str
    unit_price: str
    net: str
    vat_category: str
    vat_rate: str
    period_start: date | None
    period_end: date | None
    contract_number: str
    note: str


class VatGroupOut(BaseModel):
    category: str
    rate: str
    taxable: str
    tax: str
    exemption_code: str


class FileOut(BaseModel):
    format: str
    file_name: str
    media_type: str
    size: int
    sha256: str


class MessageOut(BaseModel):
    recipient: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


class InvoiceOut(InvoiceSummaryOut):
    payment_reference: str | None = Field(description="The structured reference as printed (OGM/VCS or RF).")
    buyer_reference: str
    contract_numbers: list[str]
    prepared_by: str
    approved_by: str | None
    credits: str | None = Field(description="For a credit note: the number of the invoice it corrects.")
    reason: str
    lines: list[LineOut]
    vat_breakdown: list[VatGroupOut]
    files: list[FileOut] = []
    messages: list[MessageOut] = []
    credit_notes: list[InvoiceSummaryOut] = []

    @classmethod
    def of_document(cls, doc: Document, detail: InvoiceDetail | None = None) -> InvoiceOut:
        totals = doc.totals()
        cur = doc.currency
        assert doc.id is not None
        return cls(
            id=doc.id,
            kind=doc.kind,
            status=doc.status,
            number=doc.number,
            customer_number=doc.customer_number,
            legal_entity=doc.legal_entity,
            currency=cur,
            net=money_text(totals.net.amount, cur),
            vat=money_text(totals.vat.amount, cur),
            gross=money_text(totals.gross.amount, cur),
            issue_date=doc.issue_date,
            due_date=doc.due_date,
            approval_reason=doc.approval_reason,
            stopped_reason=doc.stopped_reason,
            credits_id=doc.credits_id,
            payment_reference=doc.snapshot.payment_reference_display if doc.snapshot else None,
            buyer_reference=doc.buyer_reference,
            contract_numbers=list(doc.contract_numbers),
            prepared_by=doc.prepared_by,
            approved_by=doc.approved_by,
            credits=doc.credits,
            reason=doc.reason,
            lines=[
                LineOut(
                    position=i,
                    description=la.line.description,
                    quantity=decimal_text(la.line.quantity),
                    unit_code=la.line.unit_code,
                    unit_price=decimal_text(la.line.unit_price.amount),
                    net=money_text(la.net.amount, cur),
                    vat_category=la.line.vat.category,
                    vat_rate=decimal_text(la.line.vat.rate),
                    period_start=la.line.period_start,
                    period_end=la.line.period_end,
                    contract_number=la.line.contract_number,
                    note=la.line.note,
                )
                for i, la in enumerate(totals.lines, start=1)
            ],
            vat_breakdown=[
                VatGroupOut(
                    category=b.category,
                    rate=decimal_text(b.rate),
                    taxable=money_text(b.taxable.amount, cur),
                    tax=money_text(b.tax.amount, cur),
                    exemption_code=b.exemption_code,
                )
                for b in totals.breakdown
            ],
            files=[
                FileOut(format=f.format, file_name=f.file_name, media_type=f.media_type, size=f.size, sha256=f.sha256)
                for f in (detail.files if detail else [])
            ],
            messages=[
                MessageOut(
                    recipient=m.recipient,
                    status=m.status,
                    attempts=m.attempts,
                    last_error=m.last_error,
                    sent_at=m.sent_at,
                )
                for m in (detail.messages if detail else [])
            ],
            credit_notes=[InvoiceSummaryOut.of(c) for c in (detail.credit_notes if detail else [])],
        )


class PrepareOut(BaseModel):
    invoices: int
    credit_notes: int
    needing_approval: int
    ids: list[int]


class WaitingOut(BaseModel):
    invoice_id: int
    kind: str
    customer_number: str
    legal_entity: str
    gross: str
    currency: str
    reason: str
    prepared_by: str
    waiting_since: datetime | None
    age_days: int
    approvers: list[str]
    stopped: str | None

    @classmethod
    def of(cls, w: WaitingApproval) -> WaitingOut:
        return cls(
            invoice_id=w.invoice_id,
            kind=w.kind,
            customer_number=w.customer_number,
            legal_entity=w.legal_entity,
            gross=money_text(w.gross.amount, w.gross.currency),
            currency=w.gross.currency,
            reason=w.reason,
            prepared_by=w.prepared_by,
            waiting_since=w.waiting_since,
            age_days=w.age_days,
            approvers=list(w.approvers),
            stopped=w.stopped,
        )


class ApprovalQueueOut(BaseModel):
    items: list[WaitingOut]


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class IssueIn(BaseModel):
    issue_date: date | None = Field(None, description="Default: today in the legal entity's time zone.")


class CreditIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    lines: list[int] | None = Field(None, description="Credit only these lines (1-based positions).")
    amount: Amount | None = Field(None, description="Credit this gross amount, spread over the lines.")
    quantities: dict[int, UnitPrice] | None = Field(
        None,
        description='Credit part of some lines: 1-based position → quantity at the line\'s price, e.g. {"2": "3"}.',
    )


class SendIn(BaseModel):
    recipient: str | None = Field(None, description="Default: the customer's billing contact.")


class SendOut(BaseModel):
    key: str
    recipient: str
    status: str


class StopIn(BaseModel):
    scope: str = Field(pattern="^(customer|contract)$")
    target: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class StopOut(BaseModel):
    id: int
    scope: str
    target: str
    reason: str
    created_by: str
    created_at: datetime


class StopList(BaseModel):
    items: list[StopOut]


class LegalEntityOut(BaseModel):
    code: str
    name: str
    country: str
    vat_number: str
    company_id: str
    iban: str
    bic: str
    is_default: bool
    approval_threshold: str | None
    currency: str
    approve_first_invoice: bool
    approve_credit_notes: bool

    @classmethod
    def of(cls, e: LegalEntity) -> LegalEntityOut:
        return cls(
            code=e.code,
            name=e.name,
            country=e.country,
            vat_number=e.vat_number,
            company_id=e.company_id,
            iban=e.iban,
            bic=e.bic,
            is_default=e.is_default,
            approval_threshold=None if e.approval_threshold is None else money_text(e.approval_threshold, e.currency),
            currency=e.currency,
            approve_first_invoice=e.approve_first_invoice,
            approve_credit_notes=e.approve_credit_notes,
        )


class LegalEntityList(BaseModel):
    items: list[LegalEntityOut]
