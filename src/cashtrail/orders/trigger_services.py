"""Use cases of invoice triggers: record an event on an order line and fire the charge it triggers.

An event is recorded once per (line, kind, reference): sending the same facts again is a replay that changes
nothing (so files and API clients may retry); the same reference with other facts is a conflict. Events of an
order that is not accepted yet are recorded (the line's status moves) and fire when the order is accepted
(:func:`fire_waiting`). A firing event becomes a pending charge handed to billing in the same transaction
(``origin="order"``), which the next bill run for the event's month or later invoices once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge
from cashtrail.billing.pending_services import add_pending_charges
from cashtrail.clock import Clock
from cashtrail.errors import Conflict
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.check_services import order_or_404
from cashtrail.orders.errors import OrderLineNotFound
from cashtrail.orders.model import Order, OrderLine, OrderStatus, line_label
from cashtrail.orders.triggers import (
    EventKind,
    OrderEvent,
    charge_for,
    charged_quantity,
    check_event,
    fires,
    line_status,
)
from cashtrail.ports import UnitOfWork


@dataclass(frozen=True)
class EventOutcome:
    """What recording an event did: the stored event, the charge it fired now (if any), and whether it was a
    replay of an event recorded before."""

    order_number: str
    event: OrderEvent
    charge: Charge | None = None
    replay: bool = False


def record_event(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, event: OrderEvent) -> EventOutcome:
    """Record one event on an order line (and fire its charge when the order is accepted)."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        order = order_or_404(uow, number)
        outcome = apply_event(uow, clock, actor, order, event)
        if not outcome.replay:
            uow.orders.save(order)
        uow.commit()
        return outcome


def apply_event(uow: UnitOfWork, clock: Clock, actor: Actor, order: Order, event: OrderEvent) -> EventOutcome:
    """Record ``event`` on ``order`` (its line statuses change in memory; the caller saves the order); no commit."""
    assert order.id is not None
    line = order.line(event.line_no)
    if line is None:
        raise OrderLineNotFound(order.number, line_label(event.line_no))
    events = [e for e in uow.orders.events_of(order.id) if e.line_no == line.line_no]
    earlier = next((e for e in events if (e.kind, e.reference) == (event.kind, event.reference)), None)
    if earlier is not None:
        if earlier.same_as(_defaulted(line, event, events)):
            if _delivery_news(earlier, event):
                return _record_delivery(uow, clock, actor, order, line, earlier, event, events)
            return EventOutcome(order.number, earlier, replay=True)
        raise Conflict(
            f"line {line.label} already has {event.kind} {event.reference} with other facts",
            code="order.event_conflict",
            reference=event.reference,
        )
    event = _defaulted(line, event, events)
    check_event(order, line, event, events)
    stored = replace(event, recorded_by=actor.username, recorded_at=clock.now(), charge_key=None, amount=None)
    stored = replace(stored, id=uow.orders.add_event(order.id, stored))
    charge = None
    if order.status == OrderStatus.ACCEPTED and fires(line, stored):
        charge = fire(uow, clock, actor, order, line, stored, events)
        stored = replace(stored, charge_key=charge.key, amount=charge.amount.amount)
    line.status, line.fulfilled_quantity, line.delivered_quantity = line_status(line, [*events, stored])
    record(
        uow,
        clock,
        actor,
        f"order.{event.kind}_recorded",
        "order",
        order.number,
        after={
            "line": line.label,
            "reference": event.reference,
            "quantity": str(event.quantity or ""),
            "charge": charge.key if charge else None,
        },
    )
    return EventOutcome(order.number, stored, charge)


def _delivery_news(earlier: OrderEvent, event: OrderEvent) -> bool:
    """True when a repeated shipment brings its delivery date (or carrier, tracking) for the first time."""
    return any(
        getattr(event, name) and getattr(event, name) != getattr(earlier, name)
        for name in ("delivered_on", "carrier", "tracking")
    )


def _record_delivery(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    order: Order,
    line: OrderLine,
    earlier: OrderEvent,
    event: OrderEvent,
    events: list[OrderEvent],
) -> EventOutcome:
    assert earlier.id is not None
    updated = replace(
        earlier,
        delivered_on=event.delivered_on or earlier.delivered_on,
        carrier=event.carrier or earlier.carrier,
        tracking=event.tracking or earlier.tracking,
    )
    uow.orders.set_event_delivery(earlier.id, updated.delivered_on, updated.carrier, updated.tracking)
    line.status, line.fulfilled_quantity, line.delivered_quantity = line_status(
        line, [updated if e.id == earlier.id else e for e in events]
    )
    after: dict[str, object] = {"line": line.label, "reference": event.reference, "delivered": updated.delivered_on}
    record(uow, clock, actor, "order.delivery_recorded", "order", order.number, after=after)
    return EventOutcome(order.number, updated)


def _defaulted(line: OrderLine, event: OrderEvent, events: list[OrderEvent]) -> OrderEvent:
    """A manual release without a quantity releases what is not invoiced yet."""
    if event.kind == EventKind.MANUAL and event.quantity is None:
        return replace(event, quantity=line.quantity - charged_quantity(events))
    return event


def fire(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    order: Order,
    line: OrderLine,
    event: OrderEvent,
    earlier: list[OrderEvent],
) -> Charge:
    """Hand the event's charge to billing and remember it on the event; no commit."""
    assert event.id is not None
    charge = charge_for(order, line, event, [e for e in earlier if e.charge_key is not None])
    add_pending_charges(uow, clock, actor, [charge], origin="order", origin_ref=order.number)
    uow.orders.set_event_charge(event.id, charge.key, charge.amount.amount)
    return charge


def fire_waiting(uow: UnitOfWork, clock: Clock, actor: Actor, order: Order) -> list[Charge]:
    """Fire the events recorded before the order was accepted, oldest first; no commit."""
    assert order.id is not None
    events = uow.orders.events_of(order.id)
    charges: list[Charge] = []
    for line in order.billable_lines():
        mine = [e for e in events if e.line_no == line.line_no]
        for event in [e for e in mine if e.charge_key is None and fires(line, e)]:
            earlier = [e for e in mine if e.charge_key is not None]
            charge = fire(uow, clock, actor, order, line, event, earlier)
            mine = [replace(e, charge_key=charge.key) if e.id == event.id else e for e in mine]
            charges.append(charge)
    return charges
