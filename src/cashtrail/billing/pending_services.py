"""Use cases of pending charges: hand one-off charges to billing, cancel them, and see where they stand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge
from cashtrail.billing.pending import Origin, PendingState, check_pending
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def add_pending_charges(
    uow: UnitOfWork, clock: Clock, actor: Actor, charges: Sequence[Charge], *, origin: str, origin_ref: str
) -> int:
    """Queue ``charges`` for the next bill run; keys already known are skipped. Returns how many were added.

    Joins the caller's transaction when called inside an open unit of work (commits only as the outermost block).
    """
    actor.require(Permission.BILLING_RUN)
    if origin not in Origin.__members__.values():
        raise ValidationFailed(f"unknown origin {origin!r}", code="pending_charge.bad_origin", origin=origin)
    errors = [e for i, c in enumerate(charges, start=1) for e in check_pending(c, row=i)]
    if errors:
        raise ValidationFailed("charges refused", code="pending_charge.invalid", errors=errors)
    with uow:
        known = uow.pending_charges.known_keys(c.key for c in charges)
        fresh = [c for c in charges if c.key not in known]
        uow.pending_charges.add_many(fresh, origin=origin, origin_ref=origin_ref, at=clock.now(), by=actor.username)
        if fresh:
            record(
                uow,
                clock,
                actor,
                "pending_charge.added",
                "pending_charge",
                origin_ref,
                after={"origin": origin, "keys": [c.key for c in fresh]},
            )
        uow.commit()
        return len(fresh)


def cancel_pending_charge(uow: UnitOfWork, clock: Clock, actor: Actor, key: str, *, reason: str) -> None:
    """Withdraw a charge that was not billed yet (with a reason, audited)."""
    actor.require(Permission.BILLING_RUN)
    if not reason.strip():
        raise ValidationFailed("cancelling needs a reason", errors=[FieldError("reason", "is required")])
    with uow:
        state = uow.pending_charges.states([key]).get(key)
        if state is None:
            raise NotFound(f"pending charge {key} not found", code="pending_charge.not_found", key=key)
        if state.status != "pending":
            raise InvalidState(f"the charge is {state.status}", code="pending_charge.not_pending", key=key)
        uow.pending_charges.cancel(key, at=clock.now(), by=actor.username, reason=reason.strip())
        record(uow, clock, actor, "pending_charge.cancelled", "pending_charge", key, reason=reason.strip())
        uow.commit()


def pending_states(uow: UnitOfWork, actor: Actor, keys: Iterable[str]) -> dict[str, PendingState]:
    """Where each of ``keys`` stands (keys never added are absent)."""
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        return uow.pending_charges.states(list(keys))


def pending_of(uow: UnitOfWork, actor: Actor, origin: str, origin_ref: str) -> list[PendingState]:
    """The charges one origin record (a reconciliation, an order) handed to billing, with their state."""
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        return uow.pending_charges.of_origin(origin, origin_ref)
