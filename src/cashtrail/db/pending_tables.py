"""Pending charges: charges produced outside the bill run (e.g. approved excess toner) that the next run bills.

Keyed uniquely by the charge key, so queuing the same charge twice is a no-op and the run bills it once (its key
then appears in ``billed_charges``).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, String, Table, Text

from cashtrail.db.tables import Json, metadata
from cashtrail.db.types import DecimalText, Id, UtcDateTime

pending_charges = Table(
    "pending_charges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("contract_number", String(32), nullable=False, index=True),
    Column("customer_number", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", String(300), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("quantity", DecimalText(19, 6), nullable=False),
    Column("unit_price", DecimalText(19, 6), nullable=False),
    Column("amount", DecimalText(19, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("formula", Text, nullable=False),
    Column("source", Json, nullable=False),
    Column("origin", String(32), nullable=False),
    Column("origin_ref", String(200), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("withdrawn_at", UtcDateTime),
)
