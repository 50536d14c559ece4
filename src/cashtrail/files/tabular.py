"""Tabular files (CSV and XLSX) read into a header and numbered rows of text cells.

This adapter knows file formats, not columns: what it hands on is always text, and the importers
(``cashtrail.imports``) decide what a cell means. Rules, documented for users in ``docs/formats.md``:

- CSV must be UTF-8; a byte-order mark is allowed and dropped. Any other encoding is refused with the byte offset
  and line of the first byte that is not UTF-8, instead of guessing (a wrong guess silently corrupts names).
- The CSV delimiter is a comma or a semicolon, chosen by counting both in the header line outside quotes (a tie
  means comma). Quoting follows RFC 4180; an unterminated quote is an error, not a silently swallowed file.
- XLSX: the first worksheet, header in row 1; formulas give their cached values. Numbers, dates and booleans
  are turned into text (``12.5``, ``2026-01-31``, ``true``); numbers pass through their shortest decimal form,
  never through a float computation.
- Row numbers are what a spreadsheet shows: the header is row 1. Blank rows are skipped but still counted.
- Cells are stripped of surrounding whitespace; trailing empty header cells are dropped.

Problems come back as a list of ``FieldError`` naming the file (house-style E3); nothing here raises for a bad
file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from cashtrail.errors import FieldError

CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx"})
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Record = tuple[int, list[str]]


@dataclass(frozen=True)
class Tabular:
    """A file's header cells and its non-blank data rows, each with its 1-based row number."""

    name: str
    header: list[str]
    rows: list[Record]


def read_table(path: Path) -> tuple[Tabular | None, list[FieldError]]:
    """Read a CSV or XLSX file (chosen by its suffix) into a :class:`Tabular`, or return why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [_file_error(path.name, f"cannot be read: {exc.strerror or exc}")]
    return read_bytes(data, path.name)


def read_bytes(data: bytes, name: str) -> tuple[Tabular | None, list[FieldError]]:
    """Read uploaded or on-disk ``data`` whose file name is ``name`` (the suffix picks the format)."""
    suffix = Path(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(data, name)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(data, name)
    return None, [_file_error(name, f"has an unsupported file type {suffix or '(none)'!r}; use .csv or .xlsx")]


def read_csv(data: bytes, name: str) -> tuple[Tabular | None, list[FieldError]]:
    """Decode UTF-8 CSV ``data`` (comma or semicolon separated) into a header and rows."""
    if not data:
        return None, [_file_error(name, "is empty (0 bytes)")]
    text, error = _decode_utf8(data, name)
    if error is not None:
        return None, [error]
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        return None, [_file_error(name, f"is not valid CSV: {exc}", row=len(records) + 1)]
    return _tabular(name, records)


def read_xlsx(data: bytes, name: str) -> tuple[Tabular | None, list[FieldError]]:
    """Read the first worksheet of XLSX ``data``; row 1 is the header."""
    if not data:
        return None, [_file_error(name, "is empty (0 bytes)")]
    import openpyxl  # imported here so CSV-only callers do not pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike mean "not a workbook we can read"
        return None, [_file_error(name, f"is not a readable XLSX workbook ({type(exc).__name__}: {exc})")]
    try:
        if not workbook.worksheets:
            return None, [_file_error(name, "has no worksheet")]
        sheet = workbook.worksheets[0]
        records = [
            (number, [cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as exc:  # a damaged sheet part fails only while iterating
        return None, [_file_error(name, f"is not a readable XLSX workbook ({type(exc).__name__}: {exc})")]
    finally:
        workbook.close()
    return _tabular(name, records)


def sniff_delimiter(text: str) -> str:
    """Comma or semicolon, whichever occurs more often in the first line outside double quotes.

    >>> sniff_delimiter('number;legal_name\\n1;"A, B"')
    ';'
    >>> sniff_delimiter('sku,name\\n')
    ','
    """
    counts = {",": 0, ";": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def cell_text(value: object) -> str:
    """The text of one XLSX cell value as a user would type it.

    >>> [cell_text(v) for v in (None, " a ", True, 12, 12.5, 1e-05, 3.0, datetime(2026, 1, 31))]
    ['', 'a', 'true', '12', '12.5', '0.00001', '3', '2026-01-31']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same double: what the sheet showed, not binary noise.
        exact = Decimal(repr(value))
        return format(exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact, "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _decode_utf8(data: bytes, name: str) -> tuple[str, FieldError | None]:
    if data.startswith(_UTF16_BOMS):
        return "", _file_error(name, "is UTF-16 text, not UTF-8; save it as UTF-8 (in Excel: 'CSV UTF-8')", row=1)
    skipped = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[skipped:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        offset = skipped + exc.start
        line = data.count(b"\n", 0, offset) + 1
        message = (
            f"is not UTF-8 text: byte 0x{data[offset]:02X} at byte offset {offset} (line {line}) is not valid "
            "UTF-8; save the file as UTF-8 (in Excel: 'CSV UTF-8')"
        )
        return "", _file_error(name, message, row=line)


def _tabular(name: str, records: Sequence[Record]) -> tuple[Tabular | None, list[FieldError]]:
    if not records or not any(records[0][1]):
        return None, [_file_error(name, "has no header row (row 1 is blank)", row=1)]
    header = _without_trailing_blanks(records[0][1])
    rows = [(number, cells) for number, cells in records[1:] if any(cells)]
    return Tabular(name=name, header=header, rows=rows), []


def _without_trailing_blanks(cells: Iterable[str]) -> list[str]:
    kept = list(cells)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def _file_error(name: str, message: str, *, row: int | None = None) -> FieldError:
    return FieldError("file", message, row=row, source=name)
