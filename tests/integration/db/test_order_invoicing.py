"""Order lines invoiced on their own triggers through the real bill run and invoicing: shipments, milestones,
bundle components, scheduled lines handed to contract billing, no double billing, RMA credits and SLA breaches."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cashtrail.billing.pending_services import pending_of
from cashtrail.billing.services import run_bill_run
from cashtrail.errors import Conflict
from cashtrail.identity.model import Actor
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.orders.acceptance_services import accept_order
from cashtrail.orders.errors import RmaRefused, TriggerRefused
from cashtrail.orders.rma_services import (
    RmaRequest,
    close_rma,
    decide_rma,
    receive_rma,
    request_rma,
    rma_breaches,
)
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import OrderEvent
from tests.integration.db.orders_support import ANN, SAM, D, accepted, complete_checklist, draft, header, shop

SYSTEM = Actor.system()


@pytest.fixture
def books(app):
    return shop(app)


def shipment(line: int, reference: str, quantity: str, day: date = date(2026, 11, 10), serials=()) -> OrderEvent:  # noqa: ANN001
    return OrderEvent(line, "shipment", reference, day, D(quantity), serials=tuple(serials))


def billed(app, period: str) -> dict[str, str]:  # noqa: ANN001
    """Order charges the run of ``period`` billed: key → amount."""
    result = run_bill_run(app.uow(), app.clock, SYSTEM, period)
    return {c.key: str(c.amount.rounded().amount) for d in result.drafts for c in d.lines if c.kind == "order"}


def issue_all(app) -> list:  # noqa: ANN001
    docs = []
    for invoice_id in prepare_invoices(app.uow(), app.clock, ANN).document_ids:
        approve_invoice(app.uow(), app.clock, SAM, invoice_id)  # the first invoice of an order needs approval
        docs.append(issue_invoice(app.uow(), app.clock, ANN, invoice_id, issue_date=date(2026, 11, 30)))
    return docs


def test_shipments_invoice_a_line_once_each_and_never_before_the_order_is_accepted(books):
    from cashtrail.orders.entry_services import enter_order as enter

    enter(books.uow(), books.clock, ANN, header(), [draft(1, "MFP-C35", "3")])  # 17100.00 net
    early = record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-1", "1"))
    assert early.charge is None  # recorded, not invoiced: the order is not accepted
    assert billed(books, "2026-11") == {}
    complete_checklist(books, "SO-1")
    acceptance = accept_order(books.uow(), books.clock, ANN, "SO-1")
    assert [c.key for c in acceptance.charges] == ["order:SO-1:1:shipment:SH-1"]
    second = record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-2", "1", date(2026, 12, 3)))
    assert second.charge is not None
    assert record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-2", "1", date(2026, 12, 3))).replay
    with pytest.raises(Conflict):
        record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-2", "2", date(2026, 12, 3)))
    with pytest.raises(TriggerRefused):
        record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-3", "2"))  # only 1 left to ship
    november = billed(books, "2026-11")
    assert november == {"order:SO-1:1:shipment:SH-1": "5700.00"}  # December's shipment waits for December
    assert billed(books, "2026-11") == {}  # a re-run bills nothing twice
    record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-3", "1", date(2026, 12, 20)))
    december = billed(books, "2026-12")
    assert december == {"order:SO-1:1:shipment:SH-2": "5700.00", "order:SO-1:1:shipment:SH-3": "5700.00"}
    states = pending_of(books.uow(), SYSTEM, "order", "SO-1")
    assert [(s.status, s.billed_period) for s in states] == [
        ("billed", "2026-11"),
        ("billed", "2026-12"),
        ("billed", "2026-12"),
    ]


def test_milestones_invoice_their_share_when_accepted_and_only_then(books):
    milestones = "design:30:Design signed off; live:70:Go-live"
    from cashtrail.orders.model import parse_milestones

    accepted(books, "SO-1", draft(1, "SVC-PROJECT", "1", milestones=parse_milestones(milestones)))
    assert billed(books, "2026-11") == {}  # accepted, but no milestone yet
    with pytest.raises(TriggerRefused):
        record_event(books.uow(), books.clock, ANN, "SO-1", OrderEvent(1, "manual", "M1", date(2026, 11, 20)))
    record_event(books.uow(), books.clock, ANN, "SO-1", OrderEvent(1, "milestone", "design", date(2026, 11, 20)))
    record_event(books.uow(), books.clock, ANN, "SO-1", OrderEvent(1, "milestone", "design", date(2026, 11, 20)))
    assert billed(books, "2026-11") == {"order:SO-1:1:milestone:design": "2850.00"}  # 30 % of 9500.00
    record_event(books.uow(), books.clock, ANN, "SO-1", OrderEvent(1, "milestone", "live", date(2026, 12, 15)))
    assert billed(books, "2026-12") == {"order:SO-1:1:milestone:live": "6650.00"}
    assert billed(books, "2026-12") == {}


def test_a_bundle_is_booked_per_component_each_invoiced_on_its_own_trigger(books):
    order = accepted(books, "SO-1", draft(1, "BDL-OFFICE", "1", start_date=date(2026, 12, 1)))
    lines = {x.label: x for x in order.lines}
    assert lines["1.3"].contract_number == "SO-1-S"  # subscription: to contract billing
    assert lines["1.5"].contract_number == "SO-1-M"  # maintenance: to contract billing
    assert billed(books, "2026-11") == {}  # nothing shipped, activated or accepted yet
    record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1001, "SH-1", "1"))
    record_event(
        books.uow(), books.clock, ANN, "SO-1", OrderEvent(1002, "activation", "KEY-1", date(2026, 11, 12), D(2))
    )
    november = billed(books, "2026-11")
    assert set(november) == {"order:SO-1:1001:shipment:SH-1", "order:SO-1:1002:activation:KEY-1"}
    record_event(books.uow(), books.clock, ANN, "SO-1", OrderEvent(1004, "milestone", "completion", date(2026, 12, 2)))
    december = run_bill_run(books.uow(), books.clock, SYSTEM, "2026-12")
    keys = {c.key for d in december.drafts for c in d.lines}
    assert "order:SO-1:1004:milestone:completion" in keys
    assert "SO-1-S:2026-12:fee:SO-1:1.3" in keys  # the subscription's first month, billed by contract billing
    assert "SO-1-M:2026-12:fee:SO-1:1.5" in keys
    components = [lines[label].net_amount for label in ("1.1", "1.2", "1.4")]
    charged = [D(november["order:SO-1:1001:shipment:SH-1"]), D(november["order:SO-1:1002:activation:KEY-1"])]
    charged.append(next(c.amount.amount for d in december.drafts for c in d.lines if c.key.endswith("completion")))
    assert charged == components


def test_an_rma_credit_drafts_a_credit_note_on_the_invoice_and_rebills_what_was_kept(books):
    accepted(books, "SO-1", draft(1, "MFP-C35", "3"))
    record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-1", "2", serials=("S1", "S2")))
    with pytest.raises(RmaRefused):  # shipped and billed, but not on an issued invoice yet
        request_rma(books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "dead_on_arrival", "no power", D(1)))
    billed(books, "2026-11")
    [invoice] = issue_all(books)
    with pytest.raises(RmaRefused):
        request_rma(books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "defective", "noise", D(3)))
    rma = request_rma(
        books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "dead_on_arrival", "no power", D(1), serials=("S2",))
    )
    assert rma.number == f"RMA-{rma.id:06d}"
    decide_rma(books.uow(), books.clock, SAM, rma.number, approve=True)
    receive_rma(books.uow(), books.clock, ANN, rma.number)
    closed = close_rma(books.uow(), books.clock, ANN, rma.number, "credit", "credited")
    [credit_id] = closed.credit_note_ids
    with books.uow() as uow:
        credit = uow.invoices.get(credit_id)
    assert credit is not None
    assert (credit.kind, credit.credits, str(credit.totals().net.amount)) == ("credit_note", invoice.number, "11400.00")
    assert closed.rebill_key == f"order:SO-1:1:rma:{rma.number}:rebill"
    rebill = run_bill_run(books.uow(), books.clock, SYSTEM, "2026-11")
    [line] = [c for d in rebill.drafts for c in d.lines if c.key == closed.rebill_key]
    assert line.amount.amount == D("5700.00")  # 2 credited, 1 returned: the kept one is billed again
    with pytest.raises(RmaRefused):  # the invoice line is credited already
        request_rma(books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "defective", "noise", D(2)))


def test_an_rma_open_past_its_sla_is_reported_as_a_breach(books):
    accepted(books, "SO-1", draft(1, "TNR-K", "10"))
    record_event(books.uow(), books.clock, ANN, "SO-1", shipment(1, "SH-1", "10"))
    billed(books, "2026-11")
    issue_all(books)
    slow = request_rma(
        books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "wrong_item", "black instead of cyan", D(2))
    )
    quick = request_rma(books.uow(), books.clock, ANN, RmaRequest("SO-1", 1, "defective", "leaks", D(1)))
    assert rma_breaches(books.uow(), books.clock, ANN) == []
    books.clock.advance(timedelta(days=6))  # wrong item: 5 days; defective: 10 days
    [(breached, state)] = rma_breaches(books.uow(), books.clock, ANN)
    assert (breached.number, state.overdue_by) == (slow.number, timedelta(days=1))
    decide_rma(books.uow(), books.clock, SAM, quick.number, approve=False, note="not ours")
    books.clock.advance(timedelta(days=30))
    assert [r.number for r, _ in rma_breaches(books.uow(), books.clock, ANN)] == [slow.number]
