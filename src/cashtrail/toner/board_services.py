"""Use cases of the huddle board: moving a card, deciding on findings, and handing approved charges to billing.

Every move names the actor, the time (from the injected clock) and a reason, and is appended to the audit trail
(``toner_reconciliation.moved`` on ``AGREEMENT@PERIOD``). Approval is refused while an error finding is open
(:class:`~cashtrail.toner.errors.OpenFindingsError`); approving a positive excess charge queues one billing charge
per colour through :mod:`cashtrail.toner.billing_hook`, so the next bill run bills it once. ``no charge`` is only
for a zero charge and ``invoiced`` only once every queued charge is billed.
"""

from __future__ import annotations

from cashtrail.audit.services import record as audit
from cashtrail.clock import Clock
from cashtrail.errors import InvalidState
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner import billing_hook
from cashtrail.toner.board import BoardStatus, move
from cashtrail.toner.errors import FindingNotFound, ReconciliationNotFound
from cashtrail.toner.findings import FindingCode, TonerFinding
from cashtrail.toner.periods import parse_span
from cashtrail.toner.records import FindingState, ReconciliationRecord, StoredFinding, excess_charges


def get_record(uow: UnitOfWork, agreement: str, period: str) -> ReconciliationRecord:
    """The record of ``agreement`` for ``period`` (a label such as ``2026-Q1``) inside the caller's unit of work."""
    span = parse_span(period)
    found = uow.toner_board.get(agreement, span.start, span.end)
    if found is None:
        raise ReconciliationNotFound(agreement, period)
    return found


def move_record(
    uow: UnitOfWork, clock: Clock, actor: Actor, agreement: str, period: str, target: str, reason: str
) -> ReconciliationRecord:
    """Move one card on the board; refuses moves the board does not allow and approval with open errors."""
    actor.require(Permission.TONER_RUN)
    wanted = BoardStatus(target)
    if wanted == BoardStatus.APPROVED:
        actor.require(Permission.TONER_APPROVE)
    with uow:
        record = get_record(uow, agreement, period)
        assert record.id is not None
        open_findings = [_as_finding(f, agreement) for f in uow.toner_board.findings([record.id], FindingState.OPEN)]
        event = move(
            agreement,
            record.period_label,
            record.status,
            wanted,
            actor=actor.username,
            reason=reason,
            at=clock.now(),
            open_findings=open_findings,
        )
        _check_outcome(uow, record, wanted)
        if wanted == BoardStatus.APPROVED:
            billing_hook.queue(uow, clock, actor, record, excess_charges(record))
        elif record.status == BoardStatus.APPROVED and wanted == BoardStatus.UNDER_REVIEW:
            billing_hook.withdraw(uow, clock, actor, record)
        record.status, record.status_since = wanted, event.at
        uow.toner_board.save_many([record])
        audit(
            uow,
            clock,
            actor,
            "toner_reconciliation.moved",
            "toner_reconciliation",
            record.key,
            before={"status": event.from_status.value},
            after={"status": event.to_status.value},
            reason=event.reason,
        )
        uow.commit()
        return record


def _check_outcome(uow: UnitOfWork, record: ReconciliationRecord, wanted: BoardStatus) -> None:
    unpriced = [c["colour"] for c in record.result.get("colours", []) if c["charge"] is None]
    if unpriced and wanted in (BoardStatus.APPROVED, BoardStatus.NO_CHARGE, BoardStatus.INVOICED):
        raise InvalidState(
            f"the excess of {record.key} in {', '.join(unpriced)} cannot be priced (no cartridge cost, or no price"
            " per cartridge in the set-up); add the cost, move the card back to data pending and run it again",
            code="toner.charge_unpriced",
            agreement=record.agreement,
            colours=unpriced,
        )
    charge = record.total_charge or 0
    if wanted == BoardStatus.NO_CHARGE and charge > 0:
        raise InvalidState(
            f"{record.key} has an excess charge of {charge} {record.currency}; it cannot close without charge",
            code="toner.charge_pending",
            agreement=record.agreement,
        )
    if wanted == BoardStatus.INVOICED:
        if charge <= 0:
            raise InvalidState(
                f"{record.key} has no excess charge; move it to no charge", code="toner.nothing_to_invoice"
            )
        if not billing_hook.all_billed(uow, record):
            raise InvalidState(
                f"the excess charges of {record.key} are not billed yet; run the bill run first",
                code="toner.not_billed",
                agreement=record.agreement,
            )


def _as_finding(stored: StoredFinding, agreement: str) -> TonerFinding:
    return TonerFinding(FindingCode(stored.code), agreement, stored.message, (), stored.serial)


def decide_finding(
    uow: UnitOfWork, clock: Clock, actor: Actor, finding_id: int, state: str, note: str
) -> StoredFinding:
    """Accept (waive, with a note) or reopen a finding; accepted findings no longer block approval."""
    actor.require(Permission.TONER_RUN)
    wanted = FindingState(state)
    if wanted == FindingState.RESOLVED or not note.strip():
        raise InvalidState("a finding is accepted or reopened with a note", code="toner.finding_decision")
    with uow:
        finding = uow.toner_board.finding(finding_id)
        if finding is None:
            raise FindingNotFound(finding_id)
        before = finding.state
        finding.state, finding.note, finding.decided_by = wanted, note.strip(), actor.username
        finding.decided_at = clock.now()
        uow.toner_board.save_finding(finding)
        records = [r for r in uow.toner_board.records() if r.id == finding.reconciliation_id]
        for record in records:
            assert record.id is not None
            still = uow.toner_board.findings([record.id], FindingState.OPEN)
            record.errors_open = sum(1 for f in still if f.is_error)
            record.warnings_open = sum(1 for f in still if not f.is_error)
            uow.toner_board.save_many([record])
        audit(
            uow,
            clock,
            actor,
            f"toner_finding.{wanted.value}",
            "toner_finding",
            finding_id,
            before={"state": before.value},
            after={"state": wanted.value},
            reason=note.strip(),
        )
        uow.commit()
        return finding


def mark_invoiced(uow: UnitOfWork, clock: Clock, actor: Actor) -> list[str]:
    """Move every approved record whose excess charges are all billed to invoiced; returns their keys."""
    actor.require(Permission.TONER_RUN)
    moved = []
    with uow:
        approved = uow.toner_board.records(status=BoardStatus.APPROVED.value)
    for record in approved:
        if (record.total_charge or 0) > 0:
            with uow:
                billed = billing_hook.all_billed(uow, record)
            if billed:
                move_record(
                    uow, clock, actor, record.agreement, record.period_label, "invoiced", "excess charges billed"
                )
                moved.append(record.key)
    return moved
