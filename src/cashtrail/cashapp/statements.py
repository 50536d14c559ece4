"""Bank statements as cash application sees them, whatever file format they came in.

A :class:`Statement` is one account's report for one period: camt.053 ``Stmt``, camt.054 ``Ntfctn``, one MT940/MT942
message, or one BAI2 account (``03`` record). Invariants the adapters guarantee and :func:`check_statement` verifies:

- every amount is signed from the account holder's view: a credit (money in) is positive, a debit negative;
- an entry may bundle a batch: ``details`` lists the transactions inside it, ``declared_count`` is the number the
  bank declared (camt ``Btch/NbOfTxs``) even when it sent no details;
- opening balance + the sum of entry amounts = closing balance, when both balances are present;
- the number of entries matches the count the file declares (camt ``TxsSummry/TtlNtries/NbOfNtries``, BAI2 ``49``
  trailer), when it declares one;
- one currency per statement: balances and entries use the account currency.

Checks return every problem as a ``FieldError`` instead of raising (house style E3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cashtrail.errors import FieldError
from cashtrail.invoicing.references import StructuredReference
from cashtrail.money import Money


class StatementFormat(StrEnum):
    """The file format a statement was read from."""

    CAMT053 = "camt.053"
    CAMT054 = "camt.054"
    MT940 = "mt940"
    MT942 = "mt942"
    BAI2 = "bai2"
    CSV = "csv"  # Cashtrail's own CSV statement (docs/formats.md)


@dataclass(frozen=True, slots=True)
class Counterparty:
    """The other side of a payment: debtor on a credit, creditor on a debit."""

    name: str | None = None
    iban: str | None = None
    account: str | None = None  # a non-IBAN account number
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class StructuredRemittance:
    """One structured remittance block (camt ``Strd``): a creditor reference and/or additional text."""

    reference: StructuredReference | None = None
    additional: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Remittance:
    """What the payer wrote to identify the payment: free text lines and structured blocks."""

    unstructured: tuple[str, ...] = ()
    structured: tuple[StructuredRemittance, ...] = ()

    def references(self) -> tuple[StructuredReference, ...]:
        """The creditor references of the structured blocks that carry one."""
        return tuple(block.reference for block in self.structured if block.reference is not None)


@dataclass(frozen=True, slots=True)
class TransactionDetail:
    """One payment inside an entry (camt ``TxDtls``); ``amount`` is signed like its entry's when known."""

    amount: Money | None = None
    end_to_end_id: str | None = None
    uetr: str | None = None
    bank_reference: str | None = None
    remittance: Remittance = field(default_factory=Remittance)
    counterparty: Counterparty = field(default_factory=Counterparty)


@dataclass(frozen=True, slots=True)
class Entry:
    """One booked movement on the account; a batch entry carries its transactions in ``details``."""

    amount: Money
    booking_date: date | None
    value_date: date | None = None
    bank_reference: str | None = None  # bank transaction id / account servicer reference
    end_to_end_id: str | None = None
    uetr: str | None = None
    remittance: Remittance = field(default_factory=Remittance)
    counterparty: Counterparty = field(default_factory=Counterparty)
    details: tuple[TransactionDetail, ...] = ()
    declared_count: int | None = None
    code: str | None = None  # bank transaction code as the format writes it
    reversal: bool = False
    information: str | None = None  # the bank's free text as sent (MT940 :86:, BAI2 16/88 text)
    customer_reference: str | None = None  # MT940 :61: reference for the account owner
    status: str | None = None  # camt BOOK, PDNG or INFO; only booked entries are cash on the account


@dataclass(frozen=True, slots=True)
class Balance:
    """A signed balance on a date."""

    amount: Money
    on: date | None


@dataclass(frozen=True, slots=True)
class Statement:
    """One account's statement or notification; see the module docstring for its invariants."""

    format: StatementFormat
    account: str  # IBAN when the bank gives one, else its account number
    currency: str
    entries: tuple[Entry, ...]
    message_id: str | None = None
    statement_id: str | None = None
    opening: Balance | None = None
    closing: Balance | None = None
    declared_entry_count: int | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()  # statement-level free text (an MT940 :86: after the balances)

    def transaction_count(self) -> int:
        """Transactions detailed inside the entries (camt ``TxDtls``)."""
        return sum(len(e.details) for e in self.entries)


def _statement_label(statement: Statement) -> str:
    return f"statement {statement.statement_id or '?'} of {statement.account}"


def check_statement(statement: Statement) -> list[FieldError]:
    """Return every inconsistency in ``statement`` (counts, currencies, balance continuity)."""
    label = _statement_label(statement)
    errors = _check_currencies(statement, label)
    errors += _check_counts(statement, label)
    if not errors:
        errors += _check_continuity(statement, label)
    return [
        FieldError(e.field, e.message, value=e.value, row=e.row, source=e.source or statement.source) for e in errors
    ]


def check_statements(statements: Iterable[Statement]) -> list[FieldError]:
    """:func:`check_statement` over several statements."""
    return [error for statement in statements for error in check_statement(statement)]


def _check_currencies(statement: Statement, label: str) -> list[FieldError]:
    errors: list[FieldError] = []
    balances = [("opening", statement.opening), ("closing", statement.closing)]
    for name, balance in balances:
        if balance is not None and balance.amount.currency != statement.currency:
            errors.append(
                FieldError(
                    f"{name}_balance", f"{label}: currency differs from {statement.currency}", value=balance.amount
                )
            )
    for index, entry in enumerate(statement.entries, start=1):
        if entry.amount.currency != statement.currency:
            errors.append(
                FieldError(
                    "entry.amount",
                    f"{label}, entry {index}: currency differs from {statement.currency}",
                    value=entry.amount,
                )
            )
    return errors


def _check_counts(statement: Statement, label: str) -> list[FieldError]:
    errors: list[FieldError] = []
    declared = statement.declared_entry_count
    if declared is not None and declared != len(statement.entries):
        errors.append(
            FieldError(
                "entry_count",
                f"{label}: declares {declared} entries but holds {len(statement.entries)}",
                value=declared,
            )
        )
    for index, entry in enumerate(statement.entries, start=1):
        if entry.details and entry.declared_count is not None and entry.declared_count != len(entry.details):
            errors.append(
                FieldError(
                    "entry.transaction_count",
                    f"{label}, entry {index}: declares {entry.declared_count} transactions "
                    f"but details {len(entry.details)}",
                    value=entry.declared_count,
                )
            )
    return errors


def _check_continuity(statement: Statement, label: str) -> list[FieldError]:
    if statement.opening is None or statement.closing is None:
        return []
    moved = Money.zero(statement.currency)
    for entry in statement.entries:
        moved = moved + entry.amount
    expected = statement.opening.amount + moved
    if expected.amount != statement.closing.amount.amount:
        return [
            FieldError(
                "closing_balance",
                f"{label}: opening {statement.opening.amount.amount} + movements {moved.amount} = "
                f"{expected.amount}, not the closing {statement.closing.amount.amount}",
                value=statement.closing.amount.amount,
            )
        ]
    return []
