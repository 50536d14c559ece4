"""Cash application and AR payloads: statement imports, matching runs, the suggestion and suspense worklists,
decisions, a bank entry's detail, open items, statements of account and aging. Amounts are decimal strings next
to a currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from cashtrail.analytics.account_statement import AccountStatement, AgingReport
from cashtrail.api.schemas.common import Amount, Page, decimal_text, money_text
from cashtrail.cashapp.model import BankReceipt, CashMatch, EntryDetail
from cashtrail.ledger.model import OpenItem
from cashtrail.money import Money


def _money(value: Money | None) -> str | None:
    return None if value is None else money_text(value.amount, value.currency)


class StatementUpload(BaseModel):
    """What identifies an upload for ``Idempotency-Key`` replays (the file's digest, name and mode)."""

    file_name: str
    file_sha256: str
    dry_run: bool


class ImportedStatementOut(BaseModel):
    account: str
    statement_id: str | None
    format: str
    outcome: str
    entries_created: int
    entries_skipped: int


class StatementImportOut(BaseModel):
    source: str
    file_sha256: str
    dry_run: bool
    statements_created: int
    statements_unchanged: int
    entries_created: int
    entries_skipped: int
    statements: list[ImportedStatementOut]


class MatchRunIn(BaseModel):
    threshold: Amount | None = Field(None, description="Confidence from which a proposal is applied (0.90).")
    limit: int | None = Field(None, ge=1, le=1_000_000, description="Match at most this many receipts.")


class MatchRunOut(BaseModel):
    receipts: int
    applied: int
    suggested: int
    suspense: int
    ignored: int
    applied_amount: dict[str, str]


class ReceiptOut(BaseModel):
    entry_id: int
    account: str
    booked_on: date
    amount: str
    currency: str
    counterparty_name: str | None
    counterparty_iban: str | None
    bank_reference: str | None
    references: list[str]
    text: str
    status: str

    @classmethod
    def of(cls, r: BankReceipt) -> ReceiptOut:
        return cls(
            entry_id=r.entry_id, account=r.account, booked_on=r.booked_on,
            amount=money_text(r.amount.amount, r.amount.currency), currency=r.amount.currency,
            counterparty_name=r.counterparty_name, counterparty_iban=r.counterparty_iban,
            bank_reference=r.bank_reference, references=list(r.references), text=r.text, status=r.status.value,
        )  # fmt: skip


class LineOut(BaseModel):
    item_id: int
    number: str
    amount: str


class MatchOut(BaseModel):
    id: int
    bank_entry_id: int
    status: str
    outcome: str
    confidence: str
    automatic: bool
    customer_number: str | None
    lines: list[LineOut]
    remainder: str | None
    remainder_kind: str | None = Field(description="deduction, bank_fee, discount or on_account")
    reason_code: str | None
    reasons: list[str]
    created_at: datetime | None
    decided_by: str | None
    reversed_by: str | None
    reversal_reason: str | None = Field(description="Why it was rejected or reversed.")

    @classmethod
    def of(cls, m: CashMatch) -> MatchOut:
        assert m.id is not None
        return cls(
            id=m.id, bank_entry_id=m.bank_entry_id, status=m.status.value, outcome=m.outcome,
            confidence=decimal_text(m.confidence), automatic=m.automatic, customer_number=m.customer_number,
            lines=[LineOut(item_id=x.item_id, number=x.number, amount=_money(x.amount) or "") for x in m.lines],
            remainder=_money(m.remainder), remainder_kind=m.remainder_kind, reason_code=m.reason_code,
            reasons=list(m.reasons), created_at=m.created_at, decided_by=m.decided_by, reversed_by=m.reversed_by,
            reversal_reason=m.reversal_reason,
        )  # fmt: skip


class SuggestionOut(MatchOut):
    receipt: ReceiptOut

    @classmethod
    def of_pair(cls, m: CashMatch, r: BankReceipt) -> SuggestionOut:
        return cls(**MatchOut.of(m).model_dump(), receipt=ReceiptOut.of(r))


SuggestionPage = Page[SuggestionOut]
SuspensePage = Page[ReceiptOut]


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class ApplyLineIn(BaseModel):
    item_id: int = Field(ge=1, description="An open invoice of the customer (see its open items).")
    amount: Amount


class ApplyIn(BaseModel):
    """A person's application: change or split a suggestion, or apply a receipt from suspense."""

    customer_number: str = Field(min_length=1, max_length=32)
    lines: list[ApplyLineIn] = Field(default_factory=list, max_length=200)
    rest: Literal["on_account", "deduction", "bank_fee", "discount"] = "on_account"
    reason_code: str | None = Field(None, max_length=32, description="A deduction's reason code (pricing, ...).")


class ApplicationOut(BaseModel):
    id: int | None
    debit_item: str
    credit_item: str
    amount: str
    kind: str
    applied_on: date


class EntryDetailOut(BaseModel):
    receipt: ReceiptOut
    value_date: date | None
    remittance: str
    structured_references: list[dict[str, Any]]
    end_to_end_id: str | None
    counterparty_bic: str | None
    statement: str
    matches: list[MatchOut]
    applications: list[ApplicationOut]

    @classmethod
    def of(cls, d: EntryDetail) -> EntryDetailOut:
        return cls(
            receipt=ReceiptOut.of(d.receipt), value_date=d.value_date, remittance=d.remittance,
            structured_references=d.structured_references, end_to_end_id=d.end_to_end_id,
            counterparty_bic=d.counterparty_bic, statement=d.statement, matches=[MatchOut.of(m) for m in d.matches],
            applications=[
                ApplicationOut(
                    id=a.id, debit_item=d.item_numbers.get(a.debit_item_id, "?"),
                    credit_item=d.item_numbers.get(a.credit_item_id, "?"), amount=_money(a.amount) or "",
                    kind=a.kind, applied_on=a.applied_on,
                )
                for a in d.applications
            ],
        )  # fmt: skip


class LedgerCheckOut(BaseModel):
    balances: dict[str, dict[str, str]] = Field(description="Per currency: journal total and balance per account.")
    problems: list[str] = Field(description="Broken invariants; empty when the ledger is whole.")


class OpenItemOut(BaseModel):
    id: int | None
    kind: str
    reference: str
    legal_entity: str
    currency: str
    amount: str
    open_amount: str
    document_date: date
    due_date: date
    payment_reference: str
    reason_code: str | None

    @classmethod
    def of(cls, i: OpenItem) -> OpenItemOut:
        return cls(
            id=i.id, kind=i.kind.value, reference=i.reference, legal_entity=i.legal_entity,
            currency=i.amount.currency, amount=_money(i.amount) or "", open_amount=_money(i.remaining) or "",
            document_date=i.document_date, due_date=i.due_date, payment_reference=i.payment_reference,
            reason_code=i.reason_code,
        )  # fmt: skip


class OpenItemList(BaseModel):
    customer_number: str
    items: list[OpenItemOut]


class StatementItemOut(BaseModel):
    number: str
    kind: str
    issue_date: date
    due_date: date
    original: str
    open: str
    days_overdue: int


class AccountStatementOut(BaseModel):
    customer_number: str
    customer_name: str
    as_of: date
    currency: str
    balance: str
    overdue: str
    items: list[StatementItemOut]
    aging: dict[str, str] = Field(description="Open amount per bucket of days past due, in bucket order.")

    @classmethod
    def of(cls, s: AccountStatement) -> AccountStatementOut:
        aging = s.aging()
        return cls(
            customer_number=s.customer_number, customer_name=s.customer_name, as_of=s.as_of, currency=s.currency,
            balance=money_text(s.balance.amount, s.currency), overdue=money_text(s.overdue.amount, s.currency),
            items=[
                StatementItemOut(
                    number=i.number, kind=i.kind, issue_date=i.issue_date, due_date=i.due_date,
                    original=_money(i.original) or "", open=_money(i.open) or "", days_overdue=s.days_overdue(i),
                )
                for i in s.items
            ],
            aging={x: money_text(aging.amount(s.currency, x).amount, s.currency) for x in s.scheme.labels},
        )  # fmt: skip


class StatementsOut(BaseModel):
    statements: list[AccountStatementOut] = Field(description="One statement per currency.")


class AgingRowOut(BaseModel):
    group: str
    name: str
    currency: str
    buckets: dict[str, str]
    total: str


class AgingOut(BaseModel):
    as_of: date
    by: str
    buckets: list[str]
    rows: list[AgingRowOut]
    totals: dict[str, dict[str, str]] = Field(description="Per currency: every bucket and the total.")

    @classmethod
    def of(cls, r: AgingReport) -> AgingOut:
        labels = list(r.scheme.labels)
        rows = [
            AgingRowOut(
                group=x.group, name=x.name, currency=x.currency, total=_money(x.total) or "",
                buckets={k: _money(x.buckets[k]) or "" for k in labels},
            )
            for x in r.rows
        ]  # fmt: skip
        totals = {
            c: {k: _money(r.totals.amount(c, k)) or "" for k in labels} | {"total": _money(r.totals.total(c)) or ""}
            for c in r.totals.currencies
        }
        return cls(as_of=r.as_of, by=r.by, buckets=labels, rows=rows, totals=totals)
