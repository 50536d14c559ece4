"""Pending charges: one-off charges that other domains hand to billing, billed by the next bill run.

Toner reconciliation (excess toner), order management (a fired invoice trigger) and people (a manual one-off
charge) do not rate contracts; they produce finished :class:`~cashtrail.billing.charges.Charge` values. Such a
charge waits in the pending list until a bill run for a month on or after the start of its period bills it like
any other charge: blocks hold it, the contract's grouping puts it on a draft invoice, and its unique key makes it
billed exactly once. A pending charge can be cancelled until it is billed, never after.

Invariants: the key is unique across all charges (a re-submitted key is ignored, so callers may retry); the amount
is rounded to the currency's minor unit; the origin is one of :class:`Origin`; the tax category and supply are
known values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from cashtrail.billing.charges import Charge
from cashtrail.catalog.model import TaxCategory
from cashtrail.errors import FieldError


class Origin(StrEnum):
    TONER = "toner"
    ORDER = "order"
    MANUAL = "manual"
    PROJECT = "project"  # a completed stage of a repair or modernisation project


SUPPLIES = ("goods", "services")


@dataclass(frozen=True)
class PendingState:
    """Where a pending charge stands: waiting, cancelled, or billed in a draft of a bill run."""

    key: str
    origin: str
    origin_ref: str
    created_at: datetime
    cancelled_at: datetime | None = None
    billed_period: str | None = None  # the bill run (YYYY-MM) that billed it
    draft_invoice_id: int | None = None

    @property
    def status(self) -> str:
        """``pending``, ``cancelled`` or ``billed``."""
        if self.draft_invoice_id is not None:
            return "billed"
        return "cancelled" if self.cancelled_at is not None else "pending"


def check_pending(charge: Charge, row: int | None = None) -> list[FieldError]:
    """Every reason ``charge`` cannot wait for billing (empty when it can)."""
    errors = []
    if not charge.key.strip():
        errors.append(FieldError("key", "is required", row=row))
    if not charge.contract_number.strip():
        errors.append(FieldError("contract_number", "is required (the order number for order charges)", row=row))
    if not charge.customer_number.strip():
        errors.append(FieldError("customer_number", "is required", row=row))
    if not charge.description.strip():
        errors.append(FieldError("description", "is required", row=row))
    if charge.amount != charge.amount.rounded():
        errors.append(FieldError("amount", "has more decimals than the currency allows", value=charge.amount, row=row))
    if charge.tax_category not in TaxCategory.__members__.values():
        errors.append(FieldError("tax_category", "is not a known tax category", value=charge.tax_category, row=row))
    if charge.supply not in SUPPLIES:
        errors.append(FieldError("supply", "must be goods or services", value=charge.supply, row=row))
    if charge.period.end < charge.period.start:
        errors.append(FieldError("period", "ends before it starts", row=row))
    return errors


def due_by(charge: Charge, month_end: date) -> bool:
    """True when a run for the month ending ``month_end`` bills ``charge`` (its period starts by then)."""
    return charge.period.start <= month_end
