"""SQL repository for imported bank statements and their entries (Core, entries inserted in bulk)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cashtrail.cashapp.statements import Counterparty, Entry, Remittance, Statement, TransactionDetail
from cashtrail.db import cashapp_tables as ct
from cashtrail.db.repositories.billing import chunks as _chunks


def _remittance_text(remittance: Remittance) -> str | None:
    lines = [*remittance.unstructured, *(line for block in remittance.structured for line in block.additional)]
    return "\n".join(lines) or None


def _references(remittance: Remittance) -> list[dict[str, Any]]:
    return [
        {"type": r.kind.value, "value": r.value, "raw": r.raw, "declared": r.declared} for r in remittance.references()
    ]


def _counterparty(party: Counterparty) -> dict[str, Any]:
    return {"name": party.name, "iban": party.iban, "account": party.account, "bic": party.bic}


def _detail(detail: TransactionDetail) -> dict[str, Any]:
    """One camt ``TxDtls`` as JSON: every reference, the remittance as sent and the counterparty."""
    return {
        "amount": None if detail.amount is None else str(detail.amount.amount),
        "currency": None if detail.amount is None else detail.amount.currency,
        "end_to_end_id": detail.end_to_end_id,
        "uetr": detail.uetr,
        "bank_reference": detail.bank_reference,
        "unstructured": list(detail.remittance.unstructured),
        "structured": [
            {
                "reference": _references(Remittance(structured=(block,)))[0] if block.reference else None,
                "additional": list(block.additional),
            }
            for block in detail.remittance.structured
        ],
        "counterparty": _counterparty(detail.counterparty),
    }


def _entry_row(statement_id: int, account: str, line: int, entry: Entry, transaction_id: str | None) -> dict[str, Any]:
    """One ``bank_entries`` row; the matching engine starts every entry as ``unmatched``."""
    party = entry.counterparty
    return {
        "statement_id": statement_id,
        "line": line,
        "account": account,
        "booking_date": entry.booking_date,
        "value_date": entry.value_date,
        "amount": entry.amount.amount,
        "currency": entry.amount.currency,
        "transaction_id": transaction_id,
        "bank_reference": entry.bank_reference,
        "customer_reference": entry.customer_reference,
        "end_to_end_id": entry.end_to_end_id,
        "uetr": entry.uetr,
        "counterparty_name": party.name,
        "counterparty_iban": party.iban,
        "counterparty_account": party.account,
        "counterparty_bic": party.bic,
        "remittance": _remittance_text(entry.remittance),
        "structured_references": _references(entry.remittance),
        "details": [_detail(d) for d in entry.details],
        "bank_code": entry.code,
        "booking_status": entry.status,
        "reversal": entry.reversal,
        "information": entry.information,
        "status": "unmatched",
    }


def _statement_row(statement: Statement) -> dict[str, Any]:
    """The columns of ``bank_statements`` that come from the statement itself."""
    return {
        "account": statement.account,
        "currency": statement.currency,
        "statement_id": statement.statement_id,
        "format": statement.format.value,
        "message_id": statement.message_id,
        "opening_balance": None if statement.opening is None else statement.opening.amount.amount,
        "opening_date": None if statement.opening is None else statement.opening.on,
        "closing_balance": None if statement.closing is None else statement.closing.amount.amount,
        "closing_date": None if statement.closing is None else statement.closing.on,
        "entry_count": len(statement.entries),
        "notes": list(statement.notes),
    }


class SqlBankStatementRepository:
    """Implements ``cashtrail.ports.BankStatementRepository``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def content_of(self, account: str, statement_key: str) -> str | None:
        """The content digest of the stored statement with this natural key, if any."""
        t = ct.bank_statements.c
        found = self.session.scalar(
            select(t.content_sha256).where(t.account == account, t.statement_key == statement_key)
        )
        return None if found is None else str(found)

    def closing_before(self, account: str, currency: str, on: date) -> tuple[str | None, Decimal, date] | None:
        """(statement id, closing balance, closing date) of the latest statement closing on or before ``on``."""
        t = ct.bank_statements.c
        row = self.session.execute(
            select(t.statement_id, t.closing_balance, t.closing_date)
            .where(t.account == account, t.currency == currency, t.closing_date <= on, t.closing_balance.is_not(None))
            .order_by(t.closing_date.desc(), t.id.desc())
            .limit(1)
        ).first()
        return None if row is None else (row.statement_id, row.closing_balance, row.closing_date)

    def known_amounts(self, account: str, transaction_ids: Iterable[str]) -> dict[str, Decimal]:
        """Stored amounts of the account's entries with these bank transaction ids."""
        t = ct.bank_entries.c
        found: dict[str, Decimal] = {}
        for chunk in _chunks(sorted(set(transaction_ids))):
            query = select(t.transaction_id, t.amount).where(t.account == account, t.transaction_id.in_(chunk))
            found.update({r.transaction_id: r.amount for r in self.session.execute(query)})
        return found

    def add(
        self,
        statement: Statement,
        entries: Sequence[tuple[int, Entry, str | None]],
        *,
        statement_key: str,
        content_sha256: str,
        file_name: str,
        file_sha256: str,
        imported_at: datetime,
        imported_by: str,
    ) -> int:
        """Store a statement and the given (line, entry, transaction id) entries of it; returns the statement id."""
        row = _statement_row(statement) | {
            "statement_key": statement_key,
            "content_sha256": content_sha256,
            "file_name": file_name,
            "file_sha256": file_sha256,
            "imported_at": imported_at,
            "imported_by": imported_by,
        }
        statement_id = int(
            self.session.execute(
                insert(ct.bank_statements).values(**row).returning(ct.bank_statements.c.id)
            ).scalar_one()
        )
        if entries:
            self.session.execute(
                insert(ct.bank_entries),
                [_entry_row(statement_id, statement.account, line, e, tid) for line, e, tid in entries],
            )
        return statement_id
