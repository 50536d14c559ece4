"""AR metrics: the worked example of ar.md, count-back edges, ratios, promises, disputes and cash totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.analytics.metrics import (
    Deduction,
    Dispute,
    MonthSales,
    Payment,
    Promise,
    average_days_delinquent,
    average_days_delinquent_count_back,
    best_possible_dso,
    collection_effectiveness_index,
    dispute_cycle_time,
    dso_count_back,
    dso_period_end,
    open_deductions_total,
    percent_current,
    promise_kept_rate,
    unapplied_cash_total,
)
from cashtrail.money import CurrencyMismatchError, Money


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


AR_START = eur("1000000")
SALES = eur("1800000")
AR_END = eur("1200000")
CURRENT = eur("900000")
QUARTER = (MonthSales(eur("500000"), 31), MonthSales(eur("600000"), 31), MonthSales(eur("700000"), 30))


def test_period_end_dso_of_the_worked_example_is_60() -> None:
    assert dso_period_end(AR_END, SALES, 90) == Decimal("60.00")


def test_count_back_dso_of_the_worked_example_is_55_83() -> None:
    assert dso_count_back(AR_END, QUARTER) == Decimal("55.83")


def test_best_possible_dso_of_the_worked_example_is_45() -> None:
    assert best_possible_dso(CURRENT, SALES, 90) == Decimal("45.00")


def test_average_days_delinquent_of_the_worked_example_is_15() -> None:
    assert average_days_delinquent(AR_END, CURRENT, SALES, 90) == Decimal("15.00")


def test_cei_of_the_worked_example_is_84_21_percent() -> None:
    assert collection_effectiveness_index(AR_START, SALES, AR_END, CURRENT) == Decimal("84.21")


def test_count_back_add_subtracts_the_unrounded_count_back_of_current_ar() -> None:
    # 55.8333… − (30 + 200,000 / 600,000 × 31 = 40.3333…) = 15.50
    assert average_days_delinquent_count_back(AR_END, CURRENT, QUARTER) == Decimal("15.50")


def test_count_back_that_uses_up_a_month_exactly_counts_only_whole_months() -> None:
    assert dso_count_back(eur("700000"), QUARTER) == Decimal("30.00")


def test_count_back_of_zero_ar_is_zero_days() -> None:
    assert dso_count_back(eur("0"), QUARTER) == Decimal("0.00")


def test_count_back_is_none_when_ar_exceeds_all_the_sales_given() -> None:
    assert dso_count_back(eur("2000000"), QUARTER) is None


def test_ratios_with_a_zero_denominator_are_none_not_an_error() -> None:
    zero = eur("0")
    assert dso_period_end(AR_END, zero, 90) is None
    assert best_possible_dso(CURRENT, zero, 90) is None
    assert average_days_delinquent(AR_END, CURRENT, zero, 90) is None
    assert collection_effectiveness_index(zero, zero, zero, zero) is None
    assert percent_current(zero, zero) is None


def test_percent_current_is_current_over_total_times_100_rounded_half_up() -> None:
    assert percent_current(CURRENT, AR_END) == Decimal("75.00")
    assert percent_current(eur("1"), eur("3")) == Decimal("33.33")
    assert percent_current(eur("2"), eur("3")) == Decimal("66.67")


def test_metrics_refuse_to_mix_currencies() -> None:
    with pytest.raises(CurrencyMismatchError):
        dso_period_end(AR_END, Money.of("1800000", "USD"), 90)


def _promise(due: date, amount: str, *payments: tuple[date, str]) -> Promise:
    return Promise(due, eur(amount), tuple(Payment(day, eur(paid)) for day, paid in payments))


def test_promise_kept_rate_counts_only_promises_paid_in_full_by_their_date() -> None:
    promises = [
        _promise(date(2026, 5, 10), "100", (date(2026, 5, 10), "100")),  # kept on the day
        _promise(date(2026, 5, 10), "100", (date(2026, 5, 11), "100")),  # a day late
        _promise(date(2026, 5, 12), "100", (date(2026, 5, 1), "99.99")),  # short by a cent
        _promise(date(2026, 5, 15), "100", (date(2026, 5, 1), "40"), (date(2026, 5, 15), "60")),  # in two parts
        _promise(date(2026, 6, 1), "100"),  # not due yet: left out
    ]
    assert promise_kept_rate(promises, date(2026, 5, 31)) == Decimal("50.00")


def test_promise_kept_rate_is_none_when_no_promise_is_due() -> None:
    assert promise_kept_rate([_promise(date(2026, 6, 1), "100")], date(2026, 5, 31)) is None


def test_promise_kept_rate_rounds_once_at_the_end() -> None:
    promises = [_promise(date(2026, 5, 1), "10", (date(2026, 5, 1), "10")), _promise(date(2026, 5, 1), "10")]
    promises.append(_promise(date(2026, 5, 2), "10"))
    assert promise_kept_rate(promises, date(2026, 5, 31)) == Decimal("33.33")


def _dispute(opened: date, days: int | None) -> Dispute:
    resolved = None if days is None else date.fromordinal(opened.toordinal() + days)
    return Dispute(opened, resolved)


def test_dispute_cycle_time_is_the_median_days_of_resolved_disputes() -> None:
    opened = date(2026, 4, 1)
    disputes = [_dispute(opened, 3), _dispute(opened, 10), _dispute(opened, 5), _dispute(opened, 20)]
    disputes.append(_dispute(opened, None))  # still open: left out
    assert dispute_cycle_time(disputes) == Decimal("7.50")


def test_dispute_cycle_time_with_an_odd_count_is_the_middle_value() -> None:
    opened = date(2026, 4, 1)
    assert dispute_cycle_time([_dispute(opened, 1), _dispute(opened, 9), _dispute(opened, 4)]) == Decimal("4.00")


def test_dispute_cycle_time_only_counts_disputes_resolved_in_the_window() -> None:
    opened = date(2026, 4, 1)
    disputes = [_dispute(opened, 2), _dispute(opened, 40), _dispute(opened, 61)]
    assert dispute_cycle_time(disputes, date(2026, 5, 1), date(2026, 5, 31)) == Decimal("40.00")


def test_dispute_cycle_time_is_none_without_resolved_disputes() -> None:
    assert dispute_cycle_time([_dispute(date(2026, 4, 1), None)]) is None


def test_unapplied_cash_is_totalled_per_currency_and_rounded_once() -> None:
    amounts = [eur("10.004"), eur("0.004"), Money.of("5", "USD"), eur("1")]
    assert unapplied_cash_total(amounts) == {"EUR": eur("11.01"), "USD": Money.of("5.00", "USD")}


def test_open_deductions_count_only_those_open_on_the_as_of_date() -> None:
    deductions = [
        Deduction(eur("50"), date(2026, 4, 1)),
        Deduction(eur("20"), date(2026, 4, 1), resolved_on=date(2026, 4, 20)),  # resolved before
        Deduction(eur("7"), date(2026, 4, 1), resolved_on=date(2026, 5, 20)),  # resolved after
        Deduction(eur("900"), date(2026, 5, 2)),  # opened after
    ]
    assert open_deductions_total(deductions, date(2026, 4, 30)) == {"EUR": eur("57.00")}


def test_totals_of_nothing_are_an_empty_mapping() -> None:
    assert unapplied_cash_total([]) == {}
