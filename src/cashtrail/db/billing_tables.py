"""Tables of contracts, usage, service jobs, billing blocks and bill runs (same metadata as ``tables``).

Contracts are stored normalized where other features query them (devices by serial for meter reads and toner
reconciliation, units, meter plans, fee lines) and as JSON where a term is a small value object read whole
(tier tables, callout terms, escalation clause). Decimals inside JSON are strings.
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

contracts = Table(
    "contracts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("customer_number", String(32), ForeignKey("customers.number"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("frequency", String(16), nullable=False),
    Column("timing", String(16), nullable=False),
    Column("first_billing_date", Date),
    Column("proration", String(16), nullable=False),
    Column("grouping", String(16), nullable=False),
    Column("po_required", Boolean, nullable=False),
    Column("po_number", String(64)),
    Column("contract_value", DecimalText(19, 4)),
    Column("minimum_invoice_amount", DecimalText(19, 4), nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("estimate_missing_reads", Boolean, nullable=False, default=False),
    Column("toner_included", Boolean, nullable=False),
    Column("coverage_allowance_percent", DecimalText(7, 4)),
    Column("toner_reconciliation_period", String(16)),
    Column("pooling", String(16), nullable=False),
    Column("base_fee_per_device", DecimalText(19, 6), nullable=False),
    Column("callout_terms", Json),
    Column("escalation", Json),
)

contract_devices = Table(
    "contract_devices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("serial", String(64), nullable=False, index=True),
    Column("model", String(64), nullable=False),
    Column("site", String(100), nullable=False),
    Column("installed_on", Date, nullable=False),
    Column("removed_on", Date),
    Column("meters", Json, nullable=False),
    UniqueConstraint("contract_id", "serial"),
)

contract_meter_plans = Table(
    "contract_meter_plans",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("meter_type", String(16), nullable=False),
    Column("tiers", Json, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("included_volume", BigInteger, nullable=False),
    Column("minimum_charge", DecimalText(19, 4), nullable=False),
    UniqueConstraint("contract_id", "meter_type"),
)

contract_units = Table(
    "contract_units",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("unit_id", String(64), nullable=False),
    Column("site", String(100), nullable=False),
    Column("description", String(200), nullable=False),
    Column("fee_per_period", DecimalText(19, 6), nullable=False),
    Column("active_from", Date, nullable=False),
    Column("active_to", Date),
    UniqueConstraint("contract_id", "unit_id"),
)

contract_fee_lines = Table(
    "contract_fee_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_id", String(64), nullable=False),
    Column("description", String(200), nullable=False),
    Column("product_sku", String(64), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("quantity_changes", Json, nullable=False),
    Column("site", String(100), nullable=False),
    UniqueConstraint("contract_id", "line_id"),
)

meter_reads = Table(
    "meter_reads",
    metadata,
    Column("id", Id, primary_key=True),
    Column("serial", String(64), nullable=False),
    Column("meter_type", String(16), nullable=False),
    Column("read_on", Date, nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("old_meter_final", BigInteger),
    Column("source", String(200), nullable=False),
    UniqueConstraint("serial", "meter_type", "read_on"),
)
Index("ix_meter_reads_read_on", meter_reads.c.read_on)

service_jobs = Table(
    "service_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("job_id", String(64), nullable=False, unique=True),
    Column("contract_number", String(32), ForeignKey("contracts.number"), nullable=False, index=True),
    Column("unit_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("completed_on", Date, nullable=False),
    Column("minutes", Json, nullable=False),
    Column("parts", Json, nullable=False),
    Column("back_reported", Boolean, nullable=False),
    Column("travel", Boolean, nullable=False, default=True),
    Column("started_at", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("timezone", String(40), nullable=False, default="Europe/Brussels"),
)

index_values = Table(
    "index_values",
    metadata,
    Column("id", Id, primary_key=True),
    Column("series", String(32), nullable=False),
    Column("month", String(7), nullable=False),
    Column("value", DecimalText(19, 6), nullable=False),
    UniqueConstraint("series", "month"),
)

billing_blocks = Table(
    "billing_blocks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("scope", String(16), nullable=False),
    Column("target", String(200), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("contract_number", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("release_on", Date),
    Column("released_at", UtcDateTime),
    Column("released_by", String(64)),
    Column("release_reason", Text),
    Column("automatic", Boolean, nullable=False),
)
Index("ix_billing_blocks_target", billing_blocks.c.scope, billing_blocks.c.target)

bill_runs = Table(
    "bill_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("period", String(7), nullable=False, unique=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("started_by", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("summary", Json, nullable=False),
)

draft_invoices = Table(
    "draft_invoices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("bill_run_id", Id, ForeignKey("bill_runs.id"), nullable=False, index=True),
    Column("group_key", String(200), nullable=False),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("total", DecimalText(19, 4), nullable=False),
    Column("status", String(16), nullable=False),
    UniqueConstraint("bill_run_id", "group_key"),
)

billed_charges = Table(
    "billed_charges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("draft_invoice_id", Id, ForeignKey("draft_invoices.id"), nullable=False, index=True),
    Column("contract_number", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", String(300), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("formula", Text, nullable=False),
    Column("site", String(100), nullable=False),
    Column("asset", String(64), nullable=False),
    Column("source", Json, nullable=False),
    Column("tax_category", String(16), nullable=False, server_default="standard"),
    Column("supply", String(16), nullable=False, server_default="services"),
)

pending_charges = Table(
    "pending_charges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("origin", String(16), nullable=False),
    Column("origin_ref", String(100), nullable=False),
    Column("contract_number", String(32), nullable=False),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("description", String(300), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("formula", Text, nullable=False),
    Column("site", String(100), nullable=False),
    Column("asset", String(64), nullable=False),
    Column("source", Json, nullable=False),
    Column("tax_category", String(16), nullable=False),
    Column("supply", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("cancelled_at", UtcDateTime),
    Column("cancelled_by", String(64)),
    Column("cancel_reason", Text),
)
Index("ix_pending_charges_origin", pending_charges.c.origin, pending_charges.c.origin_ref)

reserve_funds = Table(
    "reserve_funds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), ForeignKey("customers.number"), nullable=False, unique=True),
    Column("currency", String(3), nullable=False),
    Column("balance", DecimalText(19, 4), nullable=False),
    Column("warning_threshold", DecimalText(19, 4), nullable=False),
)

reserve_fund_movements = Table(
    "reserve_fund_movements",
    metadata,
    Column("id", Id, primary_key=True),
    Column("fund_id", Id, ForeignKey("reserve_funds.id"), nullable=False, index=True),
    Column("booked_at", UtcDateTime, nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("charge_key", String(200), unique=True),
)

held_periods = Table(
    "held_periods",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_number", String(32), nullable=False),
    Column("period", String(7), nullable=False),
    UniqueConstraint("contract_number", "period"),
)
