"""Invoice triggers: which events invoice an order line, for how much, and how its status moves.

Events are recorded per line: a *shipment* (from the shipment/delivery file: quantity, serials, carrier, the
delivery date when known), an *activation* (software or cloud provisioned), a *milestone* accepted by the customer
(services), or a *manual* release by a person. Shipments and activations fulfil quantity whatever the line's
trigger; an event invoices the line only when its kind is the line's trigger (shipment → on shipment, …), so a line
is never invoiced before its trigger. Scheduled lines (subscriptions, maintenance) are handed to contract billing
instead and never fire a charge here.

An event that fires becomes one billing charge with the key ``order:<order>:<line>:<kind>:<reference>``: the
pending-charge and billed-charge keys are unique, so nothing is invoiced twice. Amounts are cumulative-exact: the
charge for a partial quantity q after b already invoiced is round(net × (b+q)/Q) − round(net × b/Q), so the
charges of a line add up to its net amount to the cent; milestones work the same way with their percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.contracts.terms import Period
from cashtrail.errors import InvalidState
from cashtrail.money import Money
from cashtrail.orders.errors import TriggerRefused
from cashtrail.orders.model import HUNDRED, LineStatus, Order, OrderLine, OrderStatus, Trigger, supply_of


class EventKind(StrEnum):
    SHIPMENT = "shipment"
    ACTIVATION = "activation"
    MILESTONE = "milestone"
    MANUAL = "manual"


#: The trigger each event kind fires.
FIRES: dict[str, str] = {
    EventKind.SHIPMENT: Trigger.SHIPMENT,
    EventKind.ACTIVATION: Trigger.ACTIVATION,
    EventKind.MILESTONE: Trigger.MILESTONE,
    EventKind.MANUAL: Trigger.MANUAL,
}
FULFILLING = frozenset({EventKind.SHIPMENT, EventKind.ACTIVATION})


@dataclass(frozen=True)
class OrderEvent:
    """Something that happened to an order line; ``charge_key`` is set once it invoiced the line."""

    line_no: int
    kind: str
    reference: str  # shipment id, activation id, milestone code, or the manual release's reference
    day: date
    quantity: Decimal | None = None  # shipments, activations and manual releases
    serials: tuple[str, ...] = ()
    delivered_on: date | None = None
    carrier: str = ""
    tracking: str = ""
    note: str = ""
    charge_key: str | None = None
    amount: Decimal | None = None
    recorded_by: str = ""
    recorded_at: datetime | None = None
    id: int | None = None

    def same_as(self, other: OrderEvent) -> bool:
        """True when ``other`` records the same facts (a replay of this event)."""
        return (self.line_no, self.kind, self.reference, self.day, self.quantity, self.serials) == (
            other.line_no,
            other.kind,
            other.reference,
            other.day,
            other.quantity,
            other.serials,
        )


def charge_key(order_number: str, line_no: int, kind: str, reference: str) -> str:
    """The billing charge key of an event (unique, so a fired event is billed once)."""
    return f"order:{order_number}:{line_no}:{kind}:{reference}"


def check_event(order: Order, line: OrderLine, event: OrderEvent, recorded: Sequence[OrderEvent]) -> None:
    """Refuse an event the line cannot take; ``recorded`` holds the line's earlier events."""
    if order.status == OrderStatus.CANCELLED:
        raise TriggerRefused(f"order {order.number} is cancelled", number=order.number)
    if line.is_bundle:
        raise TriggerRefused(
            f"line {line.label} is a bundle; events belong to its components", number=order.number, line=line.label
        )
    if event.kind not in EventKind.__members__.values():
        raise TriggerRefused(f"unknown event kind {event.kind!r}", kind=event.kind)
    if event.kind == EventKind.MILESTONE:
        _check_milestone(line, event, recorded)
        return
    if event.quantity is None or event.quantity <= 0:
        raise TriggerRefused(f"a {event.kind} needs a quantity above zero", line=line.label)
    if event.kind in FULFILLING:
        done = _sum(e.quantity for e in recorded if e.kind in FULFILLING)
        if done + event.quantity > line.quantity:
            raise TriggerRefused(
                f"line {line.label}: {_plain(done + event.quantity)} would be fulfilled of {_plain(line.quantity)}",
                line=line.label,
            )
    if event.kind == EventKind.MANUAL:
        if line.trigger != Trigger.MANUAL:
            raise TriggerRefused(
                f"line {line.label} is invoiced on {line.trigger}; a manual release cannot invoice it earlier",
                line=line.label,
                trigger=line.trigger,
            )
        if charged_quantity(recorded) + event.quantity > line.quantity:
            raise TriggerRefused(f"line {line.label}: more than its quantity would be invoiced", line=line.label)


