"""Aging: open receivable items as of a date, summed into buckets by days past due, per currency.

Days past due = as-of date − due date, in calendar days; an item due today or later is ``current`` (0 days or
fewer). A bucket scheme is a strictly increasing list of upper bounds starting at 0: ``(0, 30, 60, 90, 120)``
gives ``current``, ``1-30``, ``31-60``, ``61-90``, ``91-120`` and ``121+``. Every whole number of days falls in
exactly one bucket.

Invariants:
- currencies are never mixed: every figure is kept per currency, as :class:`~cashtrail.money.Money`;
- amounts keep full precision (credits, i.e. negative open amounts, age by their own due date and net inside
  their bucket); rounding is the reader's business at a document edge.

>>> scheme = BucketScheme.default()
>>> [b.label for b in scheme.buckets]
['current', '1-30', '31-60', '61-90', '91-120', '121+']
>>> scheme.bucket_for(31).label
'31-60'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from cashtrail.errors import ValidationFailed
from cashtrail.money import Money

CURRENT = "current"


@dataclass(frozen=True)
class Bucket:
    """Days past due from ``first_day`` to ``last_day`` (inclusive); ``None`` means unbounded on that side."""

    label: str
    first_day: int | None
    last_day: int | None

    def contains(self, days_past_due: int) -> bool:
        """True when ``days_past_due`` falls in this bucket."""
        above = self.first_day is None or days_past_due >= self.first_day
        below = self.last_day is None or days_past_due <= self.last_day
        return above and below


@dataclass(frozen=True)
class BucketScheme:
    """Aging buckets built from their upper bounds in days past due; the first bound must be 0 (``current``)."""

    upper_bounds: tuple[int, ...]
    buckets: tuple[Bucket, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bounds = self.upper_bounds
        if not bounds or bounds[0] != 0:
            raise ValidationFailed("aging bounds must start at 0 (current)", code="aging.bad_bounds", bounds=bounds)
        if any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
            raise ValidationFailed("aging bounds must increase strictly", code="aging.bad_bounds", bounds=bounds)
        buckets = [Bucket(CURRENT, None, 0)]
        buckets += [Bucket(f"{low + 1}-{high}", low + 1, high) for low, high in zip(bounds, bounds[1:], strict=False)]
        buckets.append(Bucket(f"{bounds[-1] + 1}+", bounds[-1] + 1, None))
        object.__setattr__(self, "buckets", tuple(buckets))

    @classmethod
    def default(cls) -> BucketScheme:
        """current, 1-30, 31-60, 61-90, 91-120, 121+ (shown as >120)."""
        return cls((0, 30, 60, 90, 120))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(b.label for b in self.buckets)

    def bucket_for(self, days_past_due: int) -> Bucket:
        """The one bucket holding ``days_past_due``."""
        return next(b for b in self.buckets if b.contains(days_past_due))


@dataclass(frozen=True)
class OpenItem:
    """An open receivable item: what is still owed on one invoice (or credit) and when it fell due."""

    item_id: str
    due_on: date
    open_amount: Money


def days_past_due(due_on: date, as_of: date) -> int:
    """Calendar days from ``due_on`` to ``as_of``; zero or negative while not yet due.

    >>> days_past_due(date(2026, 3, 31), date(2026, 4, 30))
    30
    """
    return (as_of - due_on).days


@dataclass(frozen=True)
class Aging:
    """Bucket totals per currency as of a date; buckets with nothing in them are zero."""

    as_of: date
    scheme: BucketScheme
    totals: dict[str, dict[str, Money]]

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(sorted(self.totals))

    def amount(self, currency: str, label: str) -> Money:
        """The open amount of ``currency`` in the bucket ``label`` (zero when absent)."""
        if label not in self.scheme.labels:
            raise ValidationFailed(f"no aging bucket {label!r}", code="aging.unknown_bucket", label=label)
        return self.totals.get(currency, {}).get(label, Money.zero(currency))

    def total(self, currency: str) -> Money:
        """All open items of ``currency``, whatever their age."""
        result = Money.zero(currency)
        for label in self.scheme.labels:
            result = result + self.amount(currency, label)
        return result

    def current(self, currency: str) -> Money:
        """The not-yet-due part of ``currency``."""
        return self.amount(currency, CURRENT)


def age_items(items: Iterable[OpenItem], as_of: date, scheme: BucketScheme | None = None) -> Aging:
    """Sum ``items`` into the buckets of ``scheme`` (default buckets if omitted) as of ``as_of``."""
    scheme = scheme or BucketScheme.default()
    totals: dict[str, dict[str, Money]] = {}
    for item in items:
        currency = item.open_amount.currency
        row = totals.setdefault(currency, {label: Money.zero(currency) for label in scheme.labels})
        label = scheme.bucket_for(days_past_due(item.due_on, as_of)).label
        row[label] = row[label] + item.open_amount
    return Aging(as_of, scheme, totals)


def items_in_bucket(items: Sequence[OpenItem], as_of: date, label: str, scheme: BucketScheme) -> list[OpenItem]:
    """The items of ``items`` that fall in bucket ``label`` as of ``as_of`` (for drill-down)."""
    return [i for i in items if scheme.bucket_for(days_past_due(i.due_on, as_of)).label == label]
