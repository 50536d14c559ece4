"""RMAs: the lifecycle with segregation of duties, and SLA timers on instants with breaches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cashtrail.orders.errors import RmaTransitionRefused, SegregationOfDuties
from cashtrail.orders.rma import Rma, RmaStatus, check_rma, sla_state
from tests.unit.orders.builders import D

REQUESTED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def rma(rma_type: str = "dead_on_arrival", **kw: object) -> Rma:
    fields: dict[str, object] = {
        "number": "RMA-1",
        "order_number": "SO-1",
        "line_no": 1,
        "rma_type": rma_type,
        "reason": "does not power on",
        "quantity": D(1),
        "disposition": "credit",
        "requested_by": "ann",
        "requested_at": REQUESTED,
    }
    fields.update(kw)
    return Rma(**fields)  # type: ignore[arg-type]


def test_an_rma_goes_from_request_to_approval_receipt_and_closing():
    r = rma()
    r.approve("sam", REQUESTED + timedelta(hours=2))
    r.receive(REQUESTED + timedelta(days=1), D(1))
    r.close("ann", REQUESTED + timedelta(days=2), "credit", "credited")
    assert (r.status, r.resolved_at) == (RmaStatus.CLOSED, REQUESTED + timedelta(days=2))
    assert not sla_state(r, REQUESTED + timedelta(days=30)).breached


def test_the_requester_may_not_approve_their_own_rma():
    with pytest.raises(SegregationOfDuties):
        rma().approve("ann", REQUESTED)


def test_steps_cannot_be_skipped_or_received_beyond_the_authorised_quantity():
    r = rma()
    with pytest.raises(RmaTransitionRefused):
        r.receive(REQUESTED, D(1))
    r.approve("sam", REQUESTED)
    with pytest.raises(RmaTransitionRefused):
        r.receive(REQUESTED, D(2))
    with pytest.raises(RmaTransitionRefused):
        r.close("ann", REQUESTED, "credit")


def test_an_open_rma_past_its_due_instant_is_in_breach_and_at_risk_before():
    r = rma("dead_on_arrival")  # 3 days
    assert r.sla_due_at == REQUESTED + timedelta(days=3)
    risky = sla_state(r, REQUESTED + timedelta(days=2, hours=1))
    assert (risky.breached, risky.at_risk) == (False, True)
    late = sla_state(r, REQUESTED + timedelta(days=3, hours=5))
    assert (late.breached, late.overdue_by) == (True, timedelta(hours=5))


def test_a_resolution_after_the_due_instant_stays_a_breach_and_the_clock_stops_at_resolution():
    r = rma("wrong_item")  # 5 days
    r.approve("sam", REQUESTED)
    r.receive(REQUESTED + timedelta(days=4), D(1))
    r.close("ann", REQUESTED + timedelta(days=6), "replace")
    state = sla_state(r, REQUESTED + timedelta(days=60))
    assert (state.breached, state.overdue_by) == (True, timedelta(days=1))
    rejected = rma("defective")
    rejected.reject("sam", REQUESTED + timedelta(days=1), "out of warranty")
    assert not sla_state(rejected, REQUESTED + timedelta(days=60)).breached


def test_a_request_is_checked_as_a_whole():
    bad = rma("lost", disposition="refund", reason=" ", quantity=D(2), serials=("X", "X", "Y"))
    assert {e.field for e in check_rma(bad)} == {"rma_type", "disposition", "reason", "serials"}
    assert check_rma(rma(serials=("S1",))) == []
