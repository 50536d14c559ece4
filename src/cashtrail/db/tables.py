"""Table definitions (SQLAlchemy Core) with a constraint naming convention, so migrations are stable.

Amounts are :class:`DecimalText` (exact on both databases) next to a ``CHAR(3)`` currency; instants are
:class:`UtcDateTime`; business dates are ``DATE``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from cashtrail.db.types import DecimalText, Id, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("roles", Json, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_used_at", UtcDateTime),
)

payment_terms = Table(
    "payment_terms",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("description", String(200), nullable=False),
    Column("basis", String(20), nullable=False),
    Column("days", Integer, nullable=False),
    Column("discount_percent", DecimalText(7, 4), nullable=False),
    Column("discount_days", Integer, nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("legal_name", String(200), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("language", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payment_terms_code", String(32), ForeignKey("payment_terms.code"), nullable=False),
    Column("vat_number", String(32)),
    Column("credit_limit", DecimalText(19, 4)),
    Column("iban", String(34), index=True),
    Column("parent_id", Id, ForeignKey("customers.id")),
    Column("collector_id", Id, ForeignKey("users.id")),
    Column("analyst_id", Id, ForeignKey("users.id")),
    Column("status", String(16), nullable=False),
    Column("registration_number", String(32)),
)
Index("ix_customers_legal_name", customers.c.legal_name)

customer_addresses = Table(
    "customer_addresses",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("line1", String(200), nullable=False),
    Column("line2", String(200), nullable=False, default=""),
    Column("postal_code", String(20), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country", String(2), nullable=False),
)

customer_contacts = Table(
    "customer_contacts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("role", String(16), nullable=False),
    Column("phone", String(40), nullable=False, default=""),
)

products = Table(
    "products",
    metadata,
    Column("id", Id, primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("product_type", String(20), nullable=False),
    Column("tax_category", String(20), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

price_lists = Table(
    "price_lists",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    UniqueConstraint("code", "valid_from"),
)

price_list_items = Table(
    "price_list_items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("price_list_id", Id, ForeignKey("price_lists.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", Id, ForeignKey("products.id"), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    UniqueConstraint("price_list_id", "product_id"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Id, primary_key=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("changes", Json, nullable=False),
    Column("reason", Text),
)
Index("ix_audit_events_entity", audit_events.c.entity_type, audit_events.c.entity_id)

import_records = Table(
    "import_records",
    metadata,
    Column("id", Id, primary_key=True),
    Column("source", String(64), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("source", "external_id"),
)

# Job runner ledger (cashtrail.jobs). A run is keyed by (job, business_date); each shard by (job, business_date,
# shard). A shard's handler writes its effect in the same transaction that sets its status to ``done``, so a
# shard delivered twice by the queue changes the data once.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("job", String(64), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("submissions", Integer, nullable=False, default=1),
    UniqueConstraint("job", "business_date"),
)

job_shards = Table(
    "job_shards",
    metadata,
    Column("id", Id, primary_key=True),
    Column("job", String(64), nullable=False),
    Column("business_date", Date, nullable=False),
    Column("shard", String(100), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", String(100)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("error", Text),
    Column("result", Json),
    UniqueConstraint("job", "business_date", "shard"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("actor", String(64), nullable=False),
    Column("key", String(200), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("actor", "key"),
)
