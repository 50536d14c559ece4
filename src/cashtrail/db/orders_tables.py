"""Tables of order management: contract price terms, bundles, orders and their lines, trigger events, findings,
checklist documents and marks, notes, and RMAs with the invoice lines they credited."""

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

order_price_terms = Table(
    "order_price_terms",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_number", String(32), nullable=False),
    Column("customer_number", String(32), ForeignKey("customers.number"), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("description", String(200), nullable=False),
    UniqueConstraint("contract_number", "valid_from"),
)

order_price_items = Table(
    "order_price_items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("terms_id", Id, ForeignKey("order_price_terms.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("discount_percent", DecimalText(7, 4), nullable=False),
    Column("max_quantity", DecimalText(19, 6)),
    Column("requires", Json, nullable=False),
    UniqueConstraint("terms_id", "sku"),
)

order_bundles = Table(
    "order_bundles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("allocation", String(16), nullable=False),
)

order_bundle_components = Table(
    "order_bundle_components",
    metadata,
    Column("id", Id, primary_key=True),
    Column("bundle_id", Id, ForeignKey("order_bundles.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("share_percent", DecimalText(7, 4)),
    UniqueConstraint("bundle_id", "sku"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Id, primary_key=True),
    Column("number", String(24), nullable=False, unique=True),
    Column("customer_number", String(32), ForeignKey("customers.number"), nullable=False, index=True),
    Column("bill_to", String(32), nullable=False),
    Column("ship_to", String(300), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("order_date", Date, nullable=False, index=True),
    Column("po_number", String(64), nullable=False),
    Column("po_date", Date),
    Column("contract_number", String(32), index=True),
    Column("sales_rep", String(64), nullable=False),
    Column("requested_ship_date", Date),
    Column("expected_ship_date", Date),
    Column("tax_exemption_claimed", Boolean, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("entered_by", String(64), nullable=False),
    Column("entered_at", UtcDateTime),
    Column("accepted_by", String(64)),
    Column("accepted_at", UtcDateTime),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_no", Integer, nullable=False),
    Column("parent_line_no", Integer),
    Column("sku", String(64), nullable=False),
    Column("product_type", String(16), nullable=False),
    Column("description", String(300), nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("discount_percent", DecimalText(7, 4), nullable=False),
    Column("net_amount", DecimalText(19, 4), nullable=False),
    Column("tax_category", String(16), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("is_bundle", Boolean, nullable=False),
    Column("expected_ship_date", Date),
    Column("start_date", Date),
    Column("milestones", Json, nullable=False),
    Column("status", String(24), nullable=False),
    Column("fulfilled_quantity", DecimalText(19, 6), nullable=False),
    Column("delivered_quantity", DecimalText(19, 6), nullable=False),
    Column("contract_number", String(32)),
    UniqueConstraint("order_id", "line_no"),
)

order_events = Table(
    "order_events",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_no", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("quantity", DecimalText(19, 6)),
    Column("serials", Json, nullable=False),
    Column("delivered_on", Date),
    Column("carrier", String(64), nullable=False),
    Column("tracking", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("charge_key", String(200), unique=True),
    Column("amount", DecimalText(19, 4)),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("order_id", "line_no", "kind", "reference"),
)

order_findings = Table(
    "order_findings",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_no", Integer),
    Column("code", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("message", String(300), nullable=False),
    Column("expected", String(64), nullable=False),
    Column("actual", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("found_at", UtcDateTime, nullable=False),
    Column("overridden_by", String(64)),
    Column("overridden_at", UtcDateTime),
    Column("override_reason", Text),
    Column("resolved_at", UtcDateTime),
)
Index("ix_order_findings_status", order_findings.c.status, order_findings.c.order_id)

order_documents = Table(
    "order_documents",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("item", String(32)),
    Column("filename", String(200), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
)

order_checklist_marks = Table(
    "order_checklist_marks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("item", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("marked_by", String(64), nullable=False),
    Column("marked_at", UtcDateTime, nullable=False),
)

order_notes = Table(
    "order_notes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_no", Integer),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("noted_by", String(64), nullable=False),
    Column("noted_at", UtcDateTime, nullable=False),
)

rmas = Table(
    "rmas",
    metadata,
    Column("id", Id, primary_key=True),
    Column("number", String(24), nullable=False, unique=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_no", Integer, nullable=False),
    Column("rma_type", String(24), nullable=False),
    Column("reason", Text, nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("serials", Json, nullable=False),
    Column("disposition", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UtcDateTime),
    Column("decision_note", Text, nullable=False),
    Column("received_at", UtcDateTime),
    Column("received_quantity", DecimalText(19, 6)),
    Column("closed_by", String(64)),
    Column("closed_at", UtcDateTime),
    Column("resolution_note", Text, nullable=False),
    Column("credit_note_ids", Json, nullable=False),
    Column("rebill_key", String(200)),
)

rma_credited_lines = Table(
    "rma_credited_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("rma_id", Id, ForeignKey("rmas.id"), nullable=False, index=True),
    Column("invoice_id", Id, ForeignKey("invoices.id"), nullable=False),
    Column("line_index", Integer, nullable=False),
    UniqueConstraint("invoice_id", "line_index"),
)
