"""Column specs: the one description of an import file, used both to check rows and to write ``docs/formats.md``.

A :class:`KindSpec` lists the columns of one import kind. Each :class:`Column` has a name, whether it is required,
a cell type that turns the cell's text into a value (or says precisely why it cannot), a description and an
example. Cell types are strict on purpose: a decimal is digits with an optional dot (no thousands separators, no
exponent, no comma), a date is ``YYYY-MM-DD``; anything else is an error rather than a guess.

Invariants:
- a required column must be in the header and non-blank in every row; an optional column may be missing or blank
  and then takes its default;
- a parsed value is ``str``, ``Decimal``, ``int``, ``date``, ``bool`` or ``None``, never a ``float``;
- :func:`content_hash` of a row depends only on the parsed values, so re-typing ``12.50`` as ``12.5`` in a file
  does not count as a change.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from cashtrail.errors import FieldError

Value = str | Decimal | int | date | bool | None

_DECIMAL = re.compile(r"[+-]?\d+(\.\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


class CellError(ValueError):
    """A cell's text cannot be read as the column's type; the message says why, for the user."""


class CellType(Protocol):
    """Turns a non-blank cell's text into a value, or raises :class:`CellError`."""

    @property
    def label(self) -> str:
        """How the type is described in ``docs/formats.md``."""
        ...

    def parse(self, raw: str) -> Value:
        """The value of a non-blank cell."""
        ...


@dataclass(frozen=True)
class Text:
    """Free text, at most ``max_length`` characters; ``meaning`` names a code the domain checks (docs only)."""

    max_length: int
    meaning: str = ""

    @property
    def label(self) -> str:
        return self.meaning or f"text, ≤ {self.max_length} chars"

    def parse(self, raw: str) -> Value:
        if len(raw) > self.max_length:
            raise CellError(f"is longer than {self.max_length} characters ({len(raw)})")
        return raw


@dataclass(frozen=True)
class Number:
    """A decimal number with a dot, at most ``places`` decimals, fitting ``NUMERIC(digits, places)``."""

    places: int
    digits: int
    minimum: Decimal | None = None

    @property
    def label(self) -> str:
        floor = "" if self.minimum is None else f", ≥ {self.minimum}"
        return f"decimal, ≤ {self.places} places{floor}"

    def parse(self, raw: str) -> Value:
        """The exact ``Decimal``; refuses commas, exponents, NaN and too many places.

        >>> Number(2, 19).parse("-12.50")
        Decimal('-12.50')
        >>> Number(2, 19).parse("1,234.50")
        Traceback (most recent call last):
        ...
        cashtrail.imports.spec.CellError: is not a decimal number: use a dot for decimals and no thousands separators
        """
        if not _DECIMAL.fullmatch(raw):
            if "," in raw:
                raise CellError("is not a decimal number: use a dot for decimals and no thousands separators")
            raise CellError("is not a decimal number (digits with an optional dot, e.g. 1234.50)")
        try:
            value = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern only lets valid decimals through
            raise CellError("is not a decimal number") from None
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > self.places:
            raise CellError(f"has {places} decimal places; at most {self.places} are allowed")
        whole = raw.lstrip("+-").split(".")[0].lstrip("0")
        if len(whole) > self.digits - self.places:
            raise CellError(f"is too large: at most {self.digits - self.places} digits before the dot")
        if self.minimum is not None and value < self.minimum:
            raise CellError(f"must be at least {self.minimum}")
        return value


@dataclass(frozen=True)
class Integer:
    """A whole number in ``[minimum, maximum]``."""

    minimum: int = 0
    maximum: int = 100_000

    @property
    def label(self) -> str:
        return f"whole number, {self.minimum}–{self.maximum}"

    def parse(self, raw: str) -> Value:
        if not _INTEGER.fullmatch(raw):
            raise CellError("is not a whole number")
        value = int(raw)
        if not self.minimum <= value <= self.maximum:
            raise CellError(f"must be between {self.minimum} and {self.maximum}")
        return value


@dataclass(frozen=True)
class IsoDate:
    """A calendar date written ``YYYY-MM-DD``."""

    @property
    def label(self) -> str:
        return "date, YYYY-MM-DD"

    def parse(self, raw: str) -> Value:
        if not _DATE.fullmatch(raw):
            raise CellError("is not a date in YYYY-MM-DD form")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise CellError("is not a valid calendar date") from None


