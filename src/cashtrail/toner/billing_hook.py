"""How approved excess toner reaches billing: one pending charge per colour, origin ``toner`` and the record's key.

The bill run of any month from the period on bills them (blocks apply, billed once); :func:`billed` reads back in
which draft invoice each charge was billed, so the board can move the record to invoiced and link to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from cashtrail.billing.charges import Charge
from cashtrail.billing.pending_services import add_pending_charges, billed_drafts
from cashtrail.clock import Clock
from cashtrail.identity.model import Actor
from cashtrail.ports import UnitOfWork
from cashtrail.toner.records import ReconciliationRecord

ORIGIN = "toner"


def queue(uow: UnitOfWork, clock: Clock, actor: Actor, record: ReconciliationRecord, charges: Sequence[Charge]) -> int:
    """Queue the record's excess charges (no commit); a charge queued before is not queued twice."""
    return add_pending_charges(uow, clock, actor, charges, origin=ORIGIN, origin_ref=record.key) if charges else 0


def withdraw(uow: UnitOfWork, clock: Clock, record: ReconciliationRecord) -> None:
    """Withdraw the record's unbilled charges (approval withdrawn)."""
    uow.pending_charges.withdraw(record.key, clock.now())


def billed(uow: UnitOfWork, record: ReconciliationRecord) -> dict[str, int | None]:
    """Each queued charge key of the record and the draft invoice that billed it (None while pending)."""
    keys = uow.pending_charges.of_origin(record.key)
    drafts = billed_drafts(uow, keys)
    return {key: drafts.get(key) for key in keys}


def all_billed(uow: UnitOfWork, record: ReconciliationRecord) -> bool:
    """True when the record queued charges and every one of them is billed."""
    found = billed(uow, record)
    return bool(found) and all(draft is not None for draft in found.values())
