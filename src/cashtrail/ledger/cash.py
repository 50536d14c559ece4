"""What cash application posts: receipts, their clearing to a customer, and the adjustments that settle the rest.

Every incoming bank entry is posted once, when cash application first sees it: Dr bank / Cr suspense. Applying it to
a customer clears suspense into AR control (Dr suspense / Cr AR control) and creates the customer's payment item (a
credit open item for the whole amount) that applications then match against invoices; what is not applied stays
open on that item: cash on account. A short payment's rest is moved to the deductions account (Dr deductions / Cr AR
control) with a deduction item carrying the reason code; bank fees and early-payment discounts within tolerance are
expensed the same way (Dr bank fees or cash discounts / Cr AR control) with an adjustment item. So AR control still
equals the sum of the open items, and the bank account equals the receipts seen.

A reversal posts the reversing entry of each of these entries (never an edit) and cancels the items they created.

>>> from datetime import date
>>> from cashtrail.money import Money
>>> e = clearing_entry(match_id=7, day=date(2026, 5, 3), customer_number="C1", amount=Money.of("100.00", "EUR"))
>>> [(p.account.value, str(p.amount.amount), p.customer_number) for p in e.postings]
[('2300', '100.00', None), ('1100', '-100.00', 'C1')]
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from cashtrail.ledger.model import Account, JournalEntry, Posting
from cashtrail.money import Money


class AdjustmentKind(StrEnum):
    """Why part of an item is settled without cash."""

    DEDUCTION = "deduction"
    BANK_FEE = "bank_fee"
    DISCOUNT = "discount"


_DEBITED = {
    AdjustmentKind.DEDUCTION: Account.DEDUCTIONS,
    AdjustmentKind.BANK_FEE: Account.BANK_FEES,
    AdjustmentKind.DISCOUNT: Account.CASH_DISCOUNTS,
}

#: Reason codes a deduction may carry (the collections team resolves them).
DEDUCTION_REASONS = {
    "short_payment": "Short payment, reason not given",
    "pricing": "Price dispute",
    "quantity": "Quantity or delivery dispute",
    "damaged": "Damaged goods or poor service",
    "promotion": "Promotion or rebate claimed",
    "tax": "VAT or withholding difference",
    "other": "Other",
}


def receipt_entry(*, bank_entry_id: int, day: date, amount: Money, description: str) -> JournalEntry:
    """Cash in from the bank: Dr bank, Cr suspense until a customer is known."""
    postings = (Posting(Account.BANK, amount), Posting(Account.SUSPENSE, -amount))
    return JournalEntry(day, "receipt", "bank_entry", str(bank_entry_id), description[:300], postings)


def clearing_entry(*, match_id: int, day: date, customer_number: str, amount: Money) -> JournalEntry:
    """A receipt applied to a customer: Dr suspense, Cr AR control of the customer."""
    postings = (Posting(Account.SUSPENSE, amount), Posting(Account.AR_CONTROL, -amount, customer_number))
    return JournalEntry(
        day, "cash_clearing", "cash_match", str(match_id), f"Receipt applied to {customer_number}", postings
    )


def adjustment_entry(
    *, match_id: int, day: date, customer_number: str, amount: Money, kind: AdjustmentKind, reason: str
) -> JournalEntry:
    """The rest of a payment settled otherwise: Dr deductions, bank fees or discounts; Cr AR control."""
    postings = (
        Posting(_DEBITED[kind], amount, customer_number if kind == AdjustmentKind.DEDUCTION else None),
        Posting(Account.AR_CONTROL, -amount, customer_number),
    )
    return JournalEntry(day, f"cash_{kind}", "cash_match", str(match_id), f"{kind} {reason}".strip(), postings)