@dataclass(frozen=True)
class Flag:
    """Yes or no: ``true/false``, ``yes/no``, ``y/n`` or ``1/0`` in any case."""

    @property
    def label(self) -> str:
        return "true/false (yes/no, 1/0)"

    def parse(self, raw: str) -> Value:
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise CellError("must be true or false (yes/no, 1/0)")


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words, in any case."""

    choices: tuple[str, ...]

    @property
    def label(self) -> str:
        return "one of " + ", ".join(f"`{c}`" for c in self.choices)

    def parse(self, raw: str) -> Value:
        lowered = raw.lower()
        if lowered not in self.choices:
            raise CellError(f"must be one of {', '.join(self.choices)}")
        return lowered


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    type: CellType
    description: str
    example: str
    required: bool = False
    default: Value = None


@dataclass(frozen=True)
class KindSpec:
    """The columns of one import kind and the columns whose values identify a row (its business key).

    ``key_format`` turns the key values into the ``external_id`` stored in ``import_records``.
    """

    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    key_format: str = "{0}"

    @property
    def source(self) -> str:
        """The ``import_records.source`` of this kind, e.g. ``import:customers``."""
        return f"import:{self.kind}"

    def column(self, name: str) -> Column:
        """The column called ``name``; raises ``KeyError`` when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def names(self) -> list[str]:
        """Column names in documentation order."""
        return [c.name for c in self.columns]

    def external_id(self, row: ParsedRow) -> str:
        """The row's business key as stored in ``import_records.external_id`` (e.g. ``STD@2026-01-01|SKU-1``)."""
        return self.key_format.format(*(canonical(row.values.get(name)) or "" for name in self.key))


@dataclass
class ParsedRow:
    """The typed values of one data row; ``bad`` names the columns whose cell could not be read."""

    source: str
    row: int
    values: dict[str, Value]
    bad: set[str] = field(default_factory=set)

    def text(self, name: str) -> str:
        """A text value; blank, missing or unreadable cells give ``""``."""
        value = self.values.get(name)
        return value if isinstance(value, str) else ""

    def optional_text(self, name: str) -> str | None:
        """A text value, or None when blank."""
        return self.text(name) or None

    def decimal(self, name: str) -> Decimal | None:
        """A decimal value, or None when blank or unreadable."""
        value = self.values.get(name)
        return value if isinstance(value, Decimal) else None

    def integer(self, name: str) -> int | None:
        """A whole-number value, or None when blank or unreadable."""
        value = self.values.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def day(self, name: str) -> date | None:
        """A date value, or None when blank or unreadable."""
        value = self.values.get(name)
        return value if isinstance(value, date) else None

    def flag(self, name: str, default: bool) -> bool:
        """A yes/no value, or ``default`` when blank or unreadable."""
        value = self.values.get(name)
        return value if isinstance(value, bool) else default

    def error(self, column: str, message: str, value: object = None) -> FieldError:
        """A problem with this row, located by file, row and column."""
        return FieldError(column, message, value=value, row=self.row, source=self.source)


def canonical(value: Value) -> str | None:
    """The text a value is hashed as: numbers without trailing zeros, dates in ISO form.

    >>> [canonical(v) for v in (Decimal("12.50"), Decimal("100"), date(2026, 1, 2), True, None, "x")]
    ['12.5', '100', '2026-01-02', 'true', None, 'x']
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def content_hash(spec: KindSpec, row: ParsedRow) -> str:
    """SHA-256 of the row's values over every column of ``spec`` (missing columns count as their default)."""
    payload = {c.name: canonical(row.values.get(c.name, c.default)) for c in spec.columns}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{spec.kind}\n{text}".encode()).hexdigest()


def markdown_table(spec: KindSpec) -> str:
    """The columns of ``spec`` as the Markdown table that ``docs/formats.md`` shows (tested to stay in sync)."""
    lines = ["| column | required | type | description | example |", "|---|---|---|---|---|"]
    for c in spec.columns:
        example = f"`{c.example}`" if c.example else ""
        lines.append(f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.type.label} | {c.description} | {example} |")
    return "\n".join(lines)
