"""SWIFT MT940 (customer statement) and MT942 (interim transaction report).

Our own reader, after trying the ``mt-940`` library: it folds every ``:20:`` message of a file into one
``Transactions`` object (statement balances of all but the last message are lost) and stops on the ING file whose
``:28C:`` statement number is wrapped over two lines. What this reader does:

- Lines outside a message (SWIFT envelope ``{1:...}``, bank headers before ``:20:``, the ``-`` terminator) are
  skipped; a line that does not open a tag continues the previous tag. ``:86:`` and ``:28C:`` continuations are
  joined without a line break (banks wrap at 65 characters, even inside words and numbers); ``:61:`` keeps its
  second line as supplementary details.
- ``:60F/M:`` is the opening, ``:62F/M:`` the closing balance; ``:61:`` is signed by its mark (``C``/``RD`` in,
  ``D``/``RC`` out); its entry date (MMDD) takes the year of the value date, crossing a year end when needed.
- MT942 (recognised by ``:34F:``, ``:13D:`` or ``:90C/D:``) has no balances; ``:90D:`` + ``:90C:`` declare the
  number of entries, which :func:`~cashtrail.cashapp.statements.check_statement` then verifies.
- ``:86:`` is read in the three layouts banks use: German ``?20``..``?63`` sub-fields with ``EREF+``/``SVWZ+``,
  the Dutch ``/EREF/``, ``/REMI/``, ``/CNTP/`` codes, or free text. The raw text stays on the entry.
- A tag we do not know, a ``:61:`` or balance we cannot read is an error naming the line, never skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from babel.numbers import list_currencies

from cashtrail.cashapp.statements import Balance, Entry, Statement, StatementFormat
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.files.statements.mt940_details import parse_information
from cashtrail.money import Money

_TAG = re.compile(r"^:(\d\d[A-Z]?):(.*)$")
_BALANCE = re.compile(r"^([CD])(\d{6})([A-Z]{3})(\d+(?:,\d*)?)$")
_COUNT_SUM = re.compile(r"^(\d+)([A-Z]{3})(\d+(?:,\d*)?)$")
_LINE61 = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?(?P<amount>\d+(?:,\d*)?)"
    r"(?P<type>[NSF][A-Z0-9]{3})(?P<customer>[^/\n]*?)(?://(?P<bank>[^\n]*))?(?:\n(?P<extra>.*))?$",
    re.DOTALL,
)
_IBAN_CURRENCY = re.compile(r"^([A-Z]{2}\d{2}[A-Z0-9]{11,30}?)([A-Z]{3})$")
_CURRENCIES = frozenset(list_currencies())
_IGNORED = {"13", "13D", "21", "34F", "64", "65"}  # floor limits, creation time, available balances
_MT942_TAGS = {"13D", "34F", "90C", "90D"}
# "-", "-}" and "-" followed by control characters or filler end a message; "{" opens a SWIFT envelope block.
_OUTSIDE = re.compile(r"^(-(\}|[\W_]*|X+)$|\{)")
_WRAPPED_NUMBERS = {"28C", "28"}
_SWIFT_LINE = 65


@dataclass
class _Field:
    tag: str
    value: str
    line: int


@dataclass
class _Message:
    fields: list[_Field] = field(default_factory=list)


def parse_mt940(data: bytes, name: str) -> tuple[list[Statement], list[FieldError]]:
    """Parse every MT940/MT942 message in ``data``; problems come back as errors naming the line."""
    text = _decode(data)
    messages = _split(text)
    if not messages:
        return [], [FieldError("file", "holds no MT940/MT942 message (no :20: tag)", source=name)]
    statements: list[Statement] = []
    errors: list[FieldError] = []
    for message in messages:
        statement, problems = _statement(message, name)
        errors += problems
        if statement is not None:
            statements.append(statement)
    return statements, errors


def _decode(data: bytes) -> str:
    # SWIFT's character set is a subset of ASCII, but banks send Latin-1 names; Latin-1 never fails to decode.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(text: str) -> list[_Message]:
    messages: list[_Message] = []
    current: _Field | None = None
    previous_length = 0
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG.match(line)
        stripped = line.rstrip()
        if match:
            current = _Field(match.group(1), match.group(2), number)
            if current.tag == "20":
                messages.append(_Message())
            if messages:
                messages[-1].fields.append(current)
        elif _OUTSIDE.match(stripped) or not messages:
            current = None  # message terminator, envelope or bank header
        elif current is not None and stripped:
            current.value += _joiner(current.tag, previous_length) + stripped
        previous_length = len(line.rstrip("\r"))
    return messages


def _joiner(tag: str, previous_length: int) -> str:
    # SWIFT lines hold at most 65 characters: a full line was wrapped mid-word, a shorter one ended a phrase.
    if tag in _WRAPPED_NUMBERS:
        return ""
    if tag == "86":
        return "" if previous_length >= _SWIFT_LINE else " "
    return "\n"


def _statement(message: _Message, name: str) -> tuple[Statement | None, list[FieldError]]:
    state = _State(name)
    for f in message.fields:
        state.feed(f)
    return state.build()


class _State:
    """Collects one message's fields into a statement."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[str, str] = {}
        self.errors: list[FieldError] = []
        self.opening: Balance | None = None
        self.closing: Balance | None = None
        self.entries: list[Entry] = []
        self.pending: tuple[_Field, dict[str, object]] | None = None
        self.declared: int | None = None
        self.interim = False
        self.line = 0

    def error(self, f: _Field, message: str) -> None:
        self.errors.append(FieldError(f":{f.tag}:", message, value=f.value, row=f.line, source=self.name))

    def feed(self, f: _Field) -> None:
        self.line = self.line or f.line
        tag = f.tag
        if tag != "86":
            self._flush()
        if tag in _MT942_TAGS:
            self.interim = True
        if tag == "34F":
            self.values["currency"] = f.value.strip()[:3]  # MT942 floor limit: the only currency it carries
        if tag in ("20", "25", "28C", "28"):
            self.values[tag] = f.value.strip()
        elif tag in ("60F", "60M"):
            self.opening = self.opening or self._balance(f)
        elif tag in ("62F", "62M"):
            self.closing = self._balance(f)
        elif tag == "61":
            self.pending = (f, {})
        elif tag == "86":
            self._information(f)
        elif tag in ("90C", "90D"):
            self._count(f)
        elif tag not in _IGNORED:
            self.error(f, "is not a tag this reader knows; the message was not imported")

    def _information(self, f: _Field) -> None:
        if self.pending is not None:
            self.pending[1]["information"] = f.value
            self._flush()
        else:
            self.values["notes"] = (self.values.get("notes", "") + "\n" + f.value).strip()

    def _count(self, f: _Field) -> None:
        match = _COUNT_SUM.match(f.value.strip())
        if match is None:
            self.error(f, "is not <count><currency><amount>")
            return
        self.declared = (self.declared or 0) + int(match.group(1))

    def _balance(self, f: _Field) -> Balance | None:
        match = _BALANCE.match(f.value.strip())
        if match is None:
            self.error(f, "is not a balance <C|D><YYMMDD><currency><amount>")
            return None
        mark, when, currency, amount = match.groups()
        money = self._money(f, amount, currency)
        if money is None:
            return None
        return Balance(money if mark == "C" else -money, _yymmdd(when))

    def _money(self, f: _Field, amount: str, currency: str) -> Money | None:
        try:
            return Money(Decimal(amount.replace(",", ".").rstrip(".") or "0"), currency)
        except ValidationFailed as exc:
            self.error(f, exc.detail)
            return None

    def _flush(self) -> None:
        if self.pending is None:
            return
        f, extra = self.pending
        self.pending = None
        entry = self._entry(f, str(extra.get("information") or ""))
        if entry is not None:
            self.entries.append(entry)

    def _entry(self, f: _Field, information: str) -> Entry | None:
        match = _LINE61.match(f.value.strip())
        currency = self._currency()
        if match is None or currency is None:
            self.error(f, "cannot be read as a statement line" if match is None else "no currency (no :60: balance)")
            return None
        money = self._money(f, match["amount"], currency)
        if money is None:
            return None
        value_date = _yymmdd(match["value"])
        details = parse_information(information)
        return Entry(
            amount=money if match["mark"] in ("C", "RD") else -money,
            booking_date=_entry_date(value_date, match["entry"]) or value_date,
            value_date=value_date,
            bank_reference=(match["bank"] or "").strip() or None,
            end_to_end_id=details.end_to_end_id,
            remittance=details.remittance,
            counterparty=details.counterparty,
            code=match["type"],
            reversal=match["mark"].startswith("R"),
            information=information or None,
            customer_reference=_reference(match["customer"]),
        )

    def _currency(self) -> str | None:
        balance = self.opening or self.closing
        if balance is not None:
            return balance.amount.currency
        return self.values.get("currency")

    def build(self) -> tuple[Statement | None, list[FieldError]]:
        self._flush()
        account, currency = _account(self.values.get("25", ""))
        currency = self._currency() or currency
        if not account or currency is None:
            where = FieldError(
                ":25:", "no account or no currency", value=self.values.get("25"), row=self.line, source=self.name
            )
            return None, [*self.errors, where]
        statement = Statement(
            format=StatementFormat.MT942 if self.interim else StatementFormat.MT940,
            account=account,
            currency=currency,
            entries=tuple(self.entries),
            message_id=self.values.get("20"),
            statement_id=self.values.get("28C") or self.values.get("28"),
            opening=self.opening,
            closing=self.closing,
            declared_entry_count=self.declared,
            source=self.name,
            notes=tuple(n for n in self.values.get("notes", "").split("\n") if n),
        )
        return statement, self.errors


def _reference(value: str | None) -> str | None:
    text = (value or "").strip()
    return None if text in ("", "NONREF") else text


def _account(raw: str) -> tuple[str, str | None]:
    """Split ``:25:`` into account and currency: ``NL68INGB0000012345EUR`` → IBAN and EUR."""
    compact = raw.replace(" ", "")
    match = _IBAN_CURRENCY.match(compact)
    if match and match.group(2) in _CURRENCIES:
        return match.group(1), match.group(2)
    return compact, None


def _yymmdd(text: str) -> date:
    # SWIFT years are two digits; MT940 post-dates 1980, so 80-99 are 19xx.
    year = int(text[:2])
    return date(1900 + year if year >= 80 else 2000 + year, int(text[2:4]), int(text[4:6]))


def _entry_date(value_date: date, mmdd: str | None) -> date | None:
    if not mmdd:
        return None
    month, day = int(mmdd[:2]), int(mmdd[2:])
    year = value_date.year
    if month == 12 and value_date.month == 1:
        year -= 1  # booked in December, value date in January
    elif month == 1 and value_date.month == 12:
        year += 1
    return date(year, month, day)
