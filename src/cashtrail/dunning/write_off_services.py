"""Bad debt: prepare a write-off of what is open on a receivable, approve or reject it (never by its preparer:
segregation of duties), and record cash recovered after a write-off. The provision report lives in
:mod:`cashtrail.analytics.queries`.

Approval posts the write-off to the ledger (:mod:`cashtrail.ledger.write_offs`) in the same transaction. The
amount is checked again at approval: it cannot exceed what is open then.
"""

from __future__ import annotations

from datetime import date

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.dunning.write_offs import WriteOff
from cashtrail.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import Application, apply
from cashtrail.ledger.write_offs import recovery_entry, write_off_entry, write_off_item
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


def prepare_write_off(
    uow: UnitOfWork, clock: Clock, actor: Actor, item_id: int, reason: str, *, amount: Money | None = None
) -> WriteOff:
    """Propose writing off ``amount`` (default: all that is open) of a receivable."""
    actor.require(Permission.WRITE_OFF_PREPARE)
    if not reason.strip():
        raise ValidationFailed("a write-off needs a reason", code="write_off.reason_required")
    with uow:
        item = uow.ledger.items([item_id]).get(item_id)
        if item is None or not item.is_debit:
            raise NotFound(f"no receivable {item_id}", code="write_off.item_not_found")
        amount = amount or item.remaining
        if amount.amount <= 0 or amount > item.remaining:
            raise ValidationFailed(
                f"a write-off is positive and at most the open {item.remaining}", code="write_off.bad_amount"
            )
        write_off = WriteOff(item_id, item.customer_number, amount, reason.strip(), actor.username, clock.now())
        write_off.recovered = Money.zero(amount.currency)
        uow.collection_work.add_write_off(write_off)
        record(uow, clock, actor, "write_off.prepared", "write_off", write_off.id, after={"amount": str(amount)})
        uow.commit()
        return write_off


def decide_write_off(
    uow: UnitOfWork, clock: Clock, actor: Actor, write_off_id: int, *, approve: bool, on: date
) -> WriteOff:
    """Approve (and post) or reject a prepared write-off; the preparer may not decide their own."""
    actor.require(Permission.WRITE_OFF_APPROVE)
    with uow:
        write_off = _load(uow, write_off_id)
        if write_off.status != "prepared":
            raise InvalidState(f"write-off {write_off_id} is {write_off.status}", code="write_off.already_decided")
        if write_off.prepared_by == actor.username:
            raise PermissionDenied("who prepared a write-off cannot approve it", code="write_off.segregation_of_duties")
        write_off.status = "approved" if approve else "rejected"
        write_off.decided_by, write_off.decided_at = actor.username, clock.now()
        if approve:
            _post(uow, clock, actor, write_off, on)
        uow.collection_work.save_write_off(write_off)
        record(uow, clock, actor, f"write_off.{write_off.status}", "write_off", write_off.id)
        uow.commit()
        return write_off


def _post(uow: UnitOfWork, clock: Clock, actor: Actor, write_off: WriteOff, on: date) -> None:
    debit = uow.ledger.items([write_off.item_id])[write_off.item_id]
    if write_off.amount > debit.remaining:
        raise InvalidState(
            f"only {debit.remaining} is still open on {debit.reference}", code="write_off.more_than_open"
        )
    number = write_off.number
    uow.ledger.post(
        write_off_entry(number=number, customer_number=write_off.customer_number, amount=write_off.amount, on=on),
        at=clock.now(),
        by=actor.username,
    )
    credit = write_off_item(number=number, debit=debit, amount=write_off.amount, on=on)
    uow.ledger.add_item(credit)
    apply(debit, credit, write_off.amount)
    assert debit.id is not None
    assert credit.id is not None
    application = Application(
        debit.id, credit.id, write_off.amount, on, actor.username, "write_off", applied_at=clock.now()
    )
    uow.ledger.apply(application, debit, credit)
    write_off.posted_on = on


def record_recovery(
    uow: UnitOfWork, clock: Clock, actor: Actor, write_off_id: int, amount: Money, *, received_on: date
) -> WriteOff:
    """Cash received on a written-off debt (at most what was written off and not yet recovered)."""
    actor.require(Permission.WRITE_OFF_PREPARE)
    with uow:
        write_off = _load(uow, write_off_id)
        if write_off.status != "approved":
            raise InvalidState("only an approved write-off can be recovered", code="write_off.not_approved")
        recovered = write_off.recovered or Money.zero(write_off.amount.currency)
        if amount.amount <= 0 or recovered + amount > write_off.amount:
            raise ValidationFailed(
                f"at most {write_off.amount - recovered} is left to recover", code="write_off.over_recovery"
            )
        count = uow.collection_work.add_recovery(write_off_id, amount, received_on, actor.username, clock.now())
        entry = recovery_entry(
            number=f"{write_off.number}-R{count}",
            customer_number=write_off.customer_number,
            amount=amount,
            on=received_on,
        )
        uow.ledger.post(entry, at=clock.now(), by=actor.username)
        write_off.recovered = recovered + amount
        uow.collection_work.save_write_off(write_off)
        record(uow, clock, actor, "write_off.recovered", "write_off", write_off.id, after={"amount": str(amount)})
        uow.commit()
        return write_off


def list_write_offs(uow: UnitOfWork, actor: Actor, status: str | None = None) -> list[WriteOff]:
    actor.require(Permission.AR_READ)
    with uow:
        return uow.collection_work.write_offs(status)


def _load(uow: UnitOfWork, write_off_id: int) -> WriteOff:
    write_off = uow.collection_work.get_write_off(write_off_id)
    if write_off is None:
        raise NotFound(f"write-off {write_off_id} not found", code="write_off.not_found")
    return write_off
