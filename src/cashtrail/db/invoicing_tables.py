"""Tables of invoicing: legal entities, documents and their lines, number series, stops, rendered files, outbox."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

legal_entities = Table(
    "legal_entities",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("vat_number", String(32), nullable=False),
    Column("company_id", String(32), nullable=False),
    Column("address_line1", String(200), nullable=False),
    Column("postal_code", String(16), nullable=False),
    Column("city", String(100), nullable=False),
    Column("iban", String(34), nullable=False),
    Column("bic", String(11), nullable=False),
    Column("email", String(200), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("endpoint", String(100), nullable=False),
    Column("endpoint_scheme", String(8), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("approval_threshold", DecimalText(19, 4)),
    Column("approve_first_invoice", Boolean, nullable=False),
    Column("approve_credit_notes", Boolean, nullable=False),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("legal_entity", String(8), nullable=False),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("rounding", String(16), nullable=False),
    Column("source", String(100), nullable=False),
    Column("billing_draft_id", Id, ForeignKey("draft_invoices.id"), unique=True),
    Column("contract_numbers", Json, nullable=False),
    Column("buyer_reference", String(100), nullable=False),
    Column("prepared_by", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("approval_reason", String(200), nullable=False),
    Column("approved_by", String(64)),
    Column("approved_at", UtcDateTime),
    Column("stopped_reason", Text),
    Column("number", String(40), unique=True),
    Column("issue_date", Date),
    Column("due_date", Date),
    Column("payment_reference", String(40), index=True),
    Column("issued_at", UtcDateTime),
    Column("sent_at", UtcDateTime),
    Column("credits_id", Id, ForeignKey("invoices.id"), index=True),
    Column("reason", Text, nullable=False),
    Column("net", DecimalText(19, 4), nullable=False),
    Column("vat", DecimalText(19, 4), nullable=False),
    Column("gross", DecimalText(19, 4), nullable=False),
    Column("snapshot", Json),
)
Index("ix_invoices_status", invoices.c.status, invoices.c.id)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("invoice_id", Id, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("description", String(300), nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("unit_code", String(8), nullable=False),
    Column("item_id", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("contract_number", String(32), nullable=False),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("note", Text, nullable=False),
    Column("vat_treatment", String(32), nullable=False),
    Column("vat_category", String(4), nullable=False),
    Column("vat_rate", DecimalText(7, 4), nullable=False),
    Column("exemption_code", String(32), nullable=False),
    Column("charge_key", String(200)),
    UniqueConstraint("invoice_id", "position"),
)

number_series = Table(
    "number_series",
    metadata,
    Column("id", Id, primary_key=True),
    Column("legal_entity", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_value", Integer, nullable=False),
    Column("last_issue_date", Date),
    UniqueConstraint("legal_entity", "kind", "year"),
)

invoice_stops = Table(
    "invoice_stops",
    metadata,
    Column("id", Id, primary_key=True),
    Column("scope", String(16), nullable=False),
    Column("target", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("released_by", String(64)),
    Column("released_at", UtcDateTime),
    Column("release_reason", Text),
)
Index("ix_invoice_stops_target", invoice_stops.c.scope, invoice_stops.c.target)

document_files = Table(
    "document_files",
    metadata,
    Column("id", Id, primary_key=True),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("format", String(8), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("file_name", String(100), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rendered_at", UtcDateTime, nullable=False),
    UniqueConstraint("entity_type", "entity_id", "format"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(100), nullable=False, unique=True),
    Column("channel", String(16), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
)
Index("ix_outbox_due", outbox.c.status, outbox.c.next_attempt_at)
