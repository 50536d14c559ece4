"""Tables of collections (issue 7): dunning policies, reference rates, runs and letters, the collections profile
of a customer (segment, collector, risk), activities and promises, targets, credit holds, the provision matrix,
write-offs and recoveries, disputes, customer cases, and the integer AR read model behind the metrics.

Amounts are :class:`DecimalText` next to a currency, except in the read model (``ar_item_facts``,
``ar_application_facts``), which keeps integers (ten-thousandths) so aggregates over a million items stay exact and fast
on SQLite (decision D-505).
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

from cashtrail.db import ledger_tables as lt
from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

reference_rates = Table(
    "reference_rates",
    metadata,
    Column("id", Id, primary_key=True),
    Column("half_year", Date, nullable=False, unique=True),
    Column("rate", DecimalText(9, 4), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

dunning_policies = Table(
    "dunning_policies",
    metadata,
    Column("id", Id, primary_key=True),
    Column("segment", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("minimum_amounts", Json, nullable=False),  # {currency: "amount"}
    Column("exclude_disputed", Boolean, nullable=False),
    Column("exclude_promised", Boolean, nullable=False),
    Column("exclude_blocked", Boolean, nullable=False),
    Column("late_interest", Boolean, nullable=False),  # statutory interest + compensation (B2B)
    Column("levels", Json, nullable=False),  # [{number, name, days_past_due, channel, fee, charge_interest}]
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

collection_profiles = Table(
    "collection_profiles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), ForeignKey("customers.number"), nullable=False, unique=True),
    Column("segment", String(32), nullable=False),
    Column("collector", String(64)),
    Column("risk", Integer, nullable=False),  # 0 (none) .. 100 (highest)
    Column("dunning_blocked", Boolean, nullable=False),
    Column("block_reason", Text),
)
Index("ix_collection_profiles_collector", collection_profiles.c.collector)

dunning_runs = Table(
    "dunning_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("as_of", Date, nullable=False),
    Column("scope", String(80), nullable=False),  # "all", or a shard's customer range "C0001..C0500"
    Column("started_by", String(64), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("summary", Json, nullable=False),
    UniqueConstraint("as_of", "scope"),
)

dunning_letters = Table(
    "dunning_letters",
    metadata,
    Column("id", Id, primary_key=True),
    Column("run_id", Id, ForeignKey("dunning_runs.id"), nullable=False, index=True),
    Column("customer_number", String(32), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("level_number", Integer, nullable=False),
    Column("level_name", String(100), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("language", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total", DecimalText(19, 4), nullable=False),
    Column("fee", DecimalText(19, 4), nullable=False),
    Column("interest", DecimalText(19, 4), nullable=False),
    Column("compensation", DecimalText(19, 4), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("outbox_key", String(100)),
    Column("file_id", Id, ForeignKey("document_files.id")),  # the PDF, kept with the other rendered documents
    UniqueConstraint("customer_number", "as_of"),
)

dunning_letter_lines = Table(
    "dunning_letter_lines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("letter_id", Id, ForeignKey("dunning_letters.id"), nullable=False, index=True),
    Column("item_id", Id, ForeignKey("open_items.id"), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("days_past_due", Integer, nullable=False),
    Column("level_number", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("open_amount", DecimalText(19, 4), nullable=False),
    Column("interest", DecimalText(19, 4), nullable=False),
    Column("compensation", DecimalText(19, 4), nullable=False),
    Column("interest_days", Integer, nullable=False),
    UniqueConstraint("item_id", "level_number"),  # a level never goes out twice for an item
)

collection_activities = Table(
    "collection_activities",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("escalated_to", String(64)),
)

payment_promises = Table(
    "payment_promises",
    metadata,
    Column("id", Id, primary_key=True),
    Column("activity_id", Id, ForeignKey("collection_activities.id"), nullable=False),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("promised_on", Date, nullable=False),  # the day the customer said they would pay by
    Column("made_on", Date, nullable=False),
    Column("item_ids", Json, nullable=False),
    Column("status", String(16), nullable=False),  # open, kept, broken
    Column("paid", DecimalText(19, 4), nullable=False),
    Column("settled_on", Date),
    Column("collector", String(64)),
)

collection_targets = Table(
    "collection_targets",
    metadata,
    Column("id", Id, primary_key=True),
    Column("collector", String(64), nullable=False),
    Column("month", String(7), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    UniqueConstraint("collector", "month", "currency"),
)

credit_holds = Table(
    "credit_holds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("placed_on", Date, nullable=False),
    Column("placed_by", String(64), nullable=False),
    Column("released_on", Date),
    Column("released_by", String(64)),
)

provision_rates = Table(
    "provision_rates",
    metadata,
    Column("id", Id, primary_key=True),
    Column("bucket", String(16), nullable=False, unique=True),
    Column("rate", DecimalText(9, 4), nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
)

write_offs = Table(
    "write_offs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("item_id", Id, ForeignKey("open_items.id"), nullable=False, index=True),
    Column("customer_number", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),  # prepared, approved, rejected
    Column("prepared_by", String(64), nullable=False),
    Column("prepared_at", UtcDateTime, nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", UtcDateTime),
    Column("posted_on", Date),
    Column("recovered", DecimalText(19, 4), nullable=False),
)

write_off_recoveries = Table(
    "write_off_recoveries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("write_off_id", Id, ForeignKey("write_offs.id"), nullable=False, index=True),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

disputes = Table(
    "disputes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), nullable=False, index=True),
    Column("invoice_number", String(40), nullable=False, index=True),
    Column("item_id", Id, ForeignKey("open_items.id")),
    Column("line_number", Integer),  # 0-based line of the invoice, or none for the whole invoice
    Column("reason", String(32), nullable=False),
    Column("department", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("state", String(32), nullable=False),
    Column("owner", String(64)),
    Column("description", Text, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("sla_due_on", Date, nullable=False),
    Column("resolution", String(16)),
    Column("resolved_on", Date),
    Column("closed_on", Date),
    Column("credit_note_id", Id, ForeignKey("invoices.id")),
    Column("case_id", Id),
    Column("opened_by", String(64), nullable=False),
)
Index("ix_disputes_state", disputes.c.state)

customer_cases = Table(
    "customer_cases",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_number", String(32), index=True),
    Column("channel", String(16), nullable=False),  # email, chat, ticket
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("sender", String(254), nullable=False),
    Column("message_id", String(300), unique=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("sla_due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # open, answered, closed
    Column("invoice_numbers", Json, nullable=False),
    Column("dispute_id", Id, ForeignKey("disputes.id")),
    Column("closed_at", UtcDateTime),
)

ar_item_facts = Table(
    "ar_item_facts",
    metadata,
    Column("item_id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False),
    Column("customer_number", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_e4", BigInteger, nullable=False),  # ten-thousandths, the scale of the amount columns
    Column("document_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("cancelled_on", Date),  # cancelled by the reversal of its cash application
)
Index("ix_ar_item_facts_customer", ar_item_facts.c.customer_number)

ar_application_facts = Table(
    "ar_application_facts",
    metadata,
    Column("application_id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False),
    Column("debit_item_id", BigInteger, nullable=False),
    Column("customer_number", String(32), nullable=False),
    Column("credit_item_id", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_e4", BigInteger, nullable=False),  # ten-thousandths, the scale of the amount columns
    Column("applied_on", Date, nullable=False),
    Column("reversed_on", Date),
    # the applied items' document and due dates, copied so as-of queries need no join
    Column("debit_kind", String(16), nullable=False),
    Column("debit_document_date", Date, nullable=False),
    Column("debit_due_date", Date, nullable=False),
    Column("credit_kind", String(16), nullable=False),
    Column("credit_document_date", Date, nullable=False),
    Column("credit_due_date", Date, nullable=False),
)
Index("ix_ar_application_facts_applied", ar_application_facts.c.applied_on)
Index("ix_ar_application_facts_customer", ar_application_facts.c.customer_number)

# What the AR did per day, aggregated: +amount on an item's document date, −amount on its cancellation, and each
# application (and its reversal) on both items' due dates. AR as of D = Σ rows with day ≤ D, grouped by due date:
# a scan of a few tens of thousands of rows however many items there are (D-505).
ar_daily_deltas = Table(
    "ar_daily_deltas",
    metadata,
    Column("id", Id, primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("day", Date, nullable=False),
    Column("source", String(8), nullable=False),  # doc, cancel, apply, unapply
    Column("amount_e4", BigInteger, nullable=False),
)
# covering: the as-of sum reads the index alone
Index(
    "ix_ar_daily_deltas_as_of",
    ar_daily_deltas.c.day,
    ar_daily_deltas.c.currency,
    ar_daily_deltas.c.kind,
    ar_daily_deltas.c.due_date,
    ar_daily_deltas.c.source,
    ar_daily_deltas.c.amount_e4,
)
# On the ledger's tables, for the read model's refresh: finding reversed applications and cancelled items must not
# scan millions of rows on every report (D-505).
Index("ix_item_applications_reversed_at", lt.item_applications.c.reversed_at)
Index("ix_open_items_cancelled_on", lt.open_items.c.cancelled_on)

ar_fact_watermarks = Table(
    "ar_fact_watermarks",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("last_id", BigInteger, nullable=False),
)
