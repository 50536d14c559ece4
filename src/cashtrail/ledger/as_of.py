"""Open items as of any date, rebuilt from the items' dates and the applications' dates (never from today's open
amounts).

An item is on the books from its document date until it is cancelled (a reversed cash application cancels the
items it created). What is open of it on a date is its amount less the applications made on or before that date
and not reversed by then; an invoice paid after the as-of date is therefore still open as of it, and an application
reversed after the as-of date still counts. Because applications move nothing in the journal, the sum of the items
open as of a date equals AR control as of that date (the ledger's invariant, date by date).

>>> from decimal import Decimal
>>> eur = lambda s: Money.of(s, "EUR")
>>> invoice = ItemRecord(1, "C1", "invoice", "INV-1", eur("100"), date(2026, 3, 1), date(2026, 3, 31))
>>> payment = ItemRecord(2, "C1", "payment", "RCT-1", eur("-100"), date(2026, 4, 10), date(2026, 4, 10))
>>> paid = ApplicationRecord(1, 2, Decimal("100"), date(2026, 4, 10))
>>> [(i.reference, str(i.open.amount)) for i in open_as_of([invoice], [], date(2026, 4, 1))]
[('INV-1', '100')]
>>> open_as_of([invoice, payment], [paid], date(2026, 4, 30))
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cashtrail.money import Money


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """An open item as stored: what it was for, when, for how much (signed), and the customer's country."""

    id: int
    customer_number: str
    kind: str
    reference: str
    amount: Money
    document_date: date
    due_date: date
    country: str = ""
    customer_name: str = ""
    entity: str = ""  # the legal entity that issued it


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    """``amount`` of credit item ``credit_item_id`` applied to debit item ``debit_item_id`` on ``applied_on``."""

    debit_item_id: int
    credit_item_id: int
    amount: Decimal
    applied_on: date | None = None


@dataclass(frozen=True, slots=True)
class OpenOnDate:
    """An item with what was still open of it on the as-of date."""

    item: ItemRecord
    open: Money

    @property
    def reference(self) -> str:
        return self.item.reference


def amount_text(money: Money) -> str:
    """The amount as text with the currency's minor-unit decimals when no digit is lost (columns store 4).

    >>> amount_text(Money.of("40.0000", "EUR")), amount_text(Money.of("0.1234", "EUR"))
    ('40.00', '0.1234')
    """
    rounded = money.rounded()
    return str((rounded if rounded == money else money).amount)


def open_as_of(items: Sequence[ItemRecord], applications: Iterable[ApplicationRecord], as_of: date) -> list[OpenOnDate]:
    """The items open on ``as_of`` (in the given order), each with its open amount on that date.

    ``items`` are those dated on or before ``as_of`` and not cancelled by then; ``applications`` those made on or
    before ``as_of`` and not reversed by then (the repository selects both). Settled items are left out.
    """
    applied: dict[int, Decimal] = {}
    for application in applications:
        if application.applied_on is not None and application.applied_on > as_of:
            continue
        applied[application.debit_item_id] = applied.get(application.debit_item_id, Decimal(0)) - application.amount
        applied[application.credit_item_id] = applied.get(application.credit_item_id, Decimal(0)) + application.amount
    result = []
    for item in items:
        if item.document_date > as_of:
            continue
        left = item.amount.amount + applied.get(item.id, Decimal(0))
        if left != 0:
            result.append(OpenOnDate(item, Money(left, item.amount.currency)))
    return result
