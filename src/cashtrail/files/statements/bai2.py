"""BAI2 (cash management balance reporting), read with the ``bai2`` library and mapped here.

One :class:`Statement` per account (``03`` record). ``statement_id`` is the 1-based group (``02``) number in the
file, ``message_id`` the file id from ``01``. Amounts are integers in the currency's minor unit; the currency is
the account's, else the group's, else USD (the BAI2 default). Type codes 100-399 are credits (positive), 400-699
debits (negative); other codes in a ``16`` record are refused. Opening balance is summary ``010`` (opening ledger),
closing ``015`` (closing ledger), both dated the group's as-of date; when the account reports both ``100`` and
``400`` item counts their sum is the declared number of entries.

Refused, with the reason, instead of guessed at:
- several records on one physical line (``.../   02,...``): the library misreads them and a record may be lost;
- an account trailer (``49``) whose record count or control total disagrees with the records in the account:
  records are missing or the trailer is wrong, and either way the statement cannot be trusted.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from bai2 import bai2 as bai2_lib
from bai2.exceptions import IntegrityException, NotSupportedYetException, ParsingException

from cashtrail.cashapp.statements import Balance, Entry, Remittance, Statement, StatementFormat
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, minor_units

_RECORD_IN_LINE = re.compile(r"/\s+\d\d,")
_OPENING, _CLOSING = "010", "015"


def parse_bai2(data: bytes, name: str) -> tuple[list[Statement], list[FieldError]]:
    """Parse a BAI2 file into one statement per account, or say precisely why it is refused."""
    text = data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    problems = _layout_problems(text, name) or _trailer_problems(text, name)
    if problems:
        return [], problems
    try:
        parsed = bai2_lib.parse_from_string(text, check_integrity=True)
    except (IntegrityException, ParsingException, NotSupportedYetException, ValueError) as exc:
        return [], [FieldError("file", f"is not valid BAI2: {exc}", source=name)]
    statements: list[Statement] = []
    errors: list[FieldError] = []
    for group_number, group in enumerate(parsed.children, start=1):
        for account in group.children:
            try:
                statements.append(_statement(parsed, group, group_number, account, name))
            except ValidationFailed as exc:
                errors.append(
                    FieldError("account", exc.detail, value=account.header.customer_account_number, source=name)
                )
    return statements, errors


def _layout_problems(text: str, name: str) -> list[FieldError]:
    for number, line in enumerate(text.split("\n"), start=1):
        if _RECORD_IN_LINE.search(line):
            return [
                FieldError(
                    "file",
                    "holds several records on one line; BAI2 puts each record on its own line",
                    value=line[:60],
                    row=number,
                    source=name,
                )
            ]
    return []


def _trailer_problems(text: str, name: str) -> list[FieldError]:
    """Compare every ``49`` trailer with the records of its account (``03`` to ``49`` inclusive)."""
    errors: list[FieldError] = []
    start: tuple[int, str] | None = None
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        code = line[:2]
        if code == "03":
            start, count = (number, line.split(",")[1] if "," in line else ""), 0
        if start is None or not line.strip():
            continue
        count += 1
        if code == "49":
            declared = line.rstrip().rstrip("/").split(",")[2] if line.count(",") >= 2 else ""
            if declared.strip().isdigit() and int(declared) != count:
                message = f"account {start[1]}: trailer 49 declares {int(declared)} records but the account has {count}"
                errors.append(FieldError("file", message, value=declared, row=number, source=name))
            start = None
    return errors


def _statement(parsed: Any, group: Any, group_number: int, account: Any, name: str) -> Statement:
    header = account.header
    currency = header.currency or group.header.currency or "USD"
    as_of: date = group.header.as_of_date
    summary = {item.type_code.code: item for item in header.summary_items}
    entries = tuple(_entry(t, currency, as_of) for t in account.children)
    return Statement(
        format=StatementFormat.BAI2,
        account=str(header.customer_account_number),
        currency=currency,
        entries=entries,
        message_id=parsed.header.file_id,
        statement_id=str(group_number),
        opening=_balance(summary.get(_OPENING), currency, as_of),
        closing=_balance(summary.get(_CLOSING), currency, as_of),
        declared_entry_count=_declared(summary),
        source=name,
    )


def _declared(summary: dict[str, Any]) -> int | None:
    totals = [summary.get("100"), summary.get("400")]  # total credits, total debits
    counts = [t.item_count for t in totals if t is not None and t.item_count is not None]
    return sum(int(c) for c in counts) if len(counts) == 2 else None


def _money(minor: int, currency: str) -> Money:
    return Money(Decimal(minor).scaleb(-minor_units(currency)), currency)


def _balance(item: Any, currency: str, as_of: date) -> Balance | None:
    if item is None or item.amount is None:
        return None
    return Balance(_money(int(item.amount), currency), as_of)


def _entry(detail: Any, currency: str, as_of: date) -> Entry:
    code = int(detail.type_code.code)
    if not 100 <= code <= 699:
        raise ValidationFailed(f"transaction type code {code} is neither a credit (100-399) nor a debit (400-699)")
    money = _money(int(detail.amount or 0), currency)
    text = " ".join(str(detail.text or "").split())
    return Entry(
        amount=money if code < 400 else -money,
        booking_date=as_of,
        bank_reference=detail.bank_reference or None,
        customer_reference=detail.customer_reference or None,
        remittance=Remittance(unstructured=(text,) if text else ()),
        code=str(code),
        information=text or None,
    )
