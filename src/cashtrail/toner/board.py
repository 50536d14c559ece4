"""The toner huddle board: where each agreement's reconciliation for a period stands, and how it moves.

Statuses run data pending → ready → calculated → findings open → under review → approved → invoiced (or no
charge) → closed, with a few moves back (new data, a reopened finding, a withdrawn approval) listed in
:data:`TRANSITIONS`. Every move names an actor, a reason and an aware instant and yields a :class:`BoardEvent` for
the audit trail; :func:`status_after` replays a trail. Invariants: only listed moves are allowed; closed is final;
a reconciliation with open error findings cannot be approved (:class:`OpenFindingsError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cashtrail.clock import ensure_utc
from cashtrail.errors import FieldError
from cashtrail.toner.errors import MoveIncomplete, OpenFindingsError, TransitionNotAllowed
from cashtrail.toner.findings import TonerFinding


class BoardStatus(StrEnum):
    DATA_PENDING = "data_pending"
    READY = "ready"
    CALCULATED = "calculated"
    FINDINGS_OPEN = "findings_open"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    INVOICED = "invoiced"
    NO_CHARGE = "no_charge"
    CLOSED = "closed"


_S = BoardStatus

#: Allowed moves. Going back to data pending is always possible before approval (new or corrected uploads).
TRANSITIONS: dict[BoardStatus, frozenset[BoardStatus]] = {
    _S.DATA_PENDING: frozenset({_S.READY}),
    _S.READY: frozenset({_S.CALCULATED, _S.DATA_PENDING}),
    _S.CALCULATED: frozenset({_S.FINDINGS_OPEN, _S.UNDER_REVIEW, _S.DATA_PENDING}),
    _S.FINDINGS_OPEN: frozenset({_S.UNDER_REVIEW, _S.DATA_PENDING}),
    _S.UNDER_REVIEW: frozenset({_S.APPROVED, _S.FINDINGS_OPEN, _S.DATA_PENDING}),
    _S.APPROVED: frozenset({_S.INVOICED, _S.NO_CHARGE, _S.UNDER_REVIEW}),
    _S.INVOICED: frozenset({_S.CLOSED}),
    _S.NO_CHARGE: frozenset({_S.CLOSED}),
    _S.CLOSED: frozenset(),
}


@dataclass(frozen=True)
class BoardEvent:
    """One move on the board: who, when, from, to and why."""

    agreement: str
    period: str
    actor: str
    at: datetime
    from_status: BoardStatus
    to_status: BoardStatus
    reason: str


def move(
    agreement: str,
    period: str,
    current: BoardStatus,
    target: BoardStatus,
    *,
    actor: str,
    reason: str,
    at: datetime,
    open_findings: Iterable[TonerFinding] = (),
) -> BoardEvent:
    """The event of moving from ``current`` to ``target``; raise if the move is incomplete or not allowed."""
    problems = _missing(actor, reason, at)
    if problems:
        raise MoveIncomplete("a board move needs an actor, a reason and an aware instant", errors=problems)
    if target not in TRANSITIONS[current]:
        raise TransitionNotAllowed(current, target)
    if target == BoardStatus.APPROVED:
        blocking = sorted({f.code.value for f in open_findings if f.is_error})
        if blocking:
            raise OpenFindingsError(blocking)
    return BoardEvent(agreement, period, actor.strip(), ensure_utc(at), current, target, reason.strip())


def _missing(actor: str, reason: str, at: datetime) -> list[FieldError]:
    problems = []
    if not actor.strip():
        problems.append(FieldError("actor", "is required"))
    if not reason.strip():
        problems.append(FieldError("reason", "is required"))
    if at.tzinfo is None or at.utcoffset() is None:
        problems.append(FieldError("at", "must be timezone-aware", value=at))
    return problems


def status_after(events: Sequence[BoardEvent], start: BoardStatus = BoardStatus.DATA_PENDING) -> BoardStatus:
    """The status a trail of events leads to; each event must start where the previous one ended."""
    status = start
    for event in events:
        if event.from_status != status:
            raise TransitionNotAllowed(status, event.to_status)
        status = event.to_status
    return status
