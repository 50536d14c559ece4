"""Statutory late-payment interest and fixed compensation for B2B invoices (EU Directive 2011/7/EU).

Interest = principal × (reference rate of the half-year + margin) ÷ 100 × days ÷ day basis, where the days run from
the day after the due date up to and including the payment date (paid 60 days after the due date: 60 days). The
reference rate is the one the user has recorded for each half-year (1 January and 1 July); when the late period
crosses a half-year boundary it is split and each part uses its own half-year's rate.

Invariants:
- a half-year without a recorded rate raises :class:`ReferenceRateMissing`: a stale rate is never carried forward;
- segments keep full precision; the total interest is rounded once, to the currency's minor unit, half-up;
- nothing is due when payment is on or before the due date.

>>> rates = ReferenceRateTable.of({date(2026, 1, 1): Decimal("2.15")})
>>> late_payment_charges(Money.of("10000", "EUR"), date(2026, 3, 31), date(2026, 5, 30), rates).interest
Money('166.85', 'EUR')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cashtrail.dunning.errors import InvalidPolicy, ReferenceRateMissing
from cashtrail.money import Money

#: Percentage points added to the reference rate (Directive 2011/7/EU, art. 2(6)).
STATUTORY_MARGIN = Decimal(8)
#: Days in the interest year unless national law says otherwise.
DAY_BASIS = 365
#: Fixed compensation for recovery costs per late invoice (art. 6), defined in euro.
FIXED_COMPENSATION = Money.of("40", "EUR")


def half_year_start(day: date) -> date:
    """1 January or 1 July of the half-year holding ``day``.

    >>> half_year_start(date(2026, 9, 15))
    datetime.date(2026, 7, 1)
    """
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(start: date) -> date:
    """The first day of the half-year after the one starting at ``start``."""
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


@dataclass(frozen=True)
class ReferenceRateTable:
    """Central-bank reference rates in percent, keyed by the half-year's first day (1 January or 1 July)."""

    rates: Mapping[date, Decimal]

    def __post_init__(self) -> None:
        for start, rate in self.rates.items():
            if start != half_year_start(start):
                raise InvalidPolicy(
                    f"reference rates start on 1 January or 1 July, got {start.isoformat()}", start=start.isoformat()
                )
            if not isinstance(rate, Decimal):
                raise TypeError(f"reference rate must be a Decimal, got {type(rate).__name__}")

    @classmethod
    def of(cls, rates: Mapping[date, Decimal]) -> ReferenceRateTable:
        """Build from ``{half-year start: rate in percent}``."""
        return cls(dict(rates))

    def rate_for(self, day: date) -> Decimal:
        """The reference rate of the half-year holding ``day``; raises :class:`ReferenceRateMissing` if unknown."""
        start = half_year_start(day)
        if start not in self.rates:
            raise ReferenceRateMissing(start)
        return self.rates[start]


@dataclass(frozen=True)
class InterestSegment:
    """A run of late days inside one half-year, at one annual rate (percent), with its unrounded interest."""

    first_day: date
    last_day: date
    annual_rate: Decimal
    interest: Money

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class LateCharges:
    """What a late payment costs the customer: interest (rounded once) and the fixed compensation."""

    principal: Money
    days_late: int
    segments: tuple[InterestSegment, ...]
    interest: Money
    compensation: Money | None


def interest_segments(
    principal: Money,
    due_on: date,
    paid_on: date,
    rates: ReferenceRateTable,
    *,
    margin: Decimal = STATUTORY_MARGIN,
    day_basis: int = DAY_BASIS,
) -> tuple[InterestSegment, ...]:
    """Split the late days ``(due_on, paid_on]`` at half-year boundaries and price each part."""
    segments: list[InterestSegment] = []
    cursor = due_on + timedelta(days=1)
    while cursor <= paid_on:
        last = min(paid_on, next_half_year(half_year_start(cursor)) - timedelta(days=1))
        annual = rates.rate_for(cursor) + margin
        days = (last - cursor).days + 1
        interest = principal * (annual * days / Decimal(100 * day_basis))
        segments.append(InterestSegment(cursor, last, annual, interest))
        cursor = last + timedelta(days=1)
    return tuple(segments)


def fixed_compensation(currency: str, equivalent: Money | None = None) -> Money | None:
    """EUR 40 for a euro invoice; for another currency the ``equivalent`` the user supplies, else ``None``.

    The domain does no currency conversion: which exchange rate (and date) turns EUR 40 into a national currency
    is the creditor's legal choice, so it must be given explicitly.

    >>> fixed_compensation("EUR")
    Money('40', 'EUR')
    >>> fixed_compensation("USD") is None
    True
    """
    if currency == FIXED_COMPENSATION.currency:
        return FIXED_COMPENSATION
    if equivalent is not None and equivalent.currency != currency:
        raise InvalidPolicy(
            f"compensation must be given in the invoice currency {currency}, got {equivalent.currency}",
            currency=currency,
        )
    return equivalent


def late_payment_charges(
    principal: Money,
    due_on: date,
    paid_on: date,
    rates: ReferenceRateTable,
    *,
    margin: Decimal = STATUTORY_MARGIN,
    day_basis: int = DAY_BASIS,
    compensation_equivalent: Money | None = None,
) -> LateCharges:
    """Statutory interest and fixed compensation for ``principal`` due on ``due_on`` and paid on ``paid_on``.

    For an item still unpaid, pass the as-of date as ``paid_on`` to get the interest accrued so far.
    """
    days_late = max(0, (paid_on - due_on).days)
    if days_late == 0:
        return LateCharges(principal, 0, (), Money.zero(principal.currency).rounded(), None)
    segments = interest_segments(principal, due_on, paid_on, rates, margin=margin, day_basis=day_basis)
    interest = Money.zero(principal.currency)
    for segment in segments:
        interest = interest + segment.interest
    compensation = fixed_compensation(principal.currency, compensation_equivalent)
    return LateCharges(principal, days_late, segments, interest.rounded(), compensation)


@dataclass(frozen=True)
class Settlement:
    """Part (or all) of an invoice paid on a date."""

    paid_on: date
    amount: Money


def late_charges_with_settlements(
    principal: Money,
    due_on: date,
    settlements: Sequence[Settlement],
    rates: ReferenceRateTable,
    *,
    as_of: date | None = None,
    margin: Decimal = STATUTORY_MARGIN,
    day_basis: int = DAY_BASIS,
    compensation_equivalent: Money | None = None,
) -> LateCharges:
    """Interest on an invoice paid in parts: each part accrues until its own payment date, and what is still
    unpaid accrues until ``as_of`` (when given). Interest is rounded once; the compensation is due once per
    invoice, if any part was late.
    """
    portions = [(s.amount, s.paid_on) for s in settlements]
    unpaid = principal
    for settled, _ in portions:
        unpaid = unpaid - settled
    if as_of is not None and unpaid.amount > 0:
        portions.append((unpaid, as_of))
    segments: list[InterestSegment] = []
    for amount, paid_on in portions:
        segments += interest_segments(amount, due_on, paid_on, rates, margin=margin, day_basis=day_basis)
    days_late = max([0] + [(paid_on - due_on).days for _, paid_on in portions])
    interest = Money.zero(principal.currency)
    for segment in segments:
        interest = interest + segment.interest
    compensation = fixed_compensation(principal.currency, compensation_equivalent) if days_late else None
    return LateCharges(principal, days_late, tuple(segments), interest.rounded(), compensation)
