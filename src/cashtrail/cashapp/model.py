"""Cash application's records: bank receipts waiting to be applied and the decisions taken about them.

A :class:`BankReceipt` is an imported bank entry seen as a payment (money in). Its ``status`` is its place in the
worklists: ``unmatched`` (not seen by matching yet), ``suggested`` (a proposal waits for a person), ``suspense``
(nobody or nothing identified, or a person rejected the proposal), ``applied``, or ``ignored`` (money out, or an
entry that is not booked cash). A :class:`CashMatch` is one decision about a receipt: an automatic application, a
suggestion (later accepted, changed or rejected), or a manual application; a reversal keeps the row and says who
reversed it and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.cashapp.matching import Payment
from cashtrail.ledger.model import Application
from cashtrail.money import Money


class ReceiptStatus(StrEnum):
    UNMATCHED = "unmatched"
    SUGGESTED = "suggested"
    SUSPENSE = "suspense"
    APPLIED = "applied"
    IGNORED = "ignored"


class MatchStatus(StrEnum):
    SUGGESTED = "suggested"
    APPLIED = "applied"
    REJECTED = "rejected"
    REVERSED = "reversed"


@dataclass(frozen=True)
class BankReceipt:
    """An imported bank entry as a payment to apply."""

    entry_id: int
    account: str
    booked_on: date
    amount: Money
    references: tuple[str, ...] = ()
    text: str = ""
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    bank_reference: str | None = None
    status: ReceiptStatus = ReceiptStatus.UNMATCHED

    def payment(self) -> Payment:
        """The engine's view of the receipt."""
        return Payment(
            str(self.entry_id),
            self.amount,
            self.booked_on,
            self.references,
            self.text,
            self.counterparty_iban,
            self.counterparty_name,
        )

    @property
    def label(self) -> str:
        return f"bank entry {self.entry_id} ({self.amount} on {self.booked_on})"


@dataclass(frozen=True)
class Line:
    """``amount`` of the receipt goes to open item ``item_id`` (document ``number``)."""

    item_id: int
    number: str
    amount: Money


@dataclass
class CashMatch:
    bank_entry_id: int
    status: MatchStatus
    outcome: str
    confidence: Decimal
    automatic: bool
    customer_number: str | None
    lines: list[Line] = field(default_factory=list)
    remainder: Money | None = None
    remainder_kind: str | None = None  # deduction, bank_fee, discount, on_account
    reasons: list[str] = field(default_factory=list)
    reason_code: str | None = None
    created_at: datetime | None = None
    created_by: str = ""
    decided_at: datetime | None = None
    decided_by: str | None = None
    reversed_at: datetime | None = None
    reversed_by: str | None = None
    reversal_reason: str | None = None
    id: int | None = None

    def proposal_json(self) -> dict[str, object]:
        """The proposal as stored (amounts as strings)."""
        return {
            "applications": [
                {"item_id": x.item_id, "number": x.number, "amount": str(x.amount.amount)} for x in self.lines
            ],
            "currency": self.lines[0].amount.currency if self.lines else None,
            "remainder": None if self.remainder is None else str(self.remainder.amount),
            "remainder_currency": None if self.remainder is None else self.remainder.currency,
            "remainder_kind": self.remainder_kind,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class EntryDetail:
    """A bank entry as the bank sent it, with its decisions (newest first) and the applications they made."""

    receipt: BankReceipt
    value_date: date | None
    remittance: str
    structured_references: list[dict[str, str | None]]
    end_to_end_id: str | None
    counterparty_bic: str | None
    statement: str
    matches: list[CashMatch] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    item_numbers: dict[int, str] = field(default_factory=dict)

    @property
    def applied(self) -> CashMatch | None:
        """The live application of the entry, if any (the one a person may reverse)."""
        return next((m for m in self.matches if m.status == MatchStatus.APPLIED), None)
