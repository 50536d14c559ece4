"""Pending charges: charges made outside the bill run that the run of any month from their period on bills once.

Another domain (toner reconciliation: approved excess toner) queues :class:`Charge` values keyed by ``Charge.key``;
queuing a key again is a no-op. The bill run loads the pending charges of its contracts whose period starts by the
run month's end and bills them like any other charge: blocks apply, and a billed key is never billed again.
"""

from __future__ import annotations

from collections.abc import Sequence

from cashtrail.billing.charges import Charge
from cashtrail.clock import Clock
from cashtrail.identity.model import Actor
from cashtrail.ports import UnitOfWork


def add_pending_charges(
    uow: UnitOfWork, clock: Clock, actor: Actor, charges: Sequence[Charge], *, origin: str, origin_ref: str
) -> int:
    """Queue ``charges`` inside the caller's transaction (no commit); returns how many were new."""
    return uow.pending_charges.add(charges, origin=origin, origin_ref=origin_ref, at=clock.now(), by=actor.username)


def billed_drafts(uow: UnitOfWork, keys: Sequence[str]) -> dict[str, int]:
    """For each billed key among ``keys``, the id of the draft invoice that billed it."""
    return uow.pending_charges.billed_drafts(keys)
