"""Ledger entries of bad debt: writing off what is open of a receivable, and recovering cash after a write-off.

A write-off posts Dr write-offs (6500) / Cr AR control (1100) and settles the receivable with an application of
kind ``write_off`` against a new credit item of kind ``write_off`` for the same amount, so AR control still equals
the sum of the open amounts. A recovery is cash received for a debt already written off: Dr bank (1000) /
Cr write-offs (6500), which reduces the bad-debt expense and leaves AR untouched (decision D-504).

>>> entry = write_off_entry(number="WO-1", customer_number="C1", amount=Money.of("50.00", "EUR"), on=date(2026, 5, 1))
>>> [(p.account.value, str(p.amount.amount)) for p in entry.postings]
[('6500', '50.00'), ('1100', '-50.00')]
"""

from __future__ import annotations

from datetime import date

from cashtrail.ledger.model import Account, ItemKind, JournalEntry, OpenItem, Posting
from cashtrail.money import Money


def write_off_entry(*, number: str, customer_number: str, amount: Money, on: date) -> JournalEntry:
    """Dr write-offs / Cr AR control for ``amount`` (positive)."""
    return JournalEntry(
        on,
        "write_off",
        "write_off",
        number,
        f"Write-off {number}",
        (Posting(Account.WRITE_OFFS, amount), Posting(Account.AR_CONTROL, -amount, customer_number)),
    )


def write_off_item(*, number: str, debit: OpenItem, amount: Money, on: date) -> OpenItem:
    """The credit item that settles ``amount`` of ``debit``."""
    return OpenItem(debit.customer_number, ItemKind.WRITE_OFF, number, -amount, on, on, legal_entity=debit.legal_entity)


def recovery_entry(*, number: str, customer_number: str, amount: Money, on: date) -> JournalEntry:
    """Dr bank / Cr write-offs: cash recovered on a written-off debt."""
    return JournalEntry(
        on,
        "write_off_recovery",
        "write_off_recovery",
        number,
        f"Recovery {number}",
        (Posting(Account.BANK, amount, customer_number), Posting(Account.WRITE_OFFS, -amount)),
    )
