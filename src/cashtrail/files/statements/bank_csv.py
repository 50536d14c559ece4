"""Cashtrail's CSV bank statement: one row per balance or entry, checked whole (column spec in docs/formats.md).

A file holds one or more statements (one per ``account`` + ``statement_id``, in file order). Each statement is an
optional ``opening`` row, its ``entry`` rows and exactly one ``closing`` row that declares how many entries it
closes (``entries``), so a file cut short is refused rather than half imported: the missing closing row, the entry
count and opening + movements = closing (checked by :func:`cashtrail.cashapp.statements.check_statement`) each catch
a truncation. Every problem is a ``FieldError`` with the file, the row (the header is row 1) and the column; any
problem and the file gives no statements.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban

from cashtrail.cashapp.statements import (
    Balance,
    Counterparty,
    Entry,
    Remittance,
    Statement,
    StatementFormat,
    StructuredRemittance,
)
from cashtrail.errors import FieldError
from cashtrail.invoicing.references import classify_reference
from cashtrail.money import Money

REQUIRED = ("record", "account", "currency", "date", "amount")
OPTIONAL = (
    "statement_id",
    "value_date",
    "bank_reference",
    "end_to_end_id",
    "counterparty_name",
    "counterparty_iban",
    "counterparty_bic",
    "reference",
    "remittance",
    "entries",
)
RECORDS = ("opening", "entry", "closing")


def looks_like_bank_csv(head: bytes) -> bool:
    """True when the first line is a header whose first column is ``record``."""
    first = head.split(b"\n", 1)[0].strip().lower()
    return first.startswith((b"record,", b'"record",'))


@dataclass
class _Open:
    """A statement being read: its rows so far."""

    account: str
    statement_id: str
    currency: str
    first_row: int
    opening: Balance | None = None
    entries: list[Entry] = field(default_factory=list)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[FieldError] = []
        self.statements: list[Statement] = []
        self.open: dict[tuple[str, str], _Open] = {}

    def error(self, row: int, column: str, message: str, value: object = None) -> None:
        self.errors.append(FieldError(column, message, value=value, row=row, source=self.name))

    def amount(self, row: int, raw: str, currency: str) -> Money | None:
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            self.error(row, "amount", "is not a decimal number (use a point, no thousands separator)", raw)
            return None
        if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
            self.error(row, "amount", "has more than 2 decimals", raw)
            return None
        return Money(value, currency)

    def day(self, row: int, column: str, raw: str, *, required: bool) -> date | None:
        if not raw.strip():
            if required:
                self.error(row, column, "is required")
            return None
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            self.error(row, column, "is not a date YYYY-MM-DD", raw)
            return None

    def row(self, number: int, cells: dict[str, str]) -> None:
        record = cells.get("record", "").strip().lower()
        if record not in RECORDS:
            self.error(number, "record", f"must be one of {', '.join(RECORDS)}", cells.get("record"))
            return
        account, currency = cells["account"].strip().replace(" ", ""), cells["currency"].strip().upper()
        if not account:
            self.error(number, "account", "is required")
        if len(currency) != 3 or not currency.isalpha():
            self.error(number, "currency", "is not an ISO 4217 code", cells["currency"])
            return
        on = self.day(number, "date", cells["date"], required=True)
        money = self.amount(number, cells["amount"], currency)
        if not account or on is None or money is None:
            return
        key = (account, cells.get("statement_id", "").strip())
        current = self.open.get(key)
        if current is None:
            current = self.open[key] = _Open(account, key[1], currency, number)
        if currency != current.currency:
            self.error(number, "currency", f"differs from the statement's {current.currency}", currency)
            return
        getattr(self, f"_{record}")(number, cells, current, Balance(money, on))

    def _opening(self, number: int, cells: dict[str, str], current: _Open, balance: Balance) -> None:
        if current.opening is not None or current.entries:
            self.error(number, "record", "an opening row must come first in its statement, once")
        current.opening = balance

    def _entry(self, number: int, cells: dict[str, str], current: _Open, balance: Balance) -> None:
        current.entries.append(self.entry(number, cells, balance))

    def _closing(self, number: int, cells: dict[str, str], current: _Open, balance: Balance) -> None:
        raw = cells.get("entries", "").strip()
        if not raw.isdigit():
            self.error(number, "entries", "a closing row declares how many entries it closes", raw)
        del self.open[(current.account, current.statement_id)]
        self.statements.append(
            Statement(
                StatementFormat.CSV,
                current.account,
                current.currency,
                tuple(current.entries),
                statement_id=current.statement_id or None,
                opening=current.opening,
                closing=balance,
                declared_entry_count=int(raw) if raw.isdigit() else None,
                source=self.name,
            )
        )

    def entry(self, number: int, cells: dict[str, str], balance: Balance) -> Entry:
        text = cells.get("remittance", "").strip()
        raw_reference = cells.get("reference", "").strip()
        structured = (StructuredRemittance(classify_reference(raw_reference)),) if raw_reference else ()
        iban = cells.get("counterparty_iban", "").strip().replace(" ", "").upper() or None
        if iban and not stdnum_iban.is_valid(iban):
            self.error(number, "counterparty_iban", "is not a valid IBAN", iban)
        bic = cells.get("counterparty_bic", "").strip().upper() or None
        if bic and not stdnum_bic.is_valid(bic):
            self.error(number, "counterparty_bic", "is not a valid BIC", bic)
        return Entry(
            balance.amount,
            balance.on,
            value_date=self.day(number, "value_date", cells.get("value_date", ""), required=False),
            bank_reference=cells.get("bank_reference", "").strip() or None,
            end_to_end_id=cells.get("end_to_end_id", "").strip() or None,
            remittance=Remittance(unstructured=(text,) if text else (), structured=structured),
            counterparty=Counterparty(cells.get("counterparty_name", "").strip() or None, iban, None, bic),
            status="BOOK",
        )


def parse_bank_csv(data: bytes, name: str) -> tuple[list[Statement], list[FieldError]]:
    """Read a CSV bank statement file; any problem gives no statements and every problem found."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [FieldError("file", f"is not UTF-8 text: byte offset {exc.start}", source=name)]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    reader = _Reader(name)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        for column in missing:
            reader.error(1, column, "column is missing")
        for column in unknown:
            reader.error(1, column, f"unknown column (known: {', '.join(REQUIRED + OPTIONAL)})")
        if len(set(header)) != len(header):
            reader.error(1, "header", "a column is named twice")
        return [], reader.errors
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            reader.error(number, "row", f"has {len(cells)} cells, the header {len(header)} (cut short?)")
            continue
        reader.row(number, dict(zip(header, cells, strict=True)))
    for current in reader.open.values():
        reader.error(
            current.first_row,
            "record",
            f"statement of {current.account} has no closing row: the file is cut short or incomplete",
        )
    if not reader.statements and not reader.errors:
        reader.error(1, "file", "holds no statement")
    return ([] if reader.errors else reader.statements), reader.errors
