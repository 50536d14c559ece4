"""AR metrics as pure functions: DSO (period-end and count-back), best possible DSO, ADD, CEI, percent current,
promise-kept rate, dispute cycle time, unapplied cash and open deductions.

Formulas are those of ``docs/domain/ar.md``; choices it leaves open are in ``docs/collections.md``.

Invariants:
- amounts are :class:`~cashtrail.money.Money` in one currency per call; mixing currencies raises
  :class:`~cashtrail.money.CurrencyMismatchError` (convert to a reporting currency first, outside the domain);
- every ratio keeps full precision and is rounded once, at the end, to 2 decimals half-up (:func:`round2`);
- a zero denominator gives ``None`` (no meaningful figure), never an exception;
- percentages are on a 0-100 scale (84.21 means 84.21 %).

>>> eur = lambda s: Money.of(s, "EUR")
>>> dso_period_end(eur("1200000"), eur("1800000"), 90)
Decimal('60.00')
>>> dso_period_end(eur("1200000"), eur("0"), 90) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cashtrail.money import CurrencyMismatchError, Money

HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Round a metric to 2 decimals, half-up; called once, on the final figure.

    >>> round2(Decimal("55.8333")), round2(Decimal("0.005"))
    (Decimal('55.83'), Decimal('0.01'))
    """
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _maybe_round(value: Decimal | None) -> Decimal | None:
    return None if value is None else round2(value)


def _ratio(numerator: Money, denominator: Money) -> Decimal | None:
    """numerator ÷ denominator at full precision; ``None`` when the denominator is zero."""
    if numerator.currency != denominator.currency:
        raise CurrencyMismatchError(
            f"cannot combine {numerator.currency} and {denominator.currency}",
            left=numerator.currency,
            right=denominator.currency,
        )
    if denominator.is_zero():
        return None
    return numerator.amount / denominator.amount


@dataclass(frozen=True)
class MonthSales:
    """Credit sales of one month and the number of days in that month."""

    sales: Money
    days: int


def dso_period_end(ar_end: Money, credit_sales: Money, days: int) -> Decimal | None:
    """DSO, period-end = AR at end ÷ credit sales in the period × days in the period."""
    ratio = _ratio(ar_end, credit_sales)
    return None if ratio is None else round2(ratio * days)


def _count_back(ar: Money, months: Sequence[MonthSales]) -> Decimal | None:
    """Unrounded count-back DSO; ``None`` when the months given run out before the AR is used up."""
    remainder = ar
    elapsed = Decimal(0)
    for month in reversed(months):
        if remainder.is_zero():
            return elapsed
        if remainder < month.sales:
            ratio = _ratio(remainder, month.sales)
            return elapsed + (ratio or Decimal(0)) * month.days
        remainder = remainder - month.sales
        elapsed += month.days
    return elapsed if remainder.is_zero() else None


def dso_count_back(ar_end: Money, months: Sequence[MonthSales]) -> Decimal | None:
    """DSO, count-back over ``months`` (oldest first): latest months' days until their sales exhaust the AR.

    ``None`` when the AR is larger than all the sales given (pass more months of history).
    """
    return _maybe_round(_count_back(ar_end, months))


def best_possible_dso(current_ar: Money, credit_sales: Money, days: int) -> Decimal | None:
    """Best possible DSO = current (not yet due) AR ÷ credit sales × days."""
    ratio = _ratio(current_ar, credit_sales)
    return None if ratio is None else round2(ratio * days)


def average_days_delinquent(ar_end: Money, current_ar: Money, credit_sales: Money, days: int) -> Decimal | None:
    """ADD (period-end method) = DSO period-end − best possible DSO, rounded once after subtracting."""
    ratio = _ratio(ar_end - current_ar, credit_sales)
    return None if ratio is None else round2(ratio * days)


def average_days_delinquent_count_back(
    ar_end: Money, current_ar: Money, months: Sequence[MonthSales]
) -> Decimal | None:
    """ADD (count-back method) = count-back DSO of all AR − count-back DSO of the current AR."""
    dso = _count_back(ar_end, months)
    best = _count_back(current_ar, months)
    return None if dso is None or best is None else round2(dso - best)


