"""Customer cases: queries that arrive by e-mail, chat or ticket, linked to the customer, the invoices they name
and the dispute they may become, with an SLA for the first answer.

An incoming message is matched to a customer by the sender's address (a contact of the customer) or by the invoice
numbers in its subject and body; a message is imported once (its Message-ID is unique). The SLA is counted in hours
from the moment the message was received.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from cashtrail.errors import InvalidState

CASE_SLA_HOURS = 48
#: Our invoice and credit-note numbers, e.g. INV-BE01-2026-000123 (also without dashes or in lower case).
INVOICE_NUMBER = re.compile(r"\b(INV|CN)-?([A-Z]{2}\d{2})-?(\d{4})-?(\d{6})\b", re.IGNORECASE)


class Channel(StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    TICKET = "ticket"


class CaseState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class Message:
    """A message as received (parsed from an .eml file or fetched from a mailbox)."""

    message_id: str
    sender: str
    subject: str
    body: str
    received_at: datetime


@dataclass(eq=False)
class Case:
    channel: Channel
    subject: str
    body: str
    sender: str
    received_at: datetime
    customer_number: str | None = None
    message_id: str | None = None
    invoice_numbers: list[str] = field(default_factory=list)
    state: CaseState = CaseState.OPEN
    sla_due_at: datetime | None = None
    dispute_id: int | None = None
    closed_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.sla_due_at is None:
            self.sla_due_at = self.received_at + timedelta(hours=CASE_SLA_HOURS)

    def past_sla(self, now: datetime) -> bool:
        assert self.sla_due_at is not None
        return self.state == CaseState.OPEN and now > self.sla_due_at

    def answer(self) -> None:
        if self.state == CaseState.CLOSED:
            raise InvalidState("the case is closed", code="case.closed")
        self.state = CaseState.ANSWERED

    def close(self, at: datetime) -> None:
        if self.state == CaseState.CLOSED:
            raise InvalidState("the case is closed", code="case.closed")
        self.state, self.closed_at = CaseState.CLOSED, at


def invoice_numbers_in(text: str) -> list[str]:
    """Our document numbers named in ``text``, normalised (``inv be01 2026 000123`` forms too), in order, once.

    >>> invoice_numbers_in("Re: INV-BE01-2026-000012 and inv-be01-2026000013, INV-BE01-2026-000012")
    ['INV-BE01-2026-000012', 'INV-BE01-2026-000013']
    """
    found: list[str] = []
    for kind, entity, year, seq in INVOICE_NUMBER.findall(text):
        number = f"{kind.upper()}-{entity.upper()}-{year}-{seq}"
        if number not in found:
            found.append(number)
    return found
