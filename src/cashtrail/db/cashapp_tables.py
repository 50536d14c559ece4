"""Tables of cash application: imported bank statements and their entries (same metadata as ``tables``).

Natural keys, both enforced by unique constraints:

- a statement is ``(account, statement_key)``: the bank's statement id plus its closing date (a bare id is not
  unique: MT940 statement numbers restart every year and BAI2 group numbers repeat). A statement without balances
  (camt.054, MT942) uses a digest of its content instead of the date;
- an entry is ``(account, transaction_id)``: the bank transaction id (camt ``AcctSvcrRef``, MT940 ``//`` reference)
  when the bank gives a usable one. Both databases treat NULLs as distinct, so entries without an id never clash.

Structured references are JSON lists of ``{type, value, raw, declared}``; ``details`` keeps every transaction of
a batch entry (camt ``TxDtls``) with its own references, remittance and counterparty. Decimals in JSON are strings.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

bank_statements = Table(
    "bank_statements",
    metadata,
    Column("id", Id, primary_key=True),
    Column("account", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("statement_key", String(200), nullable=False),
    Column("statement_id", String(100)),
    Column("format", String(16), nullable=False),
    Column("message_id", String(100)),
    Column("opening_balance", DecimalText(19, 4)),
    Column("opening_date", Date),
    Column("closing_balance", DecimalText(19, 4)),
    Column("closing_date", Date),
    Column("entry_count", Integer, nullable=False),
    Column("notes", Json, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    Column("imported_by", String(64), nullable=False),
    UniqueConstraint("account", "statement_key"),
)

bank_entries = Table(
    "bank_entries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("statement_id", Id, ForeignKey("bank_statements.id"), nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("account", String(64), nullable=False),
    Column("booking_date", Date),
    Column("value_date", Date),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("transaction_id", String(100)),
    Column("bank_reference", String(100)),
    Column("customer_reference", String(100)),
    Column("end_to_end_id", String(100)),
    Column("uetr", String(36)),
    Column("counterparty_name", String(200)),
    Column("counterparty_iban", String(64)),
    Column("counterparty_account", String(64)),
    Column("counterparty_bic", String(35)),
    Column("remittance", Text),
    Column("structured_references", Json, nullable=False),
    Column("details", Json, nullable=False),
    Column("bank_code", String(100)),
    Column("booking_status", String(8)),
    Column("reversal", Boolean, nullable=False),
    Column("information", Text),
    Column("status", String(16), nullable=False, default="unmatched"),
    UniqueConstraint("account", "transaction_id"),
)
Index("ix_bank_entries_status", bank_entries.c.status)

#: One row per decision about a bank entry: a proposal applied automatically, a suggestion waiting for a person
#: (then accepted, changed or rejected), or a manual application; reversed rows keep who reversed them and why.
cash_matches = Table(
    "cash_matches",
    metadata,
    Column("id", Id, primary_key=True),
    Column("bank_entry_id", Id, ForeignKey("bank_entries.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),  # suggested, applied, rejected, reversed
    Column("outcome", String(16), nullable=False),
    Column("confidence", DecimalText(5, 4), nullable=False),
    Column("automatic", Boolean, nullable=False),
    Column("customer_number", String(32)),
    Column("proposal", Json, nullable=False),  # {applications: [{item_id, number, amount}], remainder, reasons}
    Column("reason_code", String(32)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("decided_at", UtcDateTime),
    Column("decided_by", String(64)),
    Column("reversed_at", UtcDateTime),
    Column("reversed_by", String(64)),
    Column("reversal_reason", Text),
)

#: Remitter IBANs and the customer they paid for (learned from accepted and applied payments). An IBAN seen paying
#: for two customers is marked ``conflicting`` and no longer identifies anyone.
known_ibans = Table(
    "known_ibans",
    metadata,
    Column("iban", String(64), primary_key=True),
    Column("customer_number", String(32), nullable=False),
    Column("conflicting", Boolean, nullable=False),
    Column("learned_from", Id, ForeignKey("cash_matches.id")),
    Column("learned_at", UtcDateTime, nullable=False),
)