def collection_effectiveness_index(
    ar_start: Money, credit_sales: Money, ar_end: Money, current_ar_end: Money
) -> Decimal | None:
    """CEI = (AR start + credit sales − AR end) ÷ (AR start + credit sales − current AR end) × 100."""
    collectible = ar_start + credit_sales
    ratio = _ratio(collectible - ar_end, collectible - current_ar_end)
    return None if ratio is None else round2(ratio * HUNDRED)


def percent_current(current_ar: Money, total_ar: Money) -> Decimal | None:
    """Percent current = current AR ÷ total AR × 100."""
    ratio = _ratio(current_ar, total_ar)
    return None if ratio is None else round2(ratio * HUNDRED)


@dataclass(frozen=True)
class Payment:
    """Cash received against a promise (or an item) on a business date."""

    received_on: date
    amount: Money


@dataclass(frozen=True)
class Promise:
    """A customer's promise to pay ``amount`` by ``due_on``, with the payments received against it so far."""

    due_on: date
    amount: Money
    payments: tuple[Payment, ...] = ()

    def kept(self) -> bool:
        """True when the payments received on or before ``due_on`` cover the promised amount."""
        paid = Money.zero(self.amount.currency)
        for payment in self.payments:
            if payment.received_on <= self.due_on:
                paid = paid + payment.amount
        return paid >= self.amount


def promise_kept_rate(promises: Iterable[Promise], as_of: date) -> Decimal | None:
    """Promises paid in full by their date ÷ promises due on or before ``as_of``, × 100; ``None`` if none due."""
    due = [p for p in promises if p.due_on <= as_of]
    if not due:
        return None
    kept = sum(1 for p in due if p.kept())
    return round2(Decimal(kept) / Decimal(len(due)) * HUNDRED)


@dataclass(frozen=True)
class Dispute:
    """A dispute's life: opened, and resolved (``None`` while still open)."""

    opened_on: date
    resolved_on: date | None = None


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The median of ``values`` as an exact Decimal (mean of the two middle values for an even count).

    >>> median([Decimal(3), Decimal(1), Decimal(10), Decimal(4)])
    Decimal('3.5')
    """
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def dispute_cycle_time(
    disputes: Iterable[Dispute], resolved_from: date | None = None, resolved_to: date | None = None
) -> Decimal | None:
    """Median days from open to resolved over disputes resolved within ``[resolved_from, resolved_to]``.

    Open disputes are left out; ``None`` when no dispute qualifies.
    """
    days = [
        Decimal((d.resolved_on - d.opened_on).days)
        for d in disputes
        if d.resolved_on is not None
        and (resolved_from is None or d.resolved_on >= resolved_from)
        and (resolved_to is None or d.resolved_on <= resolved_to)
    ]
    return _maybe_round(median(days))


def totals_by_currency(amounts: Iterable[Money]) -> dict[str, Money]:
    """Sum ``amounts`` per currency, each total rounded once to the currency's minor unit (half-up)."""
    sums: dict[str, Money] = {}
    for amount in amounts:
        sums[amount.currency] = sums.get(amount.currency, Money.zero(amount.currency)) + amount
    return {currency: sums[currency].rounded() for currency in sorted(sums)}


def unapplied_cash_total(unapplied: Iterable[Money]) -> dict[str, Money]:
    """Cash received but not yet applied to any item (on account or in suspense), per currency."""
    return totals_by_currency(unapplied)


@dataclass(frozen=True)
class Deduction:
    """A short-pay remainder opened as a deduction, and when it was cleared (``None`` while open)."""

    amount: Money
    opened_on: date
    resolved_on: date | None = None

    def is_open(self, as_of: date) -> bool:
        """Open on ``as_of``: opened by then and not resolved by then."""
        return self.opened_on <= as_of and (self.resolved_on is None or self.resolved_on > as_of)


def open_deductions_total(deductions: Iterable[Deduction], as_of: date) -> dict[str, Money]:
    """Deductions open on ``as_of``, per currency."""
    return totals_by_currency(d.amount for d in deductions if d.is_open(as_of))
