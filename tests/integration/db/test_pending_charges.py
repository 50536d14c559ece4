"""Pending charges: one-off charges other domains hand to billing are billed once by the next run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cashtrail.billing.block_services import place_block
from cashtrail.billing.charges import Charge
from cashtrail.billing.pending_services import (
    add_pending_charges,
    cancel_pending_charge,
    pending_of,
    pending_states,
)
from cashtrail.billing.services import run_bill_run
from cashtrail.contracts.terms import Period
from cashtrail.db import billing_tables as bt
from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.money import Money
from tests import factories


def _charge(key: str = "toner:LIFT-1:2026-Q1:black", amount: str = "64.00", **kw: object) -> Charge:
    values: dict[str, object] = {
        "key": key,
        "contract_number": "LIFT-1",
        "customer_number": "C1",
        "kind": "toner",
        "description": "Excess toner, black, Q1 2026",
        "period": Period(date(2026, 1, 1), date(2026, 3, 31)),
        "quantity": Decimal("0.80"),
        "unit_price": Decimal("80.00"),
        "amount": Money.of(amount, "EUR"),
        "formula": "8,000 pages × 0.008",
    }
    values.update(kw)
    return Charge(**values)  # type: ignore[arg-type]


@pytest.fixture
def contract(app):
    factories.customer(app, number="C1")
    return factories.lift_contract(app, customer="C1")


def _lines_of(app, key: str) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).where(bt.billed_charges.c.key == key)))


def test_a_pending_charge_is_billed_once_by_the_next_run_and_points_to_its_draft(app, system, contract):
    added = add_pending_charges(app.uow(), app.clock, system, [_charge()], origin="toner", origin_ref="TREC-1")
    assert added == 1
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    run_bill_run(app.uow(), app.clock, system, "2026-05")
    assert _lines_of(app, "toner:LIFT-1:2026-Q1:black") == 1
    [state] = pending_of(app.uow(), system, "toner", "TREC-1")
    assert state.status == "billed"
    assert state.billed_period == "2026-04"
    assert state.draft_invoice_id is not None


def test_re_adding_a_known_key_adds_nothing(app, system, contract):
    add_pending_charges(app.uow(), app.clock, system, [_charge()], origin="toner", origin_ref="TREC-1")
    again = add_pending_charges(app.uow(), app.clock, system, [_charge()], origin="toner", origin_ref="TREC-1")
    assert again == 0
    assert len(pending_of(app.uow(), system, "toner", "TREC-1")) == 1


def test_a_charge_whose_period_starts_after_the_run_month_waits(app, system, contract):
    later = _charge(period=Period(date(2026, 6, 1), date(2026, 6, 30)))
    add_pending_charges(app.uow(), app.clock, system, [later], origin="manual", origin_ref="note-7")
    run_bill_run(app.uow(), app.clock, system, "2026-05")
    assert _lines_of(app, later.key) == 0
    run_bill_run(app.uow(), app.clock, system, "2026-06")
    assert _lines_of(app, later.key) == 1


def test_a_cancelled_charge_is_never_billed_and_a_billed_one_cannot_be_cancelled(app, system, contract):
    first, second = _charge(key="k1"), _charge(key="k2")
    add_pending_charges(app.uow(), app.clock, system, [first, second], origin="manual", origin_ref="m")
    cancel_pending_charge(app.uow(), app.clock, system, "k1", reason="customer goodwill")
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    states = pending_states(app.uow(), system, ["k1", "k2"])
    assert (states["k1"].status, states["k2"].status) == ("cancelled", "billed")
    assert _lines_of(app, "k1") == 0
    with pytest.raises(InvalidState):
        cancel_pending_charge(app.uow(), app.clock, system, "k2", reason="too late")


def test_a_blocked_customer_holds_the_pending_charge_until_released(app, system, contract):
    add_pending_charges(app.uow(), app.clock, system, [_charge()], origin="toner", origin_ref="TREC-1")
    place_block(app.uow(), app.clock, system, scope="customer", target="C1", reason="manual stop", owner="ann")
    result = run_bill_run(app.uow(), app.clock, system, "2026-04")
    assert "toner:LIFT-1:2026-Q1:black" in {c.key for c, _ in result.held}
    assert pending_of(app.uow(), system, "toner", "TREC-1")[0].status == "pending"


def test_a_charge_without_a_contract_in_the_run_is_grouped_on_its_own_reference(app, system, contract):
    order = _charge(key="order:SO-1:1", contract_number="SO-1", kind="order", supply="goods")
    add_pending_charges(app.uow(), app.clock, system, [order], origin="order", origin_ref="SO-1")
    result = run_bill_run(app.uow(), app.clock, system, "2026-04")
    [draft] = [d for d in result.drafts if d.group_key == "order:SO-1"]
    assert [c.supply for c in draft.lines] == ["goods"]


def test_invalid_charges_are_refused_whole_and_nothing_is_written(app, system, contract):
    bad = _charge(key="bad", amount="1.005", tax_category="luxury")
    with pytest.raises(ValidationFailed) as caught:
        add_pending_charges(app.uow(), app.clock, system, [_charge(key="good"), bad], origin="toner", origin_ref="x")
    assert {(e.field, e.row) for e in caught.value.errors} == {("amount", 2), ("tax_category", 2)}
    assert pending_states(app.uow(), system, ["good", "bad"]) == {}
