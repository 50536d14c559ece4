"""Customer cases over the API: a query by e-mail, chat or ticket, linked to its customer, invoices and dispute."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cashtrail.disputes.cases import Case


class CaseOut(BaseModel):
    id: int
    channel: str
    subject: str
    body: str
    sender: str
    received_at: datetime
    customer_number: str | None
    invoice_numbers: list[str]
    state: str
    sla_due_at: datetime | None
    past_sla: bool
    dispute_id: int | None
    closed_at: datetime | None

    @classmethod
    def of(cls, case: Case, now: datetime) -> CaseOut:
        assert case.id is not None
        return cls(
            id=case.id,
            channel=str(case.channel),
            subject=case.subject,
            body=case.body,
            sender=case.sender,
            received_at=case.received_at,
            customer_number=case.customer_number,
            invoice_numbers=list(case.invoice_numbers),
            state=str(case.state),
            sla_due_at=case.sla_due_at,
            past_sla=case.past_sla(now),
            dispute_id=case.dispute_id,
            closed_at=case.closed_at,
        )


class CaseIn(BaseModel):
    customer_number: str = Field(min_length=1, max_length=32)
    channel: Literal["email", "chat", "ticket"]
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field("", max_length=20_000)


class CaseUpdateIn(BaseModel):
    state: Literal["answered", "closed"] | None = Field(None, description="Answer or close the case.")
    dispute_id: int | None = Field(None, description="Link the case to this dispute.")
    customer_number: str | None = Field(
        None, max_length=32, description="The customer of an e-mail no customer was found for."
    )
