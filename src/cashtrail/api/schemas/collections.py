"""Collections payloads: metric reports, dunning runs, disputes and the worklist. Amounts are decimal strings."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.disputes.model import Department, Dispute, Reason, Resolution


class ReportOut(BaseModel):
    metric: str
    as_of: date
    days: int
    values: Any = Field(description="Per currency; a decimal string, a bucket table, or null for no meaningful figure.")


class DunningRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: date
    preview: bool = False


class DunningRunOut(BaseModel):
    as_of: date
    already_run: bool
    preview: bool = False
    letters: list[dict[str, Any]] = []
    held: dict[str, int] = {}


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    invoice_number: str = Field(max_length=40)
    reason: Reason
    department: Department
    opened_on: date
    amount: str | None = Field(default=None, pattern=r"^\d+(\.\d{1,4})?$")
    line_number: int | None = Field(default=None, ge=0)
    description: str = ""


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: Resolution
    resolved_on: date
    note: str = ""


class DisputeOut(BaseModel):
    id: int
    customer_number: str
    invoice_number: str
    line_number: int | None
    reason: str
    department: str
    amount: str
    currency: str
    state: str
    owner: str | None
    opened_on: date
    sla_due_on: date | None
    resolution: str | None
    resolved_on: date | None
    closed_on: date | None
    credit_note_id: int | None

    @classmethod
    def of(cls, d: Dispute) -> DisputeOut:
        assert d.id is not None
        return cls(
            id=d.id,
            customer_number=d.customer_number,
            invoice_number=d.invoice_number,
            line_number=d.line_number,
            reason=str(d.reason),
            department=str(d.department),
            amount=str(d.amount.amount),
            currency=d.amount.currency,
            state=str(d.state),
            owner=d.owner,
            opened_on=d.opened_on,
            sla_due_on=d.sla_due_on,
            resolution=None if d.resolution is None else str(d.resolution),
            resolved_on=d.resolved_on,
            closed_on=d.closed_on,
            credit_note_id=d.credit_note_id,
        )


class WorklistEntryOut(BaseModel):
    customer_number: str
    score: str
    overdue: str
    broken_promises: int
    promise_pending: bool
    risk: int
    disputes_past_sla: int


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_number: str = Field(max_length=32)
    kind: str = Field(pattern="^(call|email|note|escalation)$")
    summary: str = Field(min_length=1, max_length=2000)
    occurred_on: date
    escalate_to: str | None = Field(default=None, max_length=64)


class PromiseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_number: str = Field(max_length=32)
    amount: str = Field(pattern=r"^\d+(\.\d{1,4})?$")
    currency: str = Field(min_length=3, max_length=3)
    promised_on: date
    made_on: date
    item_ids: list[int] = []


class CreatedOut(BaseModel):
    id: int


class WriteOffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item_id: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=2000)
    amount: str | None = Field(default=None, pattern=r"^\d+(\.\d{1,4})?$")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    posted_on: date


class WriteOffOut(BaseModel):
    id: int
    item_id: int
    customer_number: str
    amount: str
    currency: str
    status: str
    prepared_by: str
    decided_by: str | None
    posted_on: date | None
    recovered: str
