"""Edge types shared by the schemas: exact decimals as JSON strings, money rendering, the page envelope.

Amounts travel as JSON *strings* (``"1250.00"``) next to a separate currency field. JSON numbers are refused on
input because a client's JSON library turns them into binary floats, which cannot hold most cents exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from cashtrail.money import minor_units

_DECIMAL_TEXT = re.compile(r"[+-]?(\d+)(?:\.(\d+))?")


def _decimal_parser(places: int, integer_digits: int) -> Callable[[Any], Decimal]:
    """A validator accepting decimal strings with at most ``places`` decimals (the column's scale)."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, Decimal):  # built in Python by a caller of the schema, not from JSON
            value = format(value, "f")
        if not isinstance(value, str):
            raise PydanticCustomError(
                "decimal_string_type",
                'must be a string such as "1250.00"; JSON numbers are refused because they are binary floats',
            )
        match = _DECIMAL_TEXT.fullmatch(value.strip())
        if match is None:
            raise PydanticCustomError("decimal_string", 'is not a decimal number such as "1250.00"')
        whole, fraction = match.group(1), match.group(2) or ""
        if len(fraction) > places:
            raise PydanticCustomError("decimal_places", "has more than {places} decimal places", {"places": places})
        if len(whole.lstrip("0")) > integer_digits:
            raise PydanticCustomError(
                "decimal_size", "has more than {digits} digits before the point", {"digits": integer_digits}
            )
        return Decimal(value.strip())

    return parse


def _decimal_schema(places: int, description: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^[+-]?\d+(\.\d{{1,{places}}})?$",
            "description": description,
            "examples": ["1250.00"],
        }
    )


#: A money amount (credit limits, totals): up to 4 decimals, sent as a string; its currency is a separate field.
Amount = Annotated[
    Decimal, PlainValidator(_decimal_parser(4, 15)), _decimal_schema(4, "Amount as a decimal string, never a number.")
]
#: A unit price: up to 6 decimals (cost per page and similar rates), sent as a string.
UnitPrice = Annotated[
    Decimal, PlainValidator(_decimal_parser(6, 13)), _decimal_schema(6, "Unit price as a decimal string.")
]
#: A percentage such as a cash discount: up to 4 decimals, sent as a string.
Percent = Annotated[
    Decimal, PlainValidator(_decimal_parser(4, 3)), _decimal_schema(4, "Percentage as a decimal string.")
]


def money_text(amount: Decimal, currency: str) -> str:
    """``amount`` as plain text with at least the currency's minor-unit decimals and no trailing zeros beyond.

    Stored scales differ per column and backend, so output is normalized to one deterministic form.

    >>> money_text(Decimal("50000.0000"), "EUR"), money_text(Decimal("12.345600"), "EUR")
    ('50000.00', '12.3456')
    >>> money_text(Decimal("5E+1"), "JPY"), money_text(Decimal("-0.000"), "EUR")
    ('50', '0.00')
    """
    places = minor_units(currency)
    normalized = amount.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -places:
        normalized = normalized.quantize(Decimal(1).scaleb(-places))
    if normalized.is_zero():
        normalized = normalized.copy_abs()
    return format(normalized, "f")


def decimal_text(value: Decimal) -> str:
    """A decimal that is not money (a percentage) as plain text without trailing zeros.

    >>> decimal_text(Decimal("2.5000")), decimal_text(Decimal("0.0000")), decimal_text(Decimal("1E+1"))
    ('2.5', '0', '10')
    """
    normalized = value.normalize()
    return format(normalized.copy_abs() if normalized.is_zero() else normalized, "f")


def pages_text(value: Decimal) -> str:
    """Yield pages (fractional once scaled by coverage) rounded half-up to two decimals, without trailing zeros.

    Two decimals, like cartridge equivalents and coverage; ``decimal_text`` then drops the zeros a stored scale adds.

    >>> pages_text(Decimal("5185.40000000")), pages_text(Decimal("120000.0000")), pages_text(Decimal("0.125"))
    ('5185.4', '120000', '0.13')
    """
    return decimal_text(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next page."""

    items: list[ItemT]
    next_cursor: str | None = Field(description="Opaque cursor of the next page; null on the last page.")
