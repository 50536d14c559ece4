"""Statutory late-payment interest (EU Directive 2011/7/EU) and the fixed EUR 40 compensation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.dunning.errors import InvalidPolicy, ReferenceRateMissing
from cashtrail.dunning.interest import (
    ReferenceRateTable,
    Settlement,
    fixed_compensation,
    half_year_start,
    late_charges_with_settlements,
    late_payment_charges,
)
from cashtrail.money import Money

RATES = ReferenceRateTable.of({date(2026, 1, 1): Decimal("2.15"), date(2026, 7, 1): Decimal("2.00")})
TEN_THOUSAND = Money.of("10000", "EUR")


def test_the_worked_example_of_ar_md_gives_166_85_interest_and_40_compensation() -> None:
    charges = late_payment_charges(TEN_THOUSAND, date(2026, 3, 31), date(2026, 5, 30), RATES)
    assert charges.days_late == 60
    assert [s.annual_rate for s in charges.segments] == [Decimal("10.15")]
    assert charges.interest == Money.of("166.85", "EUR")
    assert charges.compensation == Money.of("40", "EUR")


def test_interest_across_a_half_year_boundary_uses_each_half_years_rate() -> None:
    # 21-30 June: 10 days at 10.15 % = 27.8082…; 1-10 July: 10 days at 10.00 % = 27.3972…; rounded once: 55.21
    charges = late_payment_charges(TEN_THOUSAND, date(2026, 6, 20), date(2026, 7, 10), RATES)
    first, second = charges.segments
    assert (first.first_day, first.last_day, first.days, first.annual_rate) == (
        date(2026, 6, 21),
        date(2026, 6, 30),
        10,
        Decimal("10.15"),
    )
    assert (second.first_day, second.last_day, second.days, second.annual_rate) == (
        date(2026, 7, 1),
        date(2026, 7, 10),
        10,
        Decimal("10.00"),
    )
    assert charges.interest == Money.of("55.21", "EUR")


def test_interest_is_rounded_once_not_per_segment() -> None:
    # 7 days at 10.15 % = 19.4657… and 7 days at 10.00 % = 19.1780…: 19.47 + 19.18 = 38.65, but once: 38.64
    charges = late_payment_charges(TEN_THOUSAND, date(2026, 6, 23), date(2026, 7, 7), RATES)
    per_segment = sum((s.interest.rounded().amount for s in charges.segments), Decimal(0))
    assert per_segment == Decimal("38.65")
    assert charges.interest == Money.of("38.64", "EUR")


def test_payment_on_the_due_date_costs_nothing() -> None:
    charges = late_payment_charges(TEN_THOUSAND, date(2026, 3, 31), date(2026, 3, 31), RATES)
    assert (charges.days_late, charges.segments, charges.compensation) == (0, (), None)
    assert charges.interest == Money.of("0.00", "EUR")


def test_payment_one_day_late_earns_one_day_of_interest() -> None:
    charges = late_payment_charges(Money.of("3650", "EUR"), date(2026, 3, 31), date(2026, 4, 1), RATES)
    assert charges.interest == Money.of("1.02", "EUR")  # 3650 × 10.15 % ÷ 365 = 1.015


def test_a_half_year_without_a_recorded_rate_is_an_error_not_a_stale_rate() -> None:
    with pytest.raises(ReferenceRateMissing) as caught:
        late_payment_charges(TEN_THOUSAND, date(2026, 12, 20), date(2027, 1, 10), RATES)
    assert caught.value.half_year == date(2027, 1, 1)
    assert caught.value.code == "dunning.reference_rate_missing"


def test_reference_rates_must_start_a_half_year() -> None:
    with pytest.raises(InvalidPolicy):
        ReferenceRateTable.of({date(2026, 3, 1): Decimal("2.15")})


def test_half_years_start_on_1_january_and_1_july() -> None:
    assert half_year_start(date(2026, 6, 30)) == date(2026, 1, 1)
    assert half_year_start(date(2026, 7, 1)) == date(2026, 7, 1)


def test_a_non_euro_invoice_gets_the_compensation_only_when_its_equivalent_is_given() -> None:
    usd = Money.of("10000", "USD")
    without = late_payment_charges(usd, date(2026, 3, 31), date(2026, 5, 30), RATES)
    assert without.compensation is None
    assert without.interest == Money.of("166.85", "USD")
    given = late_payment_charges(
        usd, date(2026, 3, 31), date(2026, 5, 30), RATES, compensation_equivalent=Money.of("43.20", "USD")
    )
    assert given.compensation == Money.of("43.20", "USD")


def test_a_compensation_equivalent_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidPolicy):
        fixed_compensation("USD", Money.of("40", "GBP"))


def test_a_margin_and_day_basis_from_national_law_can_be_given() -> None:
    charges = late_payment_charges(
        TEN_THOUSAND, date(2026, 3, 31), date(2026, 5, 30), RATES, margin=Decimal(9), day_basis=360
    )
    assert charges.interest == Money.of("185.83", "EUR")  # 10000 × 11.15 % × 60 ÷ 360 = 185.8333…


def test_a_part_payment_stops_interest_on_that_part_only() -> None:
    # 4,000 paid 30 days late and 6,000 paid 60 days late: 33.3698… + 100.1095… = 133.48; one EUR 40
    settlements = [
        Settlement(date(2026, 4, 30), Money.of("4000", "EUR")),
        Settlement(date(2026, 5, 30), Money.of("6000", "EUR")),
    ]
    charges = late_charges_with_settlements(TEN_THOUSAND, date(2026, 3, 31), settlements, RATES)
    assert charges.interest == Money.of("133.48", "EUR")
    assert charges.days_late == 60
    assert charges.compensation == Money.of("40", "EUR")


def test_the_unpaid_rest_accrues_until_the_as_of_date() -> None:
    settlements = [Settlement(date(2026, 4, 30), Money.of("4000", "EUR"))]
    charges = late_charges_with_settlements(
        TEN_THOUSAND, date(2026, 3, 31), settlements, RATES, as_of=date(2026, 5, 30)
    )
    assert charges.interest == Money.of("133.48", "EUR")


def test_parts_paid_on_time_cost_nothing() -> None:
    settlements = [Settlement(date(2026, 3, 31), TEN_THOUSAND)]
    charges = late_charges_with_settlements(TEN_THOUSAND, date(2026, 3, 31), settlements, RATES)
    assert (charges.interest, charges.compensation, charges.days_late) == (Money.of("0.00", "EUR"), None, 0)
