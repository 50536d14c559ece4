"""A write-off of bad debt: prepared by one person, approved or rejected by another, then posted; cash recovered
afterwards is recorded against it (at most what was written off)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cashtrail.money import Money


@dataclass
class WriteOff:
    item_id: int
    customer_number: str
    amount: Money
    reason: str
    prepared_by: str
    prepared_at: datetime
    status: str = "prepared"  # prepared, approved, rejected
    decided_by: str | None = None
    decided_at: datetime | None = None
    posted_on: date | None = None
    recovered: Money | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return f"WO-{self.id:06d}"
