"""Billing terms shared by every contract kind: frequency, timing, periods and proration.

A billing period is a run of whole calendar months aligned on the contract's first billing date (monthly,
quarterly, half-yearly or yearly). In advance, a period is billed at its start; in arrears, after its end.
Proration of a partial period is by actual days: amount × active days ÷ days in the period (``ACTUAL_DAYS``), or
none at all (``NONE``: a partial period is billed in full).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.value]


class Timing(StrEnum):
    ADVANCE = "advance"
    ARREARS = "arrears"


class Proration(StrEnum):
    ACTUAL_DAYS = "actual_days"
    NONE = "none"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of business days ``[start, end]``."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlap_days(self, active_from: date | None, active_to: date | None) -> int:
        """Days of this period on which something active from ``active_from`` to ``active_to`` (inclusive) is."""
        first = max(self.start, active_from or self.start)
        last = min(self.end, active_to or self.end)
        return max(0, (last - first).days + 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """``2026-03`` for a calendar month, else ``2026-01-01..2026-03-31``."""
        if self.start.day == 1 and add_months(self.start, 1) - timedelta(days=1) == self.end:
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_period(label: str) -> Period:
    """The calendar month named ``YYYY-MM``.

    >>> month_period("2026-02")
    Period(start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 28))
    """
    try:
        year, month = (int(part) for part in label.split("-"))
        start = date(year, month, 1)
    except ValueError:
        raise ValueError(f"period must be YYYY-MM, got {label!r}") from None
    return Period(start, add_months(start, 1) - timedelta(days=1))


def billing_period_containing(day: date, anchor: date, frequency: Frequency) -> Period:
    """The billing period (aligned on ``anchor``) that contains ``day``.

    >>> billing_period_containing(date(2026, 5, 10), date(2026, 1, 1), Frequency.QUARTERLY)
    Period(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
    """
    months_between = (day.year - anchor.year) * 12 + (day.month - anchor.month)
    steps = months_between // frequency.months
    start = add_months(anchor, steps * frequency.months)
    if start > day:
        start = add_months(anchor, (steps - 1) * frequency.months)
    end = add_months(start, frequency.months) - timedelta(days=1)
    return Period(start, end)


def due_periods(run_month: Period, anchor: date, frequency: Frequency, timing: Timing) -> list[Period]:
    """The billing periods a monthly run over ``run_month`` must bill.

    In advance: periods that start within the run month. In arrears: periods that end within the run month.
    """
    found: list[Period] = []
    cursor = billing_period_containing(run_month.start, anchor, frequency)
    while cursor.start <= run_month.end:
        edge = cursor.start if timing == Timing.ADVANCE else cursor.end
        if run_month.contains(edge):
            found.append(cursor)
        cursor = Period(
            add_months(cursor.start, frequency.months),
            add_months(cursor.start, 2 * frequency.months) - timedelta(days=1),
        )
    return found


def proration_factor(period: Period, active_from: date | None, active_to: date | None, rule: Proration) -> Decimal:
    """The share of ``period`` to bill for something active from ``active_from`` to ``active_to``.

    >>> proration_factor(month_period("2026-04"), date(2026, 4, 16), None, Proration.ACTUAL_DAYS)
    Decimal('0.5')
    """
    active = period.overlap_days(active_from, active_to)
    if active == 0:
        return Decimal(0)
    if rule == Proration.NONE:
        return Decimal(1)
    return Decimal(active) / Decimal(period.days)


def prorate(
    amount: Decimal, period: Period, active_from: date | None, active_to: date | None, rule: Proration
) -> Decimal:
    """``amount`` for the active share of ``period``: amount × active days ÷ period days (multiplied first).

    >>> prorate(Decimal("45.00"), month_period("2026-04"), None, date(2026, 4, 5), Proration.ACTUAL_DAYS)
    Decimal('7.50')
    """
    active = period.overlap_days(active_from, active_to)
    if active == 0:
        return Decimal(0)
    if rule == Proration.NONE:
        return amount
    return amount * active / period.days
