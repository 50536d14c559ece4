"""Numbers, amounts, dates, countries and account numbers as a reader of one locale expects them (Babel/CLDR).

A :class:`Formatter` is bound to a locale and a currency. Amounts print with the currency's minor-unit decimals
(``1 234,50 €`` in ``fr_BE``, ``€ 1.234,50`` in ``nl_NL``); unit prices and quantities keep every decimal they
carry (``0,0123 €``, ``1,75``) and never lose one; nothing here rounds a figure that a total depends on.

Invariants: every method takes ``Decimal`` or ``date`` and returns text; a float is refused, because a float
amount would already be wrong.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from cashtrail.money import Money


class Formatter:
    """Formats for one document: ``locale`` decides separators, symbols and date words; ``currency`` the amounts."""

    def __init__(self, locale: Locale, currency: str) -> None:
        self.locale = locale
        self.currency = currency

    def money(self, amount: Decimal | Money) -> str:
        """An amount with the currency's decimals: ``1 234,50 €``."""
        value = _decimal(amount.amount if isinstance(amount, Money) else amount)
        return format_currency(value, self.currency, locale=self.locale)

    def price(self, amount: Decimal) -> str:
        """A unit price with at least the currency's decimals and every further decimal it carries."""
        return format_currency(_decimal(amount), self.currency, locale=self.locale, decimal_quantization=False)

    def number(self, value: Decimal) -> str:
        """A quantity with its own decimals: ``1,75``."""
        return format_decimal(_decimal(value).normalize(), locale=self.locale, decimal_quantization=False)

    def percent(self, rate: Decimal) -> str:
        """A percentage given in percent (``Decimal("5.5")`` -> ``5,5 %``)."""
        return format_percent(_decimal(rate) / 100, locale=self.locale, decimal_quantization=False)

    def date(self, day: datetime.date) -> str:
        """A date in words: ``30 avril 2026``."""
        return format_date(day, "long", locale=self.locale)

    def short_date(self, day: datetime.date) -> str:
        """A compact date whose month is a word, unambiguous in every country, for tables: ``30 avr. 2026``."""
        return format_date(day, "medium", locale=self.locale)

    def period(self, start: datetime.date | None, end: datetime.date | None) -> str:
        """A billing period ``start – end`` in compact dates; one side alone when the other is missing."""
        parts = [self.short_date(d) for d in (start, end) if d is not None]
        return " – ".join(parts)

    def country(self, code: str) -> str:
        """The country's name in the document language (``BE`` -> ``Belgique``)."""
        return str(self.locale.territories.get(code, code))


def group_iban(iban: str) -> str:
    """An IBAN in groups of four, as printed (``BE68 5390 0754 7034``).

    >>> group_iban("be68539007547034")
    'BE68 5390 0754 7034'
    """
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _decimal(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"documents format Decimal values, not {type(value).__name__}")
    return value
