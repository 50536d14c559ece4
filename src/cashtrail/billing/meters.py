"""Meter reads and the usage they prove.

A read is a cumulative counter value of one meter (``serial``, ``meter_type``) on a day. Usage over a period is
the closing read (the last read on or before the period end) minus the opening read (the last read before the
period start). Rules:

- A read lower than the previous one is a rollback and is refused, unless it is flagged as a meter replacement;
  a replacement read carries the old meter's final value, so the usage across the swap is
  ``(old final − previous) + (new value − new start)``, where the replacement read's own value is the new start.
- Usage above ``k`` × the meter's trailing average (of previous periods) is an outlier: a warning, not an error.
- A missing closing read may be estimated from the trailing average daily usage when the contract allows; the
  estimate is stored as an ``estimated`` read and the next real read trues it up automatically (usage is always a
  difference of cumulative values, so the next period bills real − estimated).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from cashtrail.contracts.terms import Period
from cashtrail.errors import FieldError


class ReadKind(StrEnum):
    ACTUAL = "actual"
    ESTIMATED = "estimated"
    REPLACEMENT = "replacement"


@dataclass(frozen=True, order=True)
class MeterRead:
    read_on: date
    value: int
    serial: str = ""
    meter_type: str = "mono"
    kind: str = ReadKind.ACTUAL
    old_meter_final: int | None = None  # replacement reads only


@dataclass(frozen=True)
class Usage:
    units: int
    opening: MeterRead | None
    closing: MeterRead | None
    estimated: bool

    def explain(self) -> str:
        """How the units were derived, for the charge line."""
        if self.opening is None or self.closing is None:
            return "no reads"
        flag = " (estimated)" if self.estimated else ""
        return (
            f"read {self.closing.value} on {self.closing.read_on}{flag} − read {self.opening.value} on "
            f"{self.opening.read_on} = {self.units}"
        )


def check_new_read(previous: MeterRead | None, new: MeterRead) -> FieldError | None:
    """The problem with ``new`` given the meter's latest stored read, or None when it is acceptable."""
    if new.value < 0:
        return FieldError("value", "must not be negative", value=new.value)
    if new.kind == ReadKind.REPLACEMENT:
        if new.old_meter_final is None:
            return FieldError("old_meter_final", "is required for a meter replacement")
        if previous is not None and new.old_meter_final < previous.value:
            return FieldError(
                "old_meter_final", f"is below the previous read {previous.value}", value=new.old_meter_final
            )
        return None
    if previous is not None and new.read_on < previous.read_on:
        return FieldError("read_on", f"is before the latest read of {previous.read_on}", value=new.read_on)
    if previous is not None and new.value < previous.value:
        return FieldError(
            "value",
            f"is lower than the previous read {previous.value} on {previous.read_on} "
            "(rollback); flag it as a meter replacement if the meter was changed",
            value=new.value,
        )
    return None


def usage_between(reads: Sequence[MeterRead], period: Period) -> Usage:
    """Usage of one meter over ``period`` from its reads (any order; reads outside the window are ignored)."""
    return _usage_sorted(sorted(reads), period)


def trailing_average(period_usages: Sequence[int]) -> Decimal | None:
    """The mean of previous periods' usage, or None without history."""
    if not period_usages:
        return None
    return Decimal(sum(period_usages)) / len(period_usages)


def is_outlier(units: int, history: Sequence[int], factor: Decimal = Decimal(3)) -> bool:
    """True when usage exceeds ``factor`` × the trailing average (never with fewer than 3 periods of history).

    >>> is_outlier(31_000, [9_000, 10_000, 11_000]), is_outlier(25_000, [9_000, 10_000, 11_000])
    (True, False)
    """
    average = trailing_average(history)
    if average is None or len(history) < 3 or average == 0:
        return False
    return Decimal(units) > factor * average


def estimate_read(last: MeterRead, on: date, daily_average: Decimal) -> MeterRead:
    """An estimated read on ``on``, extrapolating ``last`` with the daily average (rounded half-up to a page)."""
    days = (on - last.read_on).days
    value = last.value + int((daily_average * days).to_integral_value(rounding=ROUND_HALF_UP))
    return MeterRead(on, value, last.serial, last.meter_type, ReadKind.ESTIMATED)


def monthly_usage(reads: Sequence[MeterRead], months: Sequence[Period]) -> list[Usage]:
    """Usage of each of ``months`` from one meter's reads, sorting the reads once."""
    ordered = sorted(reads)
    return [_usage_sorted(ordered, month) for month in months]


def _usage_sorted(ordered: Sequence[MeterRead], period: Period) -> Usage:
    opening: MeterRead | None = None
    inside: list[MeterRead] = []
    for read in ordered:
        if read.read_on < period.start:
            opening = read
        elif read.read_on <= period.end:
            inside.append(read)
    if opening is None and inside:
        opening, inside = inside[0], inside[1:]
    if opening is None or not inside:
        return Usage(0, opening, None, False)
    units, previous = 0, opening.value
    for read in inside:
        replaced = read.kind == ReadKind.REPLACEMENT and read.old_meter_final is not None
        units += (read.old_meter_final or 0) - previous if replaced else read.value - previous
        previous = read.value
    return Usage(units, opening, inside[-1], inside[-1].kind == ReadKind.ESTIMATED)


def estimate_closing(reads: Sequence[MeterRead], period: Period, min_days: int = 28) -> MeterRead | None:
    """An estimated read at the end of ``period`` from the daily average of the reads before it, or None when
    the history spans fewer than ``min_days`` days (too little to extrapolate)."""
    before = sorted(r for r in reads if r.read_on < period.start and r.kind != ReadKind.REPLACEMENT)
    if len(before) < 2 or (before[-1].read_on - before[0].read_on).days < min_days:
        return None
    daily = Decimal(before[-1].value - before[0].value) / (before[-1].read_on - before[0].read_on).days
    return estimate_read(before[-1], period.end, max(daily, Decimal(0)))
