"""The invoice lifecycle: draft → approved → issued → sent, and corrections only by credit note.

Invariants:
- an issued document is immutable: its lines, totals, number and dates never change (a correction is a credit note
  that references it, in full or for some lines or an amount);
- approval follows rules (an amount threshold, the first invoice of a contract, every credit note) and segregation
  of duties: the person who prepared a document may not approve it;
- a stopped draft (a "stop invoice" instruction, with a reason) can be neither approved nor issued until released;
- the number, issue date, due date and payment reference are set together at issue, inside the transaction that
  allocates the number (the numbering itself is the adapter's: gapless per series).
Each transition returns nothing and raises a typed ``InvalidState``/``PermissionDenied`` with a stable code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from cashtrail.errors import InvalidState, PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.invoicing.snapshot import DocumentSnapshot
from cashtrail.invoicing.totals import DocumentKind, InvoiceTotals, Line, TaxRounding, compute_totals
from cashtrail.money import Money

_QUANTITY = Decimal("0.000001")


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    ISSUED = "issued"
    SENT = "sent"


@dataclass(frozen=True)
class ApprovalRules:
    """When a draft needs a second person's approval before it may be issued."""

    threshold: Money | None = None  # gross amounts above it need approval
    first_invoice_of_contract: bool = True
    credit_notes: bool = True


