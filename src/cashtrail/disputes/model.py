"""A dispute: a customer contests all or part of an invoice (or one of its lines) for a reason, and a department
owns the answer within an SLA.

States: ``open`` → ``assigned`` → ``awaiting_customer`` / ``awaiting_department`` → ``resolved`` → ``closed``.
A resolution is ``credit_note``, ``rebill`` or ``rejected``. A dispute resolved by credit note stays ``resolved``
until its credit note is issued, which closes it; the others close when resolved. Until then its amount is
frozen out of dunning (a resolution by credit note keeps it frozen until the credit note settles it) but stays in
AR (aging, DSO).

Invariants: the disputed amount is positive and in the invoice's currency; a closed dispute never changes; the SLA
is counted in calendar days from the day it was opened, per department.

>>> d = Dispute("C1", "INV-1", Reason.PRICING, Department.SALES, Money.of("50", "EUR"), date(2026, 5, 1), "ann")
>>> d.sla_due_on, d.freezes_dunning
(datetime.date(2026, 5, 11), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.money import Money


class Reason(StrEnum):
    PRICING = "pricing"
    QUANTITY = "quantity"  # quantity or usage
    NOT_RECEIVED = "not_received"  # goods not received
    NOT_PERFORMED = "not_performed"  # service not performed
    DUPLICATE = "duplicate"  # duplicate billing
    TAX = "tax"
    OTHER = "other"


class Department(StrEnum):
    SALES = "sales"
    SERVICE = "service"
    BILLING = "billing"
    TONER = "toner"  # toner reconciliation


class State(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    AWAITING_CUSTOMER = "awaiting_customer"
    AWAITING_DEPARTMENT = "awaiting_department"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Resolution(StrEnum):
    CREDIT_NOTE = "credit_note"
    REBILL = "rebill"
    REJECTED = "rejected"


#: Calendar days a department has to answer, from the day the dispute was opened.
SLA_DAYS: dict[Department, int] = {
    Department.SALES: 10,
    Department.SERVICE: 10,
    Department.BILLING: 5,
    Department.TONER: 15,
}

_MOVES: dict[State, frozenset[State]] = {
    State.OPEN: frozenset({State.ASSIGNED, State.AWAITING_CUSTOMER, State.AWAITING_DEPARTMENT}),
    State.ASSIGNED: frozenset({State.AWAITING_CUSTOMER, State.AWAITING_DEPARTMENT}),
    State.AWAITING_CUSTOMER: frozenset({State.ASSIGNED, State.AWAITING_DEPARTMENT}),
    State.AWAITING_DEPARTMENT: frozenset({State.ASSIGNED, State.AWAITING_CUSTOMER}),
}
_RESOLVABLE = frozenset({State.OPEN, State.ASSIGNED, State.AWAITING_CUSTOMER, State.AWAITING_DEPARTMENT})


@dataclass(eq=False)
class Dispute:
    customer_number: str
    invoice_number: str
    reason: Reason
    department: Department
    amount: Money
    opened_on: date
    opened_by: str
    description: str = ""
    line_number: int | None = None
    item_id: int | None = None
    state: State = State.OPEN
    owner: str | None = None
    sla_due_on: date | None = None
    resolution: Resolution | None = None
    resolved_on: date | None = None
    closed_on: date | None = None
    credit_note_id: int | None = None
    case_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.amount.amount <= 0:
            raise ValidationFailed("the disputed amount must be positive", code="dispute.bad_amount")
        if self.sla_due_on is None:
            self.sla_due_on = self.opened_on + timedelta(days=SLA_DAYS[Department(self.department)])

    @property
    def freezes_dunning(self) -> bool:
        """True from opening until resolved, and until its credit note is issued when resolved by one."""
        return self.state in _RESOLVABLE or (self.state == State.RESOLVED and self.resolution == Resolution.CREDIT_NOTE)

    def past_sla(self, today: date) -> bool:
        assert self.sla_due_on is not None
        return self.state in _RESOLVABLE and today > self.sla_due_on

    def assign(self, owner: str) -> None:
        """Give the dispute an owner (moves an open dispute to ``assigned``)."""
        self._check_active()
        self.owner = owner
        if self.state == State.OPEN:
            self.state = State.ASSIGNED

    def move(self, to: State) -> None:
        """Move between the working states (assigned, awaiting customer, awaiting department)."""
        self._check_active()
        if to not in _MOVES.get(self.state, frozenset()):
            raise InvalidState(f"a dispute cannot go from {self.state} to {to}", code="dispute.bad_transition")
        self.state = to

    def resolve(self, resolution: Resolution, on: date) -> None:
        """Resolve; a rebill or a rejection also closes, a credit note waits for its issue."""
        if self.state not in _RESOLVABLE:
            raise InvalidState(f"a {self.state} dispute cannot be resolved", code="dispute.bad_transition")
        if on < self.opened_on:
            raise ValidationFailed("a dispute cannot be resolved before it was opened", code="dispute.bad_date")
        self.state, self.resolution, self.resolved_on = State.RESOLVED, resolution, on
        if resolution != Resolution.CREDIT_NOTE:
            self.close(on)

    def close(self, on: date) -> None:
        if self.state != State.RESOLVED:
            raise InvalidState("only a resolved dispute can be closed", code="dispute.bad_transition")
        self.state, self.closed_on = State.CLOSED, on

    def _check_active(self) -> None:
        if self.state not in _RESOLVABLE:
            raise InvalidState(f"the dispute is {self.state}", code="dispute.not_active")
