"""The AR ledger: accounts, journal entries that balance, open items and the applications between them.

The journal is append-only double entry (beancount's discipline): an entry is a dated list of postings, each an
account, a signed amount (debit positive, credit negative) and optionally the customer it concerns; every entry sums
to zero per currency, and a correction is a new, reversing entry, never an edit. The receivable side is kept twice,
on purpose: in the AR control account of the journal, and as open items per customer (invoices positive, credit
notes and payments on account negative), each with its open amount. Applications match a credit item against a
debit item (many to many, partial); they move nothing in the journal because both sides sit in AR control, which is
why AR control always equals the sum of the open amounts.

Invariants: :class:`JournalEntry` refuses postings that do not balance per currency, mixed currencies within a
posting, or amounts finer than the currency's minor unit; an :class:`OpenItem`'s open amount has the sign of its
amount and never exceeds it; an application is positive and at most the open amount of both sides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.money import Money


class Account(StrEnum):
    """The chart of accounts the AR ledger posts to (codes; amounts carry their currency)."""

    BANK = "1000"
    AR_CONTROL = "1100"
    UNAPPLIED_CASH = "1200"
    DEDUCTIONS = "1300"
    VAT_PAYABLE = "2100"
    RESERVE_FUNDS = "2200"  # customers' prepaid reserve funds (a liability)
    SUSPENSE = "2300"  # receipts not identified yet
    REVENUE_FEES = "4000"
    REVENUE_USAGE = "4010"
    REVENUE_SERVICE = "4020"
    REVENUE_TONER = "4030"
    REVENUE_ORDERS = "4040"
    REVENUE_OTHER = "4090"
    BANK_FEES = "6510"
    CASH_DISCOUNTS = "6520"  # early-payment discounts taken by customers
    WRITE_OFFS = "6500"
    FX_LOSSES = "6600"
    FX_GAINS = "7600"

    @property
    def label(self) -> str:
        """A readable name for reports."""
        return _LABELS[self]


_LABELS = {
    Account.BANK: "Bank",
    Account.AR_CONTROL: "Accounts receivable (control)",
    Account.UNAPPLIED_CASH: "Unapplied cash",
    Account.DEDUCTIONS: "Deductions open",
    Account.VAT_PAYABLE: "VAT payable",
    Account.RESERVE_FUNDS: "Customer reserve funds",
    Account.SUSPENSE: "Suspense (unidentified receipts)",
    Account.REVENUE_FEES: "Revenue: contract fees",
    Account.REVENUE_USAGE: "Revenue: usage",
    Account.REVENUE_SERVICE: "Revenue: service and repairs",
    Account.REVENUE_TONER: "Revenue: excess toner",
    Account.REVENUE_ORDERS: "Revenue: orders",
    Account.REVENUE_OTHER: "Revenue: other",
    Account.BANK_FEES: "Bank fees",
    Account.CASH_DISCOUNTS: "Cash discounts granted",
    Account.WRITE_OFFS: "Bad-debt write-offs",
    Account.FX_LOSSES: "Foreign-exchange losses",
    Account.FX_GAINS: "Foreign-exchange gains",
}

#: What a sold line's category (a charge kind or a product type) earns.
REVENUE_BY_CATEGORY: dict[str, Account] = {
    "fee": Account.REVENUE_FEES,
    "subscription": Account.REVENUE_FEES,
    "maintenance": Account.REVENUE_FEES,
    "usage": Account.REVENUE_USAGE,
    "shortfall": Account.REVENUE_USAGE,
    "callout": Account.REVENUE_SERVICE,
    "repair": Account.REVENUE_SERVICE,
    "stage": Account.REVENUE_SERVICE,
    "service": Account.REVENUE_SERVICE,
    "toner": Account.REVENUE_TONER,
    "consumable": Account.REVENUE_TONER,
    "order": Account.REVENUE_ORDERS,
    "hardware": Account.REVENUE_ORDERS,
    "software": Account.REVENUE_ORDERS,
    "fund": Account.RESERVE_FUNDS,
}


def revenue_account(category: str) -> Account:
    """The account a line of ``category`` posts its net to (other revenue when unknown)."""
    return REVENUE_BY_CATEGORY.get(category, Account.REVENUE_OTHER)


class ItemKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"  # cash received and not (fully) applied: a payment on account
    WRITE_OFF = "write_off"  # the credit that settles a written-off receivable (collections)
    DEDUCTION = "deduction"  # what a short payment left open, moved to the deductions account with a reason code
    ADJUSTMENT = "adjustment"  # bank fees or an early-payment discount that settle the rest of an item


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    amount: Money  # debit positive, credit negative
    customer_number: str | None = None


@dataclass(frozen=True)
class JournalEntry:
    """One balanced, dated entry; ``source`` names what caused it (unique per kind, so posting is idempotent)."""

    entry_date: date
    kind: str
    source_type: str
    source_id: str
    description: str
    postings: tuple[Posting, ...]
    reverses_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        problems = balance_problems(self.postings)
        if problems:
            raise InvalidState(
                f"journal entry {self.kind} {self.source_id} does not balance",
                code="ledger.unbalanced",
                problems=problems,
            )

    def reversal(self, entry_date: date, description: str) -> JournalEntry:
        """The entry that cancels this one (same accounts, opposite amounts)."""
        return JournalEntry(
            entry_date,
            f"{self.kind}.reversal",
            self.source_type,
            self.source_id,
            description,
            tuple(Posting(p.account, -p.amount, p.customer_number) for p in self.postings),
            reverses_id=self.id,
        )


def balance_problems(postings: Sequence[Posting]) -> list[str]:
    """Why ``postings`` cannot form an entry: empty, unbalanced per currency, or finer than minor units."""
    if not postings:
        return ["an entry needs postings"]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    problems = []
    for posting in postings:
        sums[posting.amount.currency] += posting.amount.amount
        if posting.amount != posting.amount.rounded():
            problems.append(f"{posting.account} {posting.amount} is finer than the currency's minor unit")
    problems += [f"{currency} off by {amount}" for currency, amount in sorted(sums.items()) if amount != 0]
    return problems


@dataclass(eq=False)
class OpenItem:
    """A customer's receivable (positive) or credit (negative) and what is still open of it."""

    customer_number: str
    kind: ItemKind
    reference: str  # document number, or the bank transaction reference of a payment
    amount: Money
    document_date: date
    due_date: date
    legal_entity: str = ""
    open_amount: Money | None = None
    payment_reference: str = ""
    invoice_id: int | None = None
    id: int | None = None
    cash_match_id: int | None = None  # the cash application that created a payment or adjustment item
    reason_code: str | None = None  # a deduction's reason

    def __post_init__(self) -> None:
        if self.open_amount is None:
            self.open_amount = self.amount
        if self.amount.is_zero():
            raise ValidationFailed("an open item cannot be zero", code="ledger.zero_item", reference=self.reference)

    @property
    def is_debit(self) -> bool:
        """True for a receivable (an invoice), False for a credit (a credit note, a payment on account)."""
        return self.amount.amount > 0

    @property
    def remaining(self) -> Money:
        """The open amount (never None once constructed)."""
        assert self.open_amount is not None
        return self.open_amount

    def days_overdue(self, as_of: date) -> int:
        """Days past the due date on ``as_of`` (0 when not due yet)."""
        return max(0, (as_of - self.due_date).days)


