"""RMA payloads: request, decisions, receipt, closing, and the RMA with its SLA status."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import UnitPrice, decimal_text
from cashtrail.orders.model import line_label
from cashtrail.orders.rma import Rma, SlaState


class RmaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order: str = Field(min_length=1, max_length=24)
    line: str = Field(pattern=r"^\d{1,3}(\.\d{1,3})?$")
    rma_type: str = Field(pattern="^(dead_on_arrival|damaged_in_transit|wrong_item|defective|unwanted)$")
    reason: str = Field(min_length=1, max_length=2000)
    quantity: UnitPrice
    disposition: str = Field(default="credit", pattern="^(credit|replace|repair)$")
    serials: list[str] = Field(default_factory=list, max_length=10_000)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=2000)


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quantity: UnitPrice | None = Field(default=None, description="Default: the authorised quantity.")


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: str = Field(pattern="^(credit|replace|repair)$")
    note: str = Field(default="", max_length=2000)


class RmaOut(BaseModel):
    number: str
    order: str
    line: str
    rma_type: str
    reason: str
    quantity: str
    serials: list[str]
    disposition: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    received_quantity: str | None
    closed_at: datetime | None
    sla_due_at: datetime
    sla_breached: bool
    sla_at_risk: bool
    credit_note_ids: list[int] = Field(description="Credit notes drafted through invoicing (credit disposition).")
    rebill_key: str | None = Field(
        description="The charge billing again what the credited lines held beyond the return."
    )

    @classmethod
    def of(cls, r: Rma, sla: SlaState) -> RmaOut:
        return cls(
            number=r.number,
            order=r.order_number,
            line=line_label(r.line_no),
            rma_type=r.rma_type,
            reason=r.reason,
            quantity=decimal_text(r.quantity),
            serials=list(r.serials),
            disposition=r.disposition,
            status=r.status,
            requested_by=r.requested_by,
            requested_at=r.requested_at,
            decided_by=r.decided_by,
            received_quantity=decimal_text(r.received_quantity) if r.received_quantity is not None else None,
            closed_at=r.closed_at,
            sla_due_at=sla.due_at,
            sla_breached=sla.breached,
            sla_at_risk=sla.at_risk,
            credit_note_ids=list(r.credit_note_ids),
            rebill_key=r.rebill_key,
        )


class RmaList(BaseModel):
    items: list[RmaOut]
