"""A customer's statement of account: the items open on their account on a date, the balance and its aging.

Open items are invoices (owed by the customer: positive), credit notes and unapplied payments (owed to them:
negative), each with its original and still-open amount. The statement shows each item's days overdue, the
balance (the sum of the open amounts), the overdue part, and the balance split into aging buckets current, 1-30,
31-60, 61-90, 91-120 and over 120 days past due, computed by :mod:`cashtrail.analytics.aging` (a kernel-only
module, reused so that the statement and the AR aging report can never disagree; decision D-204).

Invariants (checked on construction; :func:`statement_problems` lists every broken one):
- every amount is :class:`~cashtrail.money.Money` in the statement currency (one statement per currency);
- an open amount has the sign of its original amount and is not larger than it, and is not zero (a settled item
  is not open); invoices are positive, credit notes and payments negative;
- items are issued on or before the as-of date, fall due on or after their issue date, and have unique numbers;
- the aging buckets sum to the balance.

>>> eur = lambda s: Money.of(s, "EUR")
>>> item = StatementItem("INV-1", ItemKind.INVOICE, date(2026, 3, 1), date(2026, 3, 31), eur("100"), eur("60"))
>>> s = AccountStatement("C0001", date(2026, 4, 30), "EUR", (item,))
>>> s.balance, s.days_overdue(item), s.aging_amount("1-30")
(Money('60', 'EUR'), 30, Money('60', 'EUR'))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cashtrail.analytics.aging import Aging, Bucket, BucketScheme, OpenItem, age_items, days_past_due
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, check_currency, total


class ItemKind(StrEnum):
    """What an open item is; the sign of its amounts follows from it."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"  # cash received but not yet applied to an invoice


@dataclass(frozen=True, slots=True)
class StatementItem:
    """One open item: a document, when it was issued and fell due, its original and its still-open amount."""

    number: str
    kind: ItemKind
    issue_date: date
    due_date: date
    original: Money
    open: Money


@dataclass(frozen=True, slots=True)
class AccountStatement:
    """The open items of customer ``customer_number`` in ``currency`` as of ``as_of``."""

    customer_number: str
    as_of: date
    currency: str
    items: tuple[StatementItem, ...]

    def __post_init__(self) -> None:
        problems = statement_problems(self)
        if problems:
            raise ValidationFailed(
                "statement of account is inconsistent", code="invoicing.statement_mismatch", errors=problems
            )

    @property
    def scheme(self) -> BucketScheme:
        return BucketScheme.default()

    @property
    def buckets(self) -> tuple[Bucket, ...]:
        """current, 1-30, 31-60, 61-90, 91-120, 121+ (printed as "> 120 days")."""
        return self.scheme.buckets

    @property
    def balance(self) -> Money:
        """What the customer owes (negative when we owe them)."""
        return total((i.open for i in self.items), self.currency)

    @property
    def overdue(self) -> Money:
        """The open amount of the invoices past their due date (credits are never overdue)."""
        return total((i.open for i in self.items if self.days_overdue(i) > 0), self.currency)

    def days_overdue(self, item: StatementItem) -> int:
        """Days an invoice is past its due date on the as-of date; zero while not due, and for credits."""
        if item.kind != ItemKind.INVOICE:
            return 0
        return max(0, days_past_due(item.due_date, self.as_of))

    def aging(self) -> Aging:
        """The open amounts summed into the aging buckets."""
        return age_items((OpenItem(i.number, i.due_date, i.open) for i in self.items), self.as_of, self.scheme)

    def aging_amount(self, label: str) -> Money:
        """The open amount in the bucket ``label`` (``current``, ``1-30`` ... ``121+``)."""
        return self.aging().amount(self.currency, label)


_SIGN = {ItemKind.INVOICE: 1, ItemKind.CREDIT_NOTE: -1, ItemKind.PAYMENT: -1}


def statement_problems(statement: AccountStatement) -> list[FieldError]:
    """Every broken invariant of ``statement`` (empty when it is consistent)."""
    try:
        check_currency(statement.currency)
    except ValidationFailed:
        return [FieldError("currency", "unknown currency", value=statement.currency)]
    problems: list[FieldError] = []
    for item in statement.items:
        problems += _item_problems(item, statement)
    numbers = [i.number for i in statement.items]
    if len(set(numbers)) != len(numbers):
        problems.append(FieldError("number", "an item appears twice"))
    if not problems:
        aging = statement.aging()
        bucketed = total((aging.amount(statement.currency, b.label) for b in statement.buckets), statement.currency)
        if bucketed != statement.balance:
            problems.append(FieldError("aging", "the buckets do not sum to the balance"))
    return problems


def _item_problems(item: StatementItem, statement: AccountStatement) -> list[FieldError]:
    where = item.number
    amounts = (item.original, item.open)
    if any(not isinstance(a, Money) or a.currency != statement.currency for a in amounts):
        return [FieldError("currency", "amounts must be Money in the statement currency", source=where)]
    problems = []
    sign = _SIGN[ItemKind(item.kind)]
    if item.open.is_zero() or item.open.amount * sign < 0 or item.original.amount * sign < 0:
        problems.append(
            FieldError("open", f"a {item.kind} is open for a non-zero amount of its own sign", source=where)
        )
    elif abs(item.open.amount) > abs(item.original.amount):
        problems.append(FieldError("open", "exceeds the original amount", value=item.open, source=where))
    if item.issue_date > statement.as_of:
        problems.append(FieldError("issue_date", "is after the as-of date", source=where))
    if item.due_date < item.issue_date:
        problems.append(FieldError("due_date", "is before the issue date", source=where))
    return problems
