"""How approved excess toner reaches billing: the shared pending charges, origin ``toner``, the record's key as ref.

Approval queues one charge per colour with :func:`cashtrail.billing.pending_services.add_pending_charges` inside
the approval's transaction; the bill run of any month from the period on bills it once (blocks apply). Queuing
needs ``billing:run``, which toner specialists do not hold, so it is done by the system on behalf of the approver
(the approval move in the reconciliation's audit trail names the person, the time and the reason). Withdrawing an
approval cancels the charges not billed yet. :func:`billed` reads back where each charge stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from cashtrail.billing.charges import Charge
from cashtrail.billing.pending import Origin
from cashtrail.billing.pending_services import add_pending_charges, cancel_pending_charge
from cashtrail.clock import Clock
from cashtrail.identity.model import Actor
from cashtrail.ports import UnitOfWork
from cashtrail.toner.records import ReconciliationRecord

ORIGIN = Origin.TONER.value


def queue(uow: UnitOfWork, clock: Clock, actor: Actor, record: ReconciliationRecord, charges: Sequence[Charge]) -> int:
    """Queue the record's excess charges in the caller's transaction; a charge queued before is not queued twice."""
    if not charges:
        return 0
    return add_pending_charges(uow, clock, Actor.system(), charges, origin=ORIGIN, origin_ref=record.key)


def withdraw(uow: UnitOfWork, clock: Clock, actor: Actor, record: ReconciliationRecord) -> None:
    """Cancel the record's charges that were not billed yet (the approval was withdrawn)."""
    for state in uow.pending_charges.of_origin(ORIGIN, record.key):
        if state.status == "pending":
            reason = f"approval of {record.key} withdrawn by {actor.username}"
            cancel_pending_charge(uow, clock, Actor.system(), state.key, reason=reason)


def billed(uow: UnitOfWork, record: ReconciliationRecord) -> dict[str, int | None]:
    """Each charge the record queued (cancelled ones aside) and the draft invoice that billed it (None: pending)."""
    return {
        state.key: state.draft_invoice_id
        for state in uow.pending_charges.of_origin(ORIGIN, record.key)
        if state.status != "cancelled"
    }


def all_billed(uow: UnitOfWork, record: ReconciliationRecord) -> bool:
    """True when the record queued charges and every one of them is billed."""
    found = billed(uow, record)
    return bool(found) and all(draft is not None for draft in found.values())
