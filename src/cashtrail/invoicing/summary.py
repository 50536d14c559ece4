"""The header-only view of a document that lists show, and the filters of those lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class InvoiceSummary:
    """One row of the invoice list (header only, no lines)."""

    id: int
    kind: str
    status: str
    number: str | None
    customer_number: str
    legal_entity: str
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    issue_date: date | None
    due_date: date | None
    approval_reason: str
    stopped_reason: str | None
    created_at: datetime | None
    credits_id: int | None


@dataclass(frozen=True)
class InvoiceFilter:
    status: str | None = None
    kind: str | None = None
    customer: str | None = None
    search: str | None = None  # a number or part of it
