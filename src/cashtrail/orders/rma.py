"""Return merchandise authorisations (RMAs): a return against an invoiced order line, and its SLA.

Lifecycle: requested → approved (or rejected) → received → closed with a disposition: *credit* (a credit note
through invoicing for the returned quantity), *replace* (a replacement ships at no charge) or *repair*. The person
who requested an RMA may not approve it (segregation of duties). The received quantity may be less than the
quantity requested; a credit is for what was received.

SLA timers run on instants (UTC, from the clock), not business days: each RMA type has a resolution time
(:data:`SLA_BY_TYPE`) from the request until the RMA is closed or rejected. An RMA that is still open after its
due instant, or that was resolved after it, is in breach. Instants make the timer exact and independent of any
site's calendar; the SLA values are set in calendar days accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import FieldError
from cashtrail.orders.errors import RmaTransitionRefused, SegregationOfDuties
from cashtrail.orders.model import line_label


class RmaType(StrEnum):
    DEAD_ON_ARRIVAL = "dead_on_arrival"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    WRONG_ITEM = "wrong_item"
    DEFECTIVE = "defective"
    UNWANTED = "unwanted"  # a commercial return


class RmaStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    CLOSED = "closed"


class Disposition(StrEnum):
    CREDIT = "credit"
    REPLACE = "replace"
    REPAIR = "repair"


#: How long each RMA type may take from request to resolution (calendar time, measured on instants).
SLA_BY_TYPE: dict[str, timedelta] = {
    RmaType.DEAD_ON_ARRIVAL: timedelta(days=3),
    RmaType.DAMAGED_IN_TRANSIT: timedelta(days=5),
    RmaType.WRONG_ITEM: timedelta(days=5),
    RmaType.DEFECTIVE: timedelta(days=10),
    RmaType.UNWANTED: timedelta(days=14),
}
AT_RISK = timedelta(hours=24)


@dataclass(eq=False)
class Rma:
    number: str
    order_number: str
    line_no: int
    rma_type: str
    reason: str
    quantity: Decimal
    disposition: str  # requested; the closing disposition may differ
    requested_by: str
    requested_at: datetime
    serials: tuple[str, ...] = ()
    status: str = RmaStatus.REQUESTED
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    received_at: datetime | None = None
    received_quantity: Decimal | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    resolution_note: str = ""
    credit_note_ids: list[int] = field(default_factory=list)
    rebill_key: str | None = None
    id: int | None = None

    @property
    def line_label(self) -> str:
        """The order line as shown: ``3``, or ``3.2`` for a bundle component."""
        return line_label(self.line_no)

    @property
    def sla_due_at(self) -> datetime:
        return self.requested_at + SLA_BY_TYPE[self.rma_type]

    @property
    def resolved_at(self) -> datetime | None:
        """When the SLA clock stopped: at closing, or at a rejection."""
        return self.closed_at if self.status == RmaStatus.CLOSED else self.decided_at if self.rejected else None

    @property
    def rejected(self) -> bool:
        return self.status == RmaStatus.REJECTED

    def approve(self, by: str, at: datetime, note: str = "") -> None:
        """Authorise the return; not by the person who requested it."""
        self._decide(by, at, note, "approved")
        self.status = RmaStatus.APPROVED

    def reject(self, by: str, at: datetime, note: str) -> None:
        """Refuse the return, with a reason."""
        self._decide(by, at, note, "rejected")
        self.status = RmaStatus.REJECTED

    def _decide(self, by: str, at: datetime, note: str, action: str) -> None:
        self._require(RmaStatus.REQUESTED, action=action)
        if by == self.requested_by:
            raise SegregationOfDuties(
                f"{by} requested RMA {self.number} and may not decide it", number=self.number, actor=by
            )
        self.decided_by, self.decided_at, self.decision_note = by, at, note.strip()

    def receive(self, at: datetime, quantity: Decimal) -> None:
        """The goods came back (``quantity`` of them, at most the quantity authorised)."""
        self._require(RmaStatus.APPROVED, action="received")
        if not 0 < quantity <= self.quantity:
            raise RmaTransitionRefused(self.number, f"authorised for {self.quantity}", f"received as {quantity}")
        self.received_at, self.received_quantity, self.status = at, quantity, RmaStatus.RECEIVED

    def close(self, by: str, at: datetime, disposition: str, note: str = "") -> None:
        """Resolve the return with its disposition; stops the SLA clock."""
        self._require(RmaStatus.RECEIVED, action="closed")
        self.disposition, self.closed_by, self.closed_at = disposition, by, at
        self.resolution_note, self.status = note.strip(), RmaStatus.CLOSED

    def _require(self, *allowed: str, action: str) -> None:
        if self.status not in allowed:
            raise RmaTransitionRefused(self.number, self.status, action)


@dataclass(frozen=True)
class SlaState:
    due_at: datetime
    breached: bool
    at_risk: bool  # open and due within :data:`AT_RISK`
    stopped_at: datetime | None
    overdue_by: timedelta | None  # how late it was (or is) when breached


def sla_state(rma: Rma, now: datetime) -> SlaState:
    """Where the RMA stands against its SLA at ``now``."""
    due, stopped = rma.sla_due_at, rma.resolved_at
    end = stopped or now
    breached = end > due
    at_risk = stopped is None and not breached and due - now <= AT_RISK
    return SlaState(due, breached, at_risk, stopped, end - due if breached else None)


def check_rma(rma: Rma) -> list[FieldError]:
    """Every problem with a new RMA request."""
    errors: list[FieldError] = []
    if rma.rma_type not in RmaType.__members__.values():
        errors.append(FieldError("rma_type", f"must be one of {', '.join(RmaType)}", value=rma.rma_type))
    if rma.disposition not in Disposition.__members__.values():
        errors.append(FieldError("disposition", f"must be one of {', '.join(Disposition)}", value=rma.disposition))
    if not rma.reason.strip():
        errors.append(FieldError("reason", "is required"))
    if rma.quantity <= 0:
        errors.append(FieldError("quantity", "must be more than zero", value=rma.quantity))
    if rma.serials and len(rma.serials) != rma.quantity:
        errors.append(FieldError("serials", f"{len(rma.serials)} serials for a quantity of {rma.quantity}"))
    if len(set(rma.serials)) != len(rma.serials):
        errors.append(FieldError("serials", "a serial appears twice"))
    return errors