@dataclass(eq=False)
class Document:
    """An invoice or credit note of one customer in one currency."""

    kind: DocumentKind
    customer_number: str
    currency: str
    lines: list[Line]
    prepared_by: str
    contract_numbers: list[str] = field(default_factory=list)
    rounding: TaxRounding = TaxRounding.PER_RATE
    status: Status = Status.DRAFT
    number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    payment_reference: str | None = None
    approved_by: str | None = None
    stopped_reason: str | None = None
    credits: str | None = None  # the number of the invoice a credit note corrects
    id: int | None = None
    legal_entity: str = ""  # the code of the selling entity (its number series and approval rules)
    source: str = ""  # where the draft came from: "draft:<billing draft id>", "manual", "order:<n>", "rma:<n>"
    buyer_reference: str = ""  # the customer's PO number, else the contract number (EN 16931 BT-10)
    reason: str = ""  # why a credit note is issued
    credits_id: int | None = None
    created_at: datetime | None = None
    approved_at: datetime | None = None
    issued_at: datetime | None = None
    sent_at: datetime | None = None
    approval_reason: str = ""  # why this draft needs a second person's approval; empty when it does not
    snapshot: DocumentSnapshot | None = None  # what was issued, frozen at issue

    def totals(self) -> InvoiceTotals:
        """The document's reconciled totals (computed from its lines; stored totals must equal these)."""
        return compute_totals(self.lines, currency=self.currency, rounding=self.rounding, kind=self.kind)

    def needs_approval(self, rules: ApprovalRules, *, first_of_contract: bool) -> bool:
        """True when the rules ask a second person to approve this draft."""
        return bool(self.why_approval(rules, first_of_contract=first_of_contract))

    def why_approval(self, rules: ApprovalRules, *, first_of_contract: bool) -> str:
        """The rule that asks a second person to approve this draft, or ``""`` when none does."""
        if self.kind == DocumentKind.CREDIT_NOTE:
            return "every credit note is approved" if rules.credit_notes else ""
        if rules.first_invoice_of_contract and first_of_contract:
            return "first invoice of the contract"
        if rules.threshold is not None and self.totals().gross > rules.threshold:
            return f"total above {rules.threshold}"
        return ""

    def stop(self, reason: str) -> None:
        """Hold a draft from approval and issue (a "stop invoice" instruction)."""
        self._require(Status.DRAFT, Status.APPROVED, action="stop")
        if not reason.strip():
            raise ValidationFailed("stopping a draft needs a reason", code="invoice.stop_reason_required")
        self.stopped_reason = reason.strip()

    def release(self) -> None:
        """Lift a stop."""
        if self.stopped_reason is None:
            raise InvalidState("the draft is not stopped", code="invoice.not_stopped")
        self.stopped_reason = None

    def approve(self, approver: Actor, at: datetime | None = None) -> None:
        """Approve a draft; the preparer may not approve their own document."""
        self._require(Status.DRAFT, action="approve")
        self._not_stopped()
        self.approved_at = at
        if approver.username == self.prepared_by:
            raise PermissionDenied(
                f"{approver.username} prepared this document and may not approve it",
                code="invoice.segregation_of_duties",
                actor=approver.username,
            )
        self.status, self.approved_by = Status.APPROVED, approver.username

    def issue(
        self, *, number: str, issue_date: date, due_date: date, payment_reference: str, approval_needed: bool
    ) -> None:
        """Give the document its number, dates and payment reference; from now on it is immutable."""
        self._require(Status.DRAFT, Status.APPROVED, action="issue")
        self._not_stopped()
        if approval_needed and self.status != Status.APPROVED:
            raise InvalidState("this document needs approval before it is issued", code="invoice.approval_required")
        if due_date < issue_date:
            raise ValidationFailed("the due date is before the issue date", code="invoice.due_before_issue")
        self.totals()  # refuses a document whose totals do not reconcile or are negative
        self.status, self.number = Status.ISSUED, number
        self.issue_date, self.due_date, self.payment_reference = issue_date, due_date, payment_reference

    def issued_fields(self) -> tuple[str, date, date, str]:
        """Number, issue date, due date and payment reference of an issued document."""
        if self.number is None or self.issue_date is None or self.due_date is None or self.payment_reference is None:
            raise InvalidState("the document is not issued", code="invoice.not_issued")
        return self.number, self.issue_date, self.due_date, self.payment_reference

    def mark_sent(self) -> None:
        """Record that the customer was sent the document."""
        self._require(Status.ISSUED, Status.SENT, action="send")
        self.status = Status.SENT

    def credit(
        self,
        prepared_by: str,
        *,
        lines: Sequence[int] | None = None,
        amount: Money | None = None,
        quantities: Mapping[int, Decimal] | None = None,
    ) -> Document:
        """A credit-note draft correcting this issued invoice: in full, for some line indexes, for part of some
        lines' quantities (index → quantity, at the line's price), or for an amount (every line scaled by amount ÷
        gross, so the VAT mix is kept; the credit's gross then equals the amount to within a cent per line, because
        each line is rounded)."""
        self._require(Status.ISSUED, Status.SENT, action="credit")
        if self.kind != DocumentKind.INVOICE:
            raise InvalidState("only an invoice can be credited", code="invoice.credit_of_credit_note")
        if quantities is not None:
            if lines is not None or amount is not None:
                raise ValidationFailed(
                    "credit lines, quantities or an amount, one of them", code="invoice.credit_ambiguous"
                )
            chosen = self._credit_quantities(quantities)
        else:
            chosen = self._credit_lines(lines, amount)
        return Document(
            DocumentKind.CREDIT_NOTE,
            self.customer_number,
            self.currency,
            chosen,
            prepared_by,
            list(self.contract_numbers),
            self.rounding,
            credits=self.number,
            credits_id=self.id,
            legal_entity=self.legal_entity,
            buyer_reference=self.buyer_reference,
        )

    def _credit_quantities(self, quantities: Mapping[int, Decimal]) -> list[Line]:
        if not quantities:
            raise ValidationFailed("a credit note needs at least one line", code="invoicing.no_lines")
        picked = []
        for index, quantity in sorted(quantities.items()):
            if not 0 <= index < len(self.lines):
                raise ValidationFailed(
                    f"the invoice has no line {index + 1}", code="invoice.credit_line_unknown", line=index + 1
                )
            line = self.lines[index]
            if not 0 < quantity <= abs(line.quantity) or quantity != quantity.quantize(_QUANTITY):
                raise ValidationFailed(
                    f"line {index + 1} can be credited for more than 0 and at most {abs(line.quantity).normalize()}"
                    " (six decimals at most)",
                    code="invoice.credit_quantity_out_of_range",
                    line=index + 1,
                    quantity=str(quantity),
                )
            picked.append(replace(line, quantity=quantity if line.quantity > 0 else -quantity))
        return picked

    def _credit_lines(self, lines: Sequence[int] | None, amount: Money | None) -> list[Line]:
        if lines is not None and amount is not None:
            raise ValidationFailed("credit either lines or an amount, not both", code="invoice.credit_ambiguous")
        if amount is None:
            picked = [self.lines[i] for i in (lines if lines is not None else range(len(self.lines)))]
            if not picked:
                raise ValidationFailed("a credit note needs at least one line", code="invoicing.no_lines")
            return picked
        gross = self.totals().gross
        if not (Money.zero(self.currency) < amount <= gross):
            raise ValidationFailed(
                f"the credit must be between 0 and the invoice's {gross}",
                code="invoice.credit_amount_out_of_range",
                amount=str(amount),
            )
        share = amount.amount / gross.amount
        # Quantities are stored with six decimals: the scaled quantity is rounded there, once, so what is stored is
        # exactly what was computed (the credit's gross may then differ from the amount by a cent per line).
        return [
            replace(
                line,
                quantity=(line.quantity * share).quantize(_QUANTITY, ROUND_HALF_UP),
                description=f"Credit: {line.description}",
            )
            for line in self.lines
        ]

    def _require(self, *allowed: Status, action: str) -> None:
        if self.status not in allowed:
            raise InvalidState(
                f"cannot {action} a document that is {self.status}",
                code=f"invoice.cannot_{action}",
                status=str(self.status),
            )

    def _not_stopped(self) -> None:
        if self.stopped_reason is not None:
            raise InvalidState(f"the draft is stopped: {self.stopped_reason}", code="invoice.stopped")
