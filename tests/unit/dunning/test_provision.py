"""Bad-debt provision: Σ aging bucket × the user's rate for the bucket."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cashtrail.analytics.aging import OpenItem, age_items
from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.dunning.provision import ProvisionMatrix, bad_debt_provision
from cashtrail.money import Money

MATRIX = ProvisionMatrix.of(
    {
        "current": Decimal("0.5"),
        "1-30": Decimal("2"),
        "31-60": Decimal("5"),
        "61-90": Decimal("15"),
        "91-120": Decimal("40"),
        "121+": Decimal("100"),
    }
)
AS_OF = date(2026, 6, 30)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_the_provision_is_each_bucket_times_its_rate_summed() -> None:
    amounts = {
        "current": eur("100000"),  # 500
        "1-30": eur("40000"),  # 800
        "31-60": eur("10000"),  # 500
        "61-90": eur("2000"),  # 300
        "91-120": eur("1000"),  # 400
        "121+": eur("750.25"),  # 750.25
    }
    provision = bad_debt_provision(amounts, MATRIX, "EUR")
    assert provision.total == eur("3250.25")
    assert [line.provision for line in provision.lines] == [
        eur("500"),
        eur("800"),
        eur("500"),
        eur("300"),
        eur("400"),
        eur("750.25"),
    ]


def test_the_provision_reads_an_aging_and_rounds_only_the_total() -> None:
    items = [OpenItem("A", AS_OF - timedelta(days=10), eur("0.20")), OpenItem("B", AS_OF, eur("0.80"))]
    aging = age_items(items, AS_OF)
    provision = bad_debt_provision(aging.totals["EUR"], MATRIX, "EUR")
    # 0.20 × 2 % = 0.004 and 0.80 × 0.5 % = 0.004: 0.008 rounds to 0.01 (rounding each line would give 0.00)
    assert provision.total == eur("0.01")
    assert {line.bucket for line in provision.lines} == {"current", "1-30"}


def test_an_empty_ledger_provisions_zero() -> None:
    assert bad_debt_provision({}, MATRIX, "EUR").total == eur("0.00")


def test_a_bucket_whose_credits_exceed_its_debits_provisions_nothing() -> None:
    provision = bad_debt_provision({"1-30": eur("-500"), "121+": eur("100")}, MATRIX, "EUR")
    assert provision.total == eur("100.00")


def test_a_bucket_without_a_rate_is_an_error_not_a_silent_zero() -> None:
    with pytest.raises(InvalidPolicy):
        bad_debt_provision({"181+": eur("100")}, MATRIX, "EUR")


def test_rates_outside_0_to_100_percent_are_refused() -> None:
    with pytest.raises(InvalidPolicy):
        ProvisionMatrix.of({"current": Decimal("101")})
    with pytest.raises(InvalidPolicy):
        ProvisionMatrix.of({"current": Decimal("-1")})


def test_buckets_of_another_currency_are_refused() -> None:
    with pytest.raises(InvalidPolicy):
        bad_debt_provision({"current": Money.of("1", "USD")}, MATRIX, "EUR")
