"""Tables of the AR ledger: journal entries and lines, open items and applications (all append-only except the
open amount, which applications maintain and a check recomputes)."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint

from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("entry_date", Date, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("source_type", String(32), nullable=False),
    Column("source_id", String(100), nullable=False),
    Column("description", String(300), nullable=False),
    Column("reverses_id", Id, ForeignKey("journal_entries.id"), unique=True),
    Column("posted_at", UtcDateTime, nullable=False),
    Column("posted_by", String(64), nullable=False),
    UniqueConstraint("source_type", "source_id", "kind"),
)

journal_lines = Table(
    "journal_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("entry_id", Id, ForeignKey("journal_entries.id"), nullable=False, index=True),
    Column("account", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("customer_number", String(32), index=True),
)
Index("ix_journal_lines_account", journal_lines.c.account, journal_lines.c.currency)

open_items = Table(
    "open_items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), nullable=False),
    Column("legal_entity", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("open_amount", DecimalText(19, 4), nullable=False),
    Column("document_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("payment_reference", String(40), nullable=False, index=True),
    Column("invoice_id", Id, ForeignKey("invoices.id"), unique=True),
    Column("closed_on", Date),
    Column("cash_match_id", Id, index=True),  # the cash application that created a payment or adjustment item
    Column("reason_code", String(32)),  # a deduction's reason
    Column("cancelled_on", Date),  # cancelled by the reversal of its cash application
    UniqueConstraint("kind", "reference"),
)
Index("ix_open_items_customer", open_items.c.customer_number, open_items.c.closed_on)

item_applications = Table(
    "item_applications",
    metadata,
    Column("id", Id, primary_key=True),
    Column("debit_item_id", Id, ForeignKey("open_items.id"), nullable=False, index=True),
    Column("credit_item_id", Id, ForeignKey("open_items.id"), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("applied_on", Date, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
    Column("applied_by", String(64), nullable=False),
    Column("reversed_at", UtcDateTime),
    Column("reversed_on", Date),  # the business date of the reversal (statements and aging as of a date)
    Column("reversed_by", String(64)),
    Column("reversal_reason", Text),
    Column("metadata", Json, nullable=False),
    Column("cash_match_id", Id, index=True),
)