def _check_milestone(line: OrderLine, event: OrderEvent, recorded: Sequence[OrderEvent]) -> None:
    if line.trigger != Trigger.MILESTONE:
        raise TriggerRefused(f"line {line.label} is not invoiced on milestones", line=line.label)
    codes = {m.code for m in line.billing_milestones()}
    if event.reference not in codes:
        raise TriggerRefused(
            f"line {line.label} has no milestone {event.reference!r} (it has {', '.join(sorted(codes))})",
            line=line.label,
        )


def fires(line: OrderLine, event: OrderEvent) -> bool:
    """True when ``event`` invoices ``line`` (its kind is the line's trigger)."""
    return FIRES.get(event.kind) == line.trigger


def charged_quantity(events: Sequence[OrderEvent]) -> Decimal:
    """The quantity already invoiced by quantity events."""
    return _sum(e.quantity for e in events if e.charge_key is not None and e.kind != EventKind.MILESTONE)


def charge_for(order: Order, line: OrderLine, event: OrderEvent, earlier: Sequence[OrderEvent]) -> Charge:
    """The billing charge of a firing event; ``earlier`` holds the line's events that invoiced it before."""
    if order.status != OrderStatus.ACCEPTED:
        raise InvalidState(f"order {order.number} is not accepted", code="order.not_accepted", number=order.number)
    net = Money(line.net_amount, order.currency)
    if event.kind == EventKind.MILESTONE:
        shares = {m.code: m for m in line.billing_milestones()}
        before = _sum(shares[e.reference].percent for e in earlier if e.kind == EventKind.MILESTONE and e.charge_key)
        now = shares[event.reference].percent
        amount = _slice(net, before, before + now, HUNDRED)
        quantity, what = Decimal(1), f"milestone {event.reference} ({shares[event.reference].description})"
        formula = f"{_plain(now)} % of net {net.amount}, after {_plain(before)} % invoiced"
    else:
        quantity = event.quantity or Decimal(0)
        before = charged_quantity(earlier)
        amount = _slice(net, before, before + quantity, line.quantity)
        what = f"{_plain(quantity)} of {_plain(line.quantity)} {event.kind} {event.reference}"
        formula = f"{_plain(quantity)}/{_plain(line.quantity)} of net {net.amount}, after {_plain(before)} invoiced"
    return Charge(
        key=charge_key(order.number, line.line_no, event.kind, event.reference),
        contract_number=order.number,
        customer_number=order.invoiced_customer,
        kind=ChargeKind.ORDER,
        description=f"{line.description}: {what}"[:300],
        period=Period(event.day, event.day),
        quantity=quantity,
        unit_price=amount.amount if event.kind == EventKind.MILESTONE else amount.amount / quantity,
        amount=amount,
        formula=formula,
        asset=",".join(event.serials)[:64],
        source={"order": order.number, "line": line.label, "event": event.kind, "reference": event.reference}
        | ({"po": order.po_number} if order.po_number else {})
        | ({"contract": order.contract_number} if order.contract_number else {}),
        tax_category=line.tax_category,
        supply=supply_of(line.product_type),
    )


def _slice(net: Money, before: Decimal, after: Decimal, whole: Decimal) -> Money:
    """round(net × after/whole) − round(net × before/whole): partial amounts that add up exactly."""
    return (
        Money(net.amount * after / whole, net.currency).rounded()
        - Money(net.amount * before / whole, net.currency).rounded()
    )


def line_status(line: OrderLine, events: Sequence[OrderEvent]) -> tuple[str, Decimal, Decimal]:
    """The line's delivery/provisioning status, fulfilled quantity and delivered quantity from its events."""
    if line.is_bundle:
        return LineStatus.EXPANDED, Decimal(0), Decimal(0)
    shipped = _sum(e.quantity for e in events if e.kind == EventKind.SHIPMENT)
    activated = _sum(e.quantity for e in events if e.kind == EventKind.ACTIVATION)
    delivered = _sum(e.quantity for e in events if e.kind == EventKind.SHIPMENT and e.delivered_on is not None)
    fulfilled = shipped + activated
    if line.trigger == Trigger.MILESTONE:
        accepted = {e.reference for e in events if e.kind == EventKind.MILESTONE}
        every = {m.code for m in line.billing_milestones()}
        status = LineStatus.COMPLETED if accepted >= every else LineStatus.IN_PROGRESS if accepted else LineStatus.OPEN
    elif line.contract_number is not None:
        status = LineStatus.HANDED_OVER
    elif activated and not shipped:
        status = LineStatus.ACTIVE if activated >= line.quantity else LineStatus.PARTIALLY_ACTIVE
    elif fulfilled >= line.quantity:
        status = LineStatus.DELIVERED if delivered >= line.quantity else LineStatus.SHIPPED
    else:
        status = LineStatus.PARTIALLY_SHIPPED if fulfilled else LineStatus.OPEN
    return status, fulfilled, delivered


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    total = Decimal(0)
    for value in values:
        total += value or Decimal(0)
    return total


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"
