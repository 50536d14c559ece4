"""A customer's statement of account and the aging of the whole book, as of any date (read side, nothing stored).

A statement lists the items open on the customer's account on the as-of date (invoices positive; credit notes,
payments on account and other credits negative), each with its original and still-open amount and its days
overdue, the balance (the sum of the open amounts) and the balance in aging buckets (:mod:`analytics.aging`, whose
limits are configurable). It has the shape of the documents team's ``invoicing.account_statement.AccountStatement``
(not on main yet), plus the bucket scheme and the customer's name.

Invariants: one currency per statement; the aging buckets sum to the balance; an item's open amount is not zero and
has the sign of its original amount.

>>> eur = lambda s: Money.of(s, "EUR")
>>> item = StatementItem("INV-1", "invoice", date(2026, 3, 1), date(2026, 3, 31), eur("100"), eur("60"))
>>> s = AccountStatement("C0001", date(2026, 4, 30), "EUR", (item,))
>>> s.balance, s.days_overdue(item), s.aging_amount("1-30")
(Money('60', 'EUR'), 30, Money('60', 'EUR'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from cashtrail.analytics.aging import Aging, Bucket, BucketScheme, OpenItem, age_items, days_past_due
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.ledger.as_of import OpenOnDate, amount_text
from cashtrail.money import Money, total


@dataclass(frozen=True, slots=True)
class StatementItem:
    """One open item: the document or payment, when it was dated and fell due, its original and open amount."""

    number: str
    kind: str  # invoice, credit_note, payment, deduction, adjustment
    issue_date: date
    due_date: date
    original: Money
    open: Money


@dataclass(frozen=True)
class AccountStatement:
    """The items of ``customer_number`` in ``currency`` open on ``as_of``."""

    customer_number: str
    as_of: date
    currency: str
    items: tuple[StatementItem, ...]
    scheme: BucketScheme = field(default_factory=BucketScheme.default)
    customer_name: str = ""

    def __post_init__(self) -> None:
        problems = [
            FieldError("items", f"{i.number} is not open in {self.currency}", value=str(i.open))
            for i in self.items
            if i.open.currency != self.currency or i.open.is_zero() or (i.open.amount > 0) != (i.original.amount > 0)
        ]
        if problems:
            raise ValidationFailed(
                "statement of account is inconsistent", code="ar.statement_mismatch", errors=problems
            )

    @property
    def buckets(self) -> tuple[Bucket, ...]:
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
        """Days an invoice is past due on the as-of date; zero while not due, and for credits."""
        if item.open.amount <= 0:
            return 0
        return max(0, days_past_due(item.due_date, self.as_of))

    def aging(self) -> Aging:
        """The open amounts in the aging buckets."""
        return age_items((OpenItem(i.number, i.due_date, i.open) for i in self.items), self.as_of, self.scheme)

    def aging_amount(self, label: str) -> Money:
        """The open amount in bucket ``label`` (``current``, ``1-30`` … ``121+``)."""
        return self.aging().amount(self.currency, label)

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form (amounts as strings)."""
        aging = self.aging()
        return {
            "customer_number": self.customer_number,
            "customer_name": self.customer_name,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "balance": amount_text(self.balance),
            "overdue": amount_text(self.overdue),
            "items": [
                {"number": i.number, "kind": i.kind, "issue_date": i.issue_date.isoformat(),
                 "due_date": i.due_date.isoformat(), "original": amount_text(i.original), "open": amount_text(i.open),
                 "days_overdue": self.days_overdue(i)}
                for i in self.items
            ],
            "aging": {label: amount_text(aging.amount(self.currency, label)) for label in self.scheme.labels},
        }  # fmt: skip


def build_statements(
    customer_number: str,
    customer_name: str,
    default_currency: str,
    open_items: Sequence[OpenOnDate],
    as_of: date,
    scheme: BucketScheme,
) -> list[AccountStatement]:
    """One statement per currency of the open items (the customer's currency when nothing is open)."""
    by_currency: dict[str, list[StatementItem]] = {}
    for o in open_items:
        item = StatementItem(o.reference, o.item.kind, o.item.document_date, o.item.due_date, o.item.amount, o.open)
        by_currency.setdefault(o.open.currency, []).append(item)
    if not by_currency:
        by_currency[default_currency] = []
    return [
        AccountStatement(customer_number, as_of, currency, tuple(items), scheme, customer_name)
        for currency, items in sorted(by_currency.items())
    ]


@dataclass(frozen=True)
class AgingRow:
    """The open amounts of one group (a customer, a country, or the whole book) in one currency, by bucket."""

    group: str
    name: str
    currency: str
    buckets: dict[str, Money]

    @property
    def total(self) -> Money:
        return total(self.buckets.values(), self.currency)

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form (amounts as strings)."""
        buckets = {label: amount_text(m) for label, m in self.buckets.items()}
        return {"group": self.group, "name": self.name, "currency": self.currency, "buckets": buckets,
                "total": amount_text(self.total)}  # fmt: skip


@dataclass(frozen=True)
class AgingReport:
    """Aging of the book as of a date, grouped by customer, country or nothing, with totals per currency."""

    as_of: date
    scheme: BucketScheme
    by: str
    rows: tuple[AgingRow, ...]
    totals: Aging

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly form (amounts as strings)."""
        totals = {
            c: {label: amount_text(self.totals.amount(c, label)) for label in self.scheme.labels}
            | {"total": amount_text(self.totals.total(c))}
            for c in self.totals.currencies
        }
        return {"as_of": self.as_of.isoformat(), "by": self.by, "buckets": list(self.scheme.labels),
                "rows": [r.as_dict() for r in self.rows], "totals": totals}  # fmt: skip


def aging_report(open_items: Sequence[OpenOnDate], as_of: date, scheme: BucketScheme, by: str) -> AgingReport:
    """Group the items open on ``as_of`` by ``by`` (``customer``, ``country`` or ``book``) into aging rows."""
    groups: dict[tuple[str, str], list[OpenItem]] = {}
    names: dict[str, str] = {}
    for o in open_items:
        key = {"customer": o.item.customer_number, "country": o.item.country}.get(by, "all")
        names[key] = o.item.customer_name if by == "customer" else ""
        groups.setdefault((key, o.open.currency), []).append(OpenItem(o.reference, o.item.due_date, o.open))
    rows = []
    for (group, currency), items in sorted(groups.items()):
        aging = age_items(items, as_of, scheme)
        amounts = {label: aging.amount(currency, label) for label in scheme.labels}
        rows.append(AgingRow(group, names[group], currency, amounts))
    everything = (OpenItem(o.reference, o.item.due_date, o.open) for o in open_items)
    return AgingReport(as_of, scheme, by, tuple(rows), age_items(everything, as_of, scheme))


def bucket_scheme(limits: str | Sequence[int] | None) -> BucketScheme:
    """Buckets from their upper limits in days past due (``"30,60,90,120"``; 0 for current is implied).

    >>> bucket_scheme("30,60").labels
    ('current', '1-30', '31-60', '61+')
    """
    if limits is None or limits == "":
        return BucketScheme.default()
    if isinstance(limits, str):
        try:
            values = [int(part) for part in limits.replace(" ", "").split(",") if part]
        except ValueError:
            raise ValidationFailed(
                f"bucket limits must be whole numbers of days, such as 30,60,90,120: {limits!r}",
                code="aging.bad_bounds",
                bounds=limits,
            ) from None
    else:
        values = list(limits)
    return BucketScheme(tuple([0, *[v for v in values if v != 0]]))
