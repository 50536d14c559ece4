"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Invariants:
- the amount is a ``Decimal`` built from a string, int or Decimal, never from ``float``;
- arithmetic between two currencies raises :class:`CurrencyMismatchError`;
- calculations keep full precision; :meth:`Money.rounded` quantizes once, at a document edge (line, tax, total,
  payment), to the currency's minor unit with a named rounding mode.

>>> a = Money.of("12.30", "EUR")
>>> a + Money.of("0.005", "EUR")
Money('12.305', 'EUR')
>>> (a * 3).rounded()
Money('36.90', 'EUR')
>>> Money.of("2.5", "JPY").rounded(Rounding.HALF_EVEN)
Money('2', 'JPY')
>>> Money.of("1.0005", "BHD").rounded()
Money('1.001', 'BHD')
>>> a + Money.of("1", "USD")
Traceback (most recent call last):
...
cashtrail.money.CurrencyMismatchError: cannot combine EUR and USD
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

from cashtrail.errors import ValidationFailed


class CurrencyMismatchError(ValidationFailed):
    """Two amounts in different currencies were combined."""

    code = "money.currency_mismatch"


class Rounding(StrEnum):
    """Named rounding modes; ``HALF_UP`` is the commercial default in the EU."""

    HALF_UP = decimal.ROUND_HALF_UP
    HALF_EVEN = decimal.ROUND_HALF_EVEN
    DOWN = decimal.ROUND_DOWN
    UP = decimal.ROUND_UP


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(code: str) -> str:
    """Return ``code`` upper-cased if it is an ISO 4217 currency, else raise ``ValidationFailed``.

    >>> check_currency("eur")
    'EUR'
    """
    normalized = code.strip().upper() if isinstance(code, str) else ""
    if len(normalized) != 3 or normalized not in _known_currencies():
        raise ValidationFailed(f"unknown currency {code!r}", code="money.unknown_currency", currency=code)
    return normalized


@cache
def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit (EUR 2, JPY 0, BHD 3).

    >>> minor_units("EUR"), minor_units("JPY"), minor_units("BHD")
    (2, 0, 3)
    """
    return int(get_currency_precision(check_currency(currency)))


def D(value: str | int | Decimal) -> Decimal:  # noqa: N802 - beancount's name, kept on purpose
    """Build a ``Decimal`` from a string, int or Decimal; refuse floats and junk.

    >>> D("1,234.50")
    Decimal('1234.50')
    """
    if isinstance(value, bool | float):
        raise TypeError(f"refusing to build a Decimal from {type(value).__name__} {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "").replace("_", ""))
        except decimal.InvalidOperation:
            raise ValidationFailed(f"not a decimal number: {value!r}", code="money.bad_decimal") from None
    else:
        raise TypeError(f"cannot build a Decimal from {type(value).__name__}")
    if not result.is_finite():
        raise ValidationFailed(f"not a finite number: {value!r}", code="money.bad_decimal")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency; immutable and exact."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money amount must be Decimal, got {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValidationFailed("money amount must be finite", code="money.bad_decimal")
        object.__setattr__(self, "currency", check_currency(self.currency))

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Build from a string, int or Decimal (never a float)."""
        return cls(D(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(Decimal(0), currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot combine {self.currency} and {other.currency}",
                left=self.currency,
                right=other.currency,
            )

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float | Money | bool):
            raise TypeError(f"cannot multiply Money by {type(factor).__name__}")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def is_zero(self) -> bool:
        """True when the amount is zero."""
        return self.amount == 0

    def rounded(self, mode: Rounding = Rounding.HALF_UP) -> Money:
        """Quantize to the currency's minor unit with ``mode``; use once, at a document edge."""
        exponent = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exponent, rounding=str(mode)), self.currency)

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum ``amounts`` (all in ``currency``); an empty iterable gives zero.

    >>> total([Money.of("1.10", "EUR"), Money.of("2.20", "EUR")], "EUR")
    Money('3.30', 'EUR')
    """
    result = Money.zero(currency)
    summed = result.amount
    for amount in amounts:  # the checks of ``+``, without a Money per step (pools sum thousands of charges)
        result._check(amount)
        summed += amount.amount
    return Money(summed, result.currency)
