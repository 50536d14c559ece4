"""Meter reads: rollbacks, replacements, estimates and their true-up, outliers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.billing.meters import (
    MeterRead,
    ReadKind,
    check_new_read,
    estimate_read,
    is_outlier,
    usage_between,
)
from cashtrail.contracts.terms import month_period

MARCH, APRIL = month_period("2026-03"), month_period("2026-04")


def test_usage_is_the_closing_read_minus_the_opening_read():
    reads = [MeterRead(date(2026, 3, 31), 15_400), MeterRead(date(2026, 2, 28), 10_000)]
    usage = usage_between(reads, MARCH)
    assert usage.units == 5_400
    assert usage.explain() == "read 15400 on 2026-03-31 − read 10000 on 2026-02-28 = 5400"


def test_a_lower_read_is_a_rollback_and_refused_unless_flagged_as_a_replacement():
    previous = MeterRead(date(2026, 3, 31), 15_400)
    problem = check_new_read(previous, MeterRead(date(2026, 4, 30), 120))
    assert problem is not None
    assert problem.field == "value"
    assert "rollback" in problem.message
    swap = MeterRead(date(2026, 4, 15), 0, kind=ReadKind.REPLACEMENT, old_meter_final=18_000)
    assert check_new_read(previous, swap) is None
    assert check_new_read(previous, MeterRead(date(2026, 4, 15), 0, kind=ReadKind.REPLACEMENT)) is not None


def test_usage_across_a_meter_replacement_counts_both_meters():
    reads = [
        MeterRead(date(2026, 3, 31), 15_400),
        MeterRead(date(2026, 4, 15), 0, kind=ReadKind.REPLACEMENT, old_meter_final=18_000),
        MeterRead(date(2026, 4, 30), 2_500),
    ]
    # Old meter 15,400 → 18,000 = 2,600, new meter 0 → 2,500 = 2,500.
    assert usage_between(reads, APRIL).units == 5_100


def test_an_estimated_read_is_trued_up_by_the_next_real_read():
    opening = MeterRead(date(2026, 2, 28), 10_000)
    estimate = estimate_read(opening, date(2026, 3, 31), Decimal("180"))
    assert (estimate.value, estimate.kind) == (10_000 + 31 * 180, ReadKind.ESTIMATED)
    march = usage_between([opening, estimate], MARCH)
    assert (march.units, march.estimated) == (5_580, True)
    # The real April read of 21,000 bills April as real − estimate: 21,000 − 15,580 = 5,420.
    april = usage_between([opening, estimate, MeterRead(date(2026, 4, 30), 21_000)], APRIL)
    assert (april.units, april.estimated) == (5_420, False)
    assert march.units + april.units == 21_000 - 10_000


def test_no_reads_in_the_period_gives_no_usage():
    assert usage_between([MeterRead(date(2026, 2, 28), 10_000)], MARCH).closing is None


def test_outliers_need_history_and_exceed_the_factor():
    assert not is_outlier(99_000, [10_000, 11_000])
    assert is_outlier(34_000, [10_000, 11_000, 12_000], Decimal(3))
