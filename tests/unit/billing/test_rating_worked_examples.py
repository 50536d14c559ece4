"""Worked examples of rating: every figure is computed by hand in the comment above its assertion."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cashtrail.billing.callouts import CalloutTerms, ClassRate, PartUsed, RateClass, rate_job, split_minutes
from cashtrail.billing.usage import Tier, TierMode, check_tiers, rate_usage, shortfall
from cashtrail.contracts.reserve_fund import FundStatus, draw, fund_status
from cashtrail.contracts.terms import (
    Frequency,
    Period,
    Proration,
    Timing,
    due_periods,
    month_period,
    prorate,
    proration_factor,
)
from cashtrail.money import Money

MONO = [Tier(20_000, Decimal("0.0090")), Tier(50_000, Decimal("0.0075")), Tier(None, Decimal("0.0060"))]


def test_tiered_cost_per_page_with_a_pooled_minimum():
    # Agreement pools three devices: 12,000 + 9,500 + 1,500 = 23,000 mono pages, 2,000 included.
    # Billable 21,000: 20,000 × 0.0090 = 180.00 and 1,000 × 0.0075 = 7.50 → 187.50.
    bands = rate_usage(12_000 + 9_500 + 1_500, MONO, TierMode.GRADUATED, included=2_000)
    assert [(b.quantity, b.rate) for b in bands] == [(20_000, Decimal("0.0090")), (1_000, Decimal("0.0075"))]
    usage = sum((b.amount for b in bands), Decimal(0))
    assert Money(usage, "EUR").rounded() == Money.of("187.50", "EUR")
    # Pooled monthly minimum 250.00 → a shortfall line of 62.50 tops the agreement up to the minimum.
    assert shortfall(usage, Decimal("250.00")) == Decimal("62.50")
    # Per-device minimum of 100 instead: device 3 (1,500 pages, after the pool's included volume) is topped up.
    assert shortfall(Decimal(1_500) * Decimal("0.0090"), Decimal(100)) == Decimal("86.5")


def test_volume_tiers_price_every_page_at_the_band_reached():
    # 60,000 pages reach the third band: 60,000 × 0.0060 = 360.00.
    [band] = rate_usage(60_000, MONO, TierMode.VOLUME)
    assert band.amount == Decimal("360.0000")


def test_bad_tier_tables_are_reported():
    assert check_tiers([Tier(None, Decimal(1)), Tier(10, Decimal(1))]) == ["only the last tier may be unbounded"]
    assert check_tiers([Tier(10, Decimal(1)), Tier(10, Decimal(1)), Tier(None, Decimal(1))]) == [
        "tier bounds must increase"
    ]
    assert check_tiers([Tier(10, Decimal(-1)), Tier(None, Decimal(1))]) == ["rates must not be negative"]
    with pytest.raises(ValueError, match="unbounded"):
        rate_usage(100, [Tier(50, Decimal(1))])


def test_a_device_installed_mid_month_pays_a_prorated_base_fee():
    # Installed 2026-04-21: active 10 of April's 30 days → 45.00 × 10/30 = 15.00.
    factor = proration_factor(month_period("2026-04"), date(2026, 4, 21), None, Proration.ACTUAL_DAYS)
    assert factor == Decimal(10) / Decimal(30)
    assert Money(Decimal("45.00") * factor, "EUR").rounded() == Money.of("15.00", "EUR")
    # Removed 2026-04-05 after a full March: 5 days of April.
    assert prorate(Decimal("45.00"), month_period("2026-04"), None, date(2026, 4, 5), Proration.ACTUAL_DAYS) == Decimal(
        "7.5"
    )
    assert proration_factor(month_period("2026-04"), date(2026, 5, 1), None, Proration.ACTUAL_DAYS) == 0
    assert proration_factor(month_period("2026-04"), date(2026, 4, 29), None, Proration.NONE) == 1


def test_quarterly_in_advance_and_in_arrears_bill_in_different_run_months():
    anchor = date(2026, 1, 1)
    q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
    assert due_periods(month_period("2026-04"), anchor, Frequency.QUARTERLY, Timing.ADVANCE) == [q2]
    assert due_periods(month_period("2026-05"), anchor, Frequency.QUARTERLY, Timing.ADVANCE) == []
    assert due_periods(month_period("2026-06"), anchor, Frequency.QUARTERLY, Timing.ARREARS) == [q2]


LIFT_TERMS = CalloutTerms(
    normal_hourly_rate=Decimal("78.00"),
    class_rates={
        RateClass.OUT_OF_HOURS: ClassRate(multiplier=Decimal("1.5")),
        RateClass.WEEKEND_HOLIDAY: ClassRate(hourly_rate=Decimal("156.00")),
    },
    minimum_minutes=60,
    increment_minutes=15,
    travel_fee=Decimal("42.00"),
    parts_discount_percent=Decimal("10"),
    included_kinds=frozenset({"entrapment"}),
)


def test_an_out_of_hours_callout_with_minimum_time_and_rounding():
    # Tuesday 2026-03-10, 19:10–19:50 Brussels time: 40 out-of-hours minutes.
    minutes = split_minutes(
        datetime(2026, 3, 10, 18, 10, tzinfo=UTC),
        datetime(2026, 3, 10, 18, 50, tzinfo=UTC),
        "Europe/Brussels",
        LIFT_TERMS,
    )
    assert minutes == {RateClass.OUT_OF_HOURS: 40}
    charges = rate_job("breakdown", minutes, [PartUsed("DOOR-ROLLER", Decimal(2), Decimal("35.00"))], LIFT_TERMS)
    # 40 min → rounded to 45 → topped up to the 60-minute minimum at 78.00 × 1.5 = 117.00/h → 117.00.
    labour, travel, part = charges
    assert (labour.quantity, labour.unit_price, labour.amount) == (Decimal(1), Decimal("117.000"), Decimal("117.000"))
    assert "40 min worked → 60 min billed" in labour.formula
    assert travel.amount == Decimal("42.00")
    # Parts: 2 × 35.00 less 10 % = 63.00. Job total 117.00 + 42.00 + 63.00 = 222.00.
    assert part.amount == Decimal("63.0000")
    assert Money(sum((c.amount for c in charges), Decimal(0)), "EUR").rounded() == Money.of("222.00", "EUR")


def test_a_job_spanning_business_hours_is_split_and_rounded_per_class():
    # Friday 2026-03-13 16:20–18:05 Brussels: 40 min normal (to 17:00) and 65 min out of hours.
    minutes = split_minutes(
        datetime(2026, 3, 13, 15, 20, tzinfo=UTC),
        datetime(2026, 3, 13, 17, 5, tzinfo=UTC),
        "Europe/Brussels",
        LIFT_TERMS,
    )
    assert minutes == {RateClass.NORMAL: 40, RateClass.OUT_OF_HOURS: 65}
    labour = [c for c in rate_job("breakdown", minutes, [], LIFT_TERMS) if c.kind == "labour"]
    # Normal 40 → 45 min × 78 = 58.50; out of hours 65 → 75 min × 117 = 146.25.
    assert [Money(c.amount, "EUR").rounded().amount for c in labour] == [Decimal("58.50"), Decimal("146.25")]
    assert [c.quantity for c in labour] == [Decimal("0.75"), Decimal("1.25")]


def test_a_saturday_holiday_rate_is_explicit_and_included_callouts_cost_no_labour():
    minutes = split_minutes(
        datetime(2026, 3, 14, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 14, 10, 30, tzinfo=UTC),
        "Europe/Brussels",
        LIFT_TERMS,
    )
    assert minutes == {RateClass.WEEKEND_HOLIDAY: 90}
    assert rate_job("breakdown", minutes, [], LIFT_TERMS)[0].unit_price == Decimal("156.00")
    included = rate_job("entrapment", minutes, [], LIFT_TERMS)
    assert [c.amount for c in included] == [Decimal(0)]


def test_a_repair_draws_on_the_reserve_fund_before_anything_is_invoiced():
    # Fund 1,500.00; repair 1,240.00 → drawn fully, 260.00 left (below the 500.00 warning → low).
    first = draw(Decimal("1500.00"), Decimal("1240.00"))
    assert (first.drawn, first.to_invoice, first.balance_after) == (Decimal("1240.00"), 0, Decimal("260.00"))
    assert fund_status(first.balance_after, Decimal("500")) == FundStatus.LOW
    # Next repair 400.00: 260.00 drawn, 140.00 invoiced, fund exhausted.
    second = draw(first.balance_after, Decimal("400.00"))
    assert (second.drawn, second.to_invoice, second.balance_after) == (Decimal("260.00"), Decimal("140.00"), 0)
    assert fund_status(second.balance_after, Decimal("500")) == FundStatus.EXHAUSTED
