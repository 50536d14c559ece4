"""Tables of toner reconciliation (TREC): catalog, mappings, set-ups, uploaded rows, board records and findings.

Shipment and billing-report rows are stored as uploaded (one row per upload line, keyed by upload, shipment id and
line, or by agreement, period and serial), so duplicates across uploads stay visible to the duplicate check.
A wrong shipment line is voided (``voided_at``, ``voided_by``, ``void_reason``), never deleted.
A record's figures are JSON with Decimal strings and the ids of the rows they came from.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

toner_parts = Table(
    "toner_parts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("part_number", String(64), nullable=False),
    Column("colour", String(16), nullable=False),
    Column("rated_yield", Integer, nullable=False),
    Column("cost", DecimalText(19, 6), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    UniqueConstraint("part_number", "valid_from"),
)

toner_model_mappings = Table(
    "toner_model_mappings",
    metadata,
    Column("id", Id, primary_key=True),
    Column("model", String(64), nullable=False),
    Column("part_number", String(64), nullable=False),
    Column("yield_class", String(16), nullable=False),
    Column("starter_yield", Integer),
    UniqueConstraint("model", "part_number"),
)

toner_setups = Table(
    "toner_setups",
    metadata,
    Column("id", Id, primary_key=True),
    Column("agreement", String(32), nullable=False, index=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("currency", String(3), nullable=False),
    Column("toner_included", Boolean, nullable=False),
    Column("allowance_percent", DecimalText(7, 4), nullable=False),
    Column("tolerance_percent", DecimalText(7, 4), nullable=False),
    Column("spare_allowance_pages", Integer, nullable=False),
    Column("period", String(16), nullable=False),
    Column("pooling", String(16), nullable=False),
    Column("markup_percent", DecimalText(7, 4), nullable=False),
    Column("pricing", String(16), nullable=False),
    Column("price_per_cartridge", DecimalText(19, 6)),
    Column("reference_parts", Json, nullable=False),
    Column("ship_tos", Json, nullable=False),
    Column("owner", String(64), nullable=False),
    UniqueConstraint("agreement", "valid_from"),
)

toner_shipments = Table(
    "toner_shipments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("upload_id", String(200), nullable=False),
    Column("shipment_id", String(64), nullable=False),
    Column("line", Integer, nullable=False),
    Column("shipped_on", Date, nullable=False),
    Column("agreement", String(32), nullable=False),
    Column("ship_to", String(64), nullable=False),
    Column("serial", String(64)),
    Column("part_number", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("status", String(24), nullable=False),
    # A voided line stays stored (never deleted) and is left out of every reconciliation read (decision D-111).
    Column("voided_at", UtcDateTime),
    Column("voided_by", String(64)),
    Column("void_reason", Text),
    UniqueConstraint("upload_id", "shipment_id", "line"),
)
Index("ix_toner_shipments_agreement_shipped_on", toner_shipments.c.agreement, toner_shipments.c.shipped_on)
Index("ix_toner_shipments_serial", toner_shipments.c.serial)

toner_billing_lines = Table(
    "toner_billing_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("agreement", String(32), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("serial", String(64), nullable=False),  # "" for an agreement-level line
    Column("mono_pages", BigInteger, nullable=False),
    Column("colour_pages", BigInteger, nullable=False),
    Column("billed_asset_count", Integer, nullable=False),
    Column("invoice_number", String(64), nullable=False),
    Column("source", String(200), nullable=False),
    UniqueConstraint("agreement", "period_start", "period_end", "serial"),
)

toner_reconciliations = Table(
    "toner_reconciliations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("agreement", String(32), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("customer_number", String(32), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("status", String(24), nullable=False, index=True),
    Column("owner", String(64), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status_since", UtcDateTime, nullable=False),
    Column("calculated_at", UtcDateTime),
    Column("total_charge", DecimalText(19, 4)),
    Column("errors_open", Integer, nullable=False),
    Column("warnings_open", Integer, nullable=False),
    Column("result", Json, nullable=False),
    UniqueConstraint("agreement", "period_start", "period_end"),
)

toner_findings = Table(
    "toner_findings",
    metadata,
    Column("id", Id, primary_key=True),
    Column(
        "reconciliation_id", Id, ForeignKey("toner_reconciliations.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("code", String(32), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("suggested_fix", Text, nullable=False),
    Column("serial", String(64)),
    Column("rows", Json, nullable=False),
    Column("fingerprint", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("decided_by", String(64), nullable=False),
    Column("decided_at", UtcDateTime),
)
