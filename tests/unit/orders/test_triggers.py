"""Invoice triggers: only the line's own trigger invoices it, amounts add up exactly, and statuses follow events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cashtrail.errors import InvalidState
from cashtrail.orders.errors import TriggerRefused
from cashtrail.orders.model import LineStatus, OrderStatus, Trigger
from cashtrail.orders.triggers import EventKind, OrderEvent, charge_for, check_event, fires, line_status
from tests.unit.orders.builders import D, line, order

PRINTERS = line(1, "MFP-C35", "3", "1000.00", discount="0")  # 3000.00 net, on shipment
PROJECT = line(2, "SVC-PROJECT", "1", "10000.00", product_type="service", milestones=[("design", "30"), ("live", "70")])


def shipped(reference: str, quantity: str, day: int = 10) -> OrderEvent:
    return OrderEvent(1, EventKind.SHIPMENT, reference, date(2026, 11, day), D(quantity), serials=("S1",))


def accepted(*lines):  # noqa: ANN001, ANN002, ANN202
    return order(*lines, status=OrderStatus.ACCEPTED)


def test_a_shipment_invoices_a_shipment_line_once_per_shipment_with_a_stable_key():
    o = accepted(PRINTERS)
    charge = charge_for(o, PRINTERS, shipped("SH-9", "1"), [])
    assert charge.key == "order:SO-1:1:shipment:SH-9"
    assert (charge.contract_number, charge.customer_number, charge.kind) == ("SO-1", "C1", "order")
    assert (charge.amount.amount, charge.supply, charge.period.start) == (D("1000.00"), "goods", date(2026, 11, 10))
    assert charge.source["po"] == "PO-77"


def test_partial_shipments_add_up_to_the_line_net_amount_to_the_cent():
    odd = line(1, "TONER", "3", "33.33")  # 99.99 net
    o = accepted(odd)
    first = shipped("A", "1")
    c1 = charge_for(o, odd, first, [])
    second = shipped("B", "1")
    c2 = charge_for(o, odd, second, [replace(first, charge_key=c1.key)])
    third = shipped("C", "1")
    c3 = charge_for(o, odd, third, [replace(first, charge_key=c1.key), replace(second, charge_key=c2.key)])
    assert [c.amount.amount for c in (c1, c2, c3)] == [D("33.33"), D("33.33"), D("33.33")]
    net = line(1, "TONER", "3", "10.00", discount="0")
    net.net_amount = D("10.00")
    parts = [charge_for(accepted(net), net, shipped("A", "1"), []).amount.amount]
    parts.append(
        charge_for(accepted(net), net, shipped("B", "2"), [replace(shipped("A", "1"), charge_key="k")]).amount.amount
    )
    assert parts == [D("3.33"), D("6.67")]


def test_milestones_invoice_their_share_and_the_last_one_takes_the_remainder():
    o = accepted(PROJECT)
    design = OrderEvent(2, EventKind.MILESTONE, "design", date(2026, 11, 20))
    c1 = charge_for(o, PROJECT, design, [])
    live = OrderEvent(2, EventKind.MILESTONE, "live", date(2026, 12, 20))
    c2 = charge_for(o, PROJECT, live, [replace(design, charge_key=c1.key)])
    assert (c1.amount.amount, c2.amount.amount) == (D("3000.00"), D("7000.00"))
    assert (c1.supply, c1.key) == ("services", "order:SO-1:2:milestone:design")


def test_an_event_fires_only_the_trigger_of_its_own_kind():
    assert fires(PRINTERS, shipped("SH-1", "1"))
    assert not fires(PRINTERS, OrderEvent(1, EventKind.ACTIVATION, "A1", date(2026, 11, 1), D(1)))
    subscription = line(4, "SUB-FLEET", "10", "2.90", product_type="subscription")
    assert subscription.trigger == Trigger.SCHEDULE
    assert not fires(subscription, OrderEvent(4, EventKind.ACTIVATION, "A1", date(2026, 11, 1), D(10)))


def test_a_manual_release_cannot_invoice_a_line_before_its_own_trigger():
    with pytest.raises(TriggerRefused, match="invoiced on shipment"):
        check_event(accepted(PRINTERS), PRINTERS, OrderEvent(1, "manual", "M1", date(2026, 11, 1), D(1)), [])


def test_more_than_the_line_quantity_cannot_ship_and_milestones_must_exist():
    earlier = [shipped("A", "2")]
    with pytest.raises(TriggerRefused, match="4 would be fulfilled of 3"):
        check_event(accepted(PRINTERS), PRINTERS, shipped("B", "2"), earlier)
    with pytest.raises(TriggerRefused, match="no milestone 'golive'"):
        check_event(accepted(PROJECT), PROJECT, OrderEvent(2, "milestone", "golive", date(2026, 11, 1)), [])


def test_an_order_that_is_not_accepted_is_never_charged():
    with pytest.raises(InvalidState) as refused:
        charge_for(order(PRINTERS), PRINTERS, shipped("SH-1", "1"), [])
    assert refused.value.code == "order.not_accepted"


def test_the_line_status_follows_shipments_deliveries_activations_and_milestones():
    assert line_status(PRINTERS, [])[0] == LineStatus.OPEN
    assert line_status(PRINTERS, [shipped("A", "1")])[:2] == (LineStatus.PARTIALLY_SHIPPED, D(1))
    assert line_status(PRINTERS, [shipped("A", "3")])[0] == LineStatus.SHIPPED
    delivered = replace(shipped("A", "3"), delivered_on=date(2026, 11, 12))
    assert line_status(PRINTERS, [delivered]) == (LineStatus.DELIVERED, D(3), D(3))
    design = OrderEvent(2, EventKind.MILESTONE, "design", date(2026, 11, 20))
    assert line_status(PROJECT, [design])[0] == LineStatus.IN_PROGRESS
    live = OrderEvent(2, EventKind.MILESTONE, "live", date(2026, 11, 21))
    assert line_status(PROJECT, [design, live])[0] == LineStatus.COMPLETED
