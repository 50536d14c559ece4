"""Rating of field-service jobs (callouts and repairs) under a maintenance contract's callout terms.

Labour is rated per rate class (normal, out-of-hours, weekend/holiday), each with an explicit hourly rate or a
multiplier of the normal rate. Minutes of each class are rounded up to the contract's increment; if the job's
billable time is below the contract's minimum, the shortfall is added in the job's main class (the one with the
most minutes; on a tie, the dearer one). A fixed travel fee is charged per job, and parts at list price less the
contract's parts discount. Callout kinds the contract includes in the fixed fee are rated at zero labour.

Rate classes can be given by the job file, or derived from the job's start and end in the site's timezone with
:func:`split_minutes`, which cuts the job at midnight and at the business-hours boundaries.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from cashtrail.clock import ensure_utc


class RateClass(StrEnum):
    NORMAL = "normal"
    OUT_OF_HOURS = "out_of_hours"
    WEEKEND_HOLIDAY = "weekend_holiday"


@dataclass(frozen=True)
class ClassRate:
    """An explicit hourly rate, or a multiplier of the normal hourly rate."""

    hourly_rate: Decimal | None = None
    multiplier: Decimal | None = None


@dataclass(frozen=True)
class CalloutTerms:
    normal_hourly_rate: Decimal
    class_rates: dict[RateClass, ClassRate] = field(default_factory=dict)
    minimum_minutes: int = 0
    increment_minutes: int = 1
    travel_fee: Decimal = Decimal(0)
    parts_discount_percent: Decimal = Decimal(0)
    included_kinds: frozenset[str] = frozenset()
    business_start: time = time(8, 0)
    business_end: time = time(17, 0)

    def hourly_rate(self, rate_class: RateClass) -> Decimal:
        """The hourly rate of ``rate_class`` (explicit rate first, then multiplier, else the normal rate)."""
        spec = self.class_rates.get(rate_class)
        if spec is None or rate_class == RateClass.NORMAL:
            return self.normal_hourly_rate if spec is None or spec.hourly_rate is None else spec.hourly_rate
        if spec.hourly_rate is not None:
            return spec.hourly_rate
        return self.normal_hourly_rate * (spec.multiplier or Decimal(1))


@dataclass(frozen=True)
class PartUsed:
    sku: str
    quantity: Decimal
    list_price: Decimal


@dataclass(frozen=True)
class JobCharge:
    """One charge of a rated job: what, how many, at what rate, and the formula that explains it."""

    kind: str  # labour, travel, part
    description: str
    quantity: Decimal
    unit_price: Decimal
    formula: str

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


def round_up(minutes: int, increment: int) -> int:
    """``minutes`` rounded up to a multiple of ``increment``.

    >>> round_up(50, 15), round_up(45, 15), round_up(0, 15)
    (60, 45, 0)
    """
    if increment <= 1:
        return minutes
    return -(-minutes // increment) * increment


def billable_minutes(minutes: dict[RateClass, int], terms: CalloutTerms) -> dict[RateClass, int]:
    """Minutes per class after rounding each up to the increment and topping up to the job minimum."""
    rounded = {cls: round_up(m, terms.increment_minutes) for cls, m in minutes.items() if m > 0}
    total = sum(rounded.values())
    if rounded and total < terms.minimum_minutes:
        main = max(rounded, key=lambda cls: (minutes[cls], terms.hourly_rate(cls)))
        rounded[main] += terms.minimum_minutes - total
    elif not rounded and terms.minimum_minutes:
        rounded[RateClass.NORMAL] = terms.minimum_minutes
    return rounded


def rate_job(
    kind: str, minutes: dict[RateClass, int], parts: Collection[PartUsed], terms: CalloutTerms, *, travel: bool = True
) -> list[JobCharge]:
    """All charges of one back-reported job, each with its formula."""
    charges: list[JobCharge] = []
    included = kind in terms.included_kinds
    for cls, billed in sorted(billable_minutes(minutes, terms).items()):
        rate = Decimal(0) if included else terms.hourly_rate(cls)
        actual = minutes.get(cls, 0)
        formula = (
            f"{actual} min worked → {billed} min billed (increment {terms.increment_minutes}, "
            f"minimum {terms.minimum_minutes}) × {rate}/h" + (" (included in contract)" if included else "")
        )
        charges.append(
            JobCharge("labour", f"Labour {cls.value.replace('_', ' ')}", Decimal(billed) / 60, rate, formula)
        )
    if travel and terms.travel_fee and not included:
        charges.append(JobCharge("travel", "Travel", Decimal(1), terms.travel_fee, "fixed travel fee per job"))
    factor = 1 - terms.parts_discount_percent / 100
    for part in parts:
        charges.append(
            JobCharge(
                "part",
                f"Part {part.sku}",
                part.quantity,
                part.list_price * factor,
                f"list {part.list_price} less {terms.parts_discount_percent}%",
            )
        )
    return charges


def rate_class_at(moment: datetime, terms: CalloutTerms, holidays: Collection[date]) -> RateClass:
    """The rate class of a local ``moment``."""
    if moment.weekday() >= 5 or moment.date() in holidays:
        return RateClass.WEEKEND_HOLIDAY
    if terms.business_start <= moment.time() < terms.business_end:
        return RateClass.NORMAL
    return RateClass.OUT_OF_HOURS


def split_minutes(
    start: datetime, end: datetime, tz: str, terms: CalloutTerms, holidays: Collection[date] = ()
) -> dict[RateClass, int]:
    """Minutes of the job from ``start`` to ``end`` (instants) in each rate class, in the site's timezone."""
    zone = ZoneInfo(tz)
    cursor, stop = ensure_utc(start).astimezone(zone), ensure_utc(end).astimezone(zone)
    if stop < cursor:
        raise ValueError("a job cannot end before it starts")
    result: dict[RateClass, int] = {}
    while cursor < stop:
        day_edges = [datetime.combine(cursor.date(), t, zone) for t in (terms.business_start, terms.business_end)]
        midnight = datetime.combine(cursor.date() + timedelta(days=1), time(0), zone)
        boundary = min([e for e in day_edges if e > cursor] + [midnight, stop])
        minutes = int((boundary - cursor).total_seconds() // 60)
        cls = rate_class_at(cursor, terms, holidays)
        result[cls] = result.get(cls, 0) + minutes
        cursor = boundary
    return result