@dataclass(frozen=True)
class Application:
    """``amount`` of a credit item settles as much of a debit item (both in one currency)."""

    debit_item_id: int
    credit_item_id: int
    amount: Money
    applied_on: date
    applied_by: str
    kind: str = "manual"  # credit_note, payment, manual, write_off, ...
    applied_at: datetime | None = None
    id: int | None = None
    reversed_at: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    cash_match_id: int | None = None


def check_application(debit: OpenItem, credit: OpenItem, amount: Money) -> None:
    """Refuse an application that is not positive, crosses customers or currencies, or exceeds an open amount."""
    if not debit.is_debit or credit.is_debit:
        raise InvalidState("an application matches a credit item against a debit item", code="ledger.bad_sides")
    if debit.customer_number != credit.customer_number:
        raise InvalidState("both items must belong to the same customer", code="ledger.customer_mismatch")
    if amount.amount <= 0:
        raise ValidationFailed("the applied amount must be positive", code="ledger.bad_amount", amount=str(amount))
    if amount > debit.remaining or amount > -credit.remaining:
        raise InvalidState(
            f"{amount} exceeds what is open ({debit.remaining} on {debit.reference}, "
            f"{-credit.remaining} on {credit.reference})",
            code="ledger.over_application",
        )


def apply(debit: OpenItem, credit: OpenItem, amount: Money) -> None:
    """Reduce both items' open amounts by ``amount`` (checked)."""
    check_application(debit, credit, amount)
    debit.open_amount = debit.remaining - amount
    credit.open_amount = credit.remaining + amount


def unapply(debit: OpenItem, credit: OpenItem, amount: Money) -> None:
    """Undo an application of ``amount``: both items are open by that much again (never beyond their amounts)."""
    if debit.remaining + amount > debit.amount or credit.remaining - amount < credit.amount:
        raise InvalidState("the reversal would open more than the items' amounts", code="ledger.over_reversal")
    debit.open_amount = debit.remaining + amount
    credit.open_amount = credit.remaining - amount
