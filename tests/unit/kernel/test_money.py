"""Money: exact, single-currency, rounded once at the edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cashtrail.errors import ValidationFailed
from cashtrail.money import CurrencyMismatchError, D, Money, Rounding, minor_units, total


def test_money_is_never_built_from_a_float():
    with pytest.raises(TypeError):
        Money.of(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]


def test_ten_cents_added_ten_times_is_exactly_one_euro():
    amount = total([Money.of("0.10", "EUR")] * 10, "EUR")
    assert amount == Money.of("1.00", "EUR")
    assert amount.amount == Decimal("1.00")


def test_mixing_currencies_raises_a_typed_error_with_both_codes():
    with pytest.raises(CurrencyMismatchError) as caught:
        Money.of("1", "EUR") - Money.of("1", "GBP")
    assert caught.value.code == "money.currency_mismatch"
    assert caught.value.fields == {"left": "EUR", "right": "GBP"}
    with pytest.raises(CurrencyMismatchError):
        _ = Money.of("1", "EUR") < Money.of("2", "USD")


def test_unknown_currency_codes_are_refused():
    with pytest.raises(ValidationFailed):
        Money.of("1", "EUX")


@pytest.mark.parametrize(
    ("amount", "currency", "mode", "expected"),
    [
        ("2.345", "EUR", Rounding.HALF_UP, "2.35"),
        ("2.345", "EUR", Rounding.HALF_EVEN, "2.34"),
        ("-2.345", "EUR", Rounding.HALF_UP, "-2.35"),
        ("2.349", "EUR", Rounding.DOWN, "2.34"),
        ("1234.5", "JPY", Rounding.HALF_UP, "1235"),
        ("1.2345", "KWD", Rounding.HALF_UP, "1.235"),
    ],
)
def test_rounding_quantizes_to_the_currency_minor_unit_with_the_named_mode(amount, currency, mode, expected):
    assert Money.of(amount, currency).rounded(mode).amount == Decimal(expected)


def test_full_precision_is_kept_until_rounding():
    unit = Money.of("0.0045", "EUR")
    assert (unit * 1001).amount == Decimal("4.5045")
    assert (unit * 1001).rounded() == Money.of("4.50", "EUR")


def test_multiplying_money_by_money_or_float_is_refused():
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * Money.of("1", "EUR")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * 1.5  # type: ignore[operator]


def test_decimal_parsing_refuses_junk_and_infinity():
    with pytest.raises(ValidationFailed):
        D("12,5x")
    with pytest.raises(ValidationFailed):
        D("Infinity")
    assert D(" 1_000.25 ") == Decimal("1000.25")


def test_minor_units_follow_iso_4217():
    assert [minor_units(c) for c in ("EUR", "USD", "GBP", "JPY", "BHD", "CHF")] == [2, 2, 2, 0, 3, 2]
