"""Bill runs against a real database: idempotent, preview writes nothing, blocks hold and release."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cashtrail.billing.block_services import open_blocks, place_block, release_block
from cashtrail.billing.callouts import RateClass
from cashtrail.billing.charges import ServiceJob
from cashtrail.billing.meters import MeterRead
from cashtrail.billing.services import run_bill_run
from cashtrail.billing.usage import Tier
from cashtrail.billing.usage_services import record_meter_reads, record_service_jobs
from cashtrail.contracts.model import Contract, Device, MaintenanceUnit, MeterPlan
from cashtrail.contracts.services import amend_contract, get_contract, register_contract
from cashtrail.db import billing_tables as bt
from cashtrail.errors import ValidationFailed
from tests import factories


def _count(app, table) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)))


@pytest.fixture
def billing(app, system):
    factories.customer(app, number="C1")
    factories.customer(app, number="C2", legal_name="Lift Owners SA", vat_number=None)
    register_contract(
        app.uow(),
        app.clock,
        system,
        Contract(
            number="MPS-1",
            customer_number="C1",
            kind="mps",
            currency="EUR",
            start_date=date(2026, 1, 1),
            base_fee_per_device=Decimal("45.00"),
            meter_plans=[
                MeterPlan(
                    "mono",
                    (Tier(20_000, Decimal("0.0090")), Tier(None, Decimal("0.0075"))),
                    included_volume=2_000,
                    minimum_charge=Decimal("250.00"),
                )
            ],
            devices=[
                Device("S1", "MX-3071", "HQ", date(2026, 1, 10)),
                Device("S2", "MX-3071", "HQ", date(2026, 4, 21)),
            ],
        ),
    )
    factories.lift_contract(app, customer="C2", callout_rate="80")
    errors = record_meter_reads(
        app.uow(),
        app.clock,
        system,
        [
            MeterRead(date(2026, 3, 31), 10_000, "S1"),
            MeterRead(date(2026, 4, 30), 31_000, "S1"),
            MeterRead(date(2026, 4, 21), 0, "S2"),
            MeterRead(date(2026, 4, 30), 2_000, "S2"),
        ],
        "test",
    )
    assert errors == []
    record_service_jobs(
        app.uow(),
        app.clock,
        system,
        [ServiceJob("J1", "LIFT-1", "L1", "breakdown", date(2026, 4, 3), {RateClass.NORMAL: 70})],
        "test",
    )
    return app


def test_a_preview_shows_totals_and_writes_nothing(billing, system):
    result = run_bill_run(billing.uow(), billing.clock, system, "2026-04", preview=True)
    # MPS: fees 45.00 + 15.00; usage 23,000 − 2,000 = 21,000 → 180.00 + 7.50; shortfall 62.50 → 310.00.
    # LIFT: fee 205.00 + job J1 75 min at 80/h = 100.00 → 305.00.
    assert result.summary()["totals"] == {"EUR": "615.00"}
    assert [(c.status, c.key) for c in result.diff][:1] == [("new", "LIFT-1:fee:L1")]
    assert _count(billing, bt.billed_charges) == 0
    assert _count(billing, bt.bill_runs) == 0


def test_running_twice_bills_nothing_twice(billing, system):
    first = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert first.summary()["drafts"] == 2
    lines = _count(billing, bt.billed_charges)
    second = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert second.summary()["lines"] == 0
    assert second.already_billed == lines
    assert _count(billing, bt.billed_charges) == lines
    with billing.uow() as uow:
        assert [e.action for e in uow.audit.for_entity("bill_run", "2026-04")] == ["bill_run.completed"] * 2


def test_a_manual_block_holds_a_customer_and_its_release_flows_into_the_next_run(billing, system):
    block = place_block(
        billing.uow(),
        billing.clock,
        system,
        scope="customer",
        target="C2",
        reason="stop invoices: sales instruction",
        owner="ann",
    )
    held = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert {c.contract_number for c, _ in held.held} == {"LIFT-1"}
    assert any("stop invoices" in why for _, reasons in held.held for why in reasons)
    assert [b.id for b in open_blocks(billing.uow(), system)] == [block.id]
    release_block(billing.uow(), billing.clock, system, block.id, "instruction withdrawn")
    released = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert {c.contract_number for d in released.drafts for c in d.lines} == {"LIFT-1"}
    assert open_blocks(billing.uow(), system) == []


def test_a_missing_read_places_an_automatic_block_once(billing, system):
    record_meter_reads(billing.uow(), billing.clock, system, [MeterRead(date(2026, 5, 31), 40_000, "S1")], "may")
    run_bill_run(billing.uow(), billing.clock, system, "2026-05")
    run_bill_run(billing.uow(), billing.clock, system, "2026-05")
    blocks = [b for b in open_blocks(billing.uow(), system) if b.reason == "read_missing"]
    # S2 has no May read: the pooled usage line and the shortfall line it feeds are held, each blocked once.
    assert [(b.automatic, b.target) for b in blocks] == [
        (True, "MPS-1:2026-05:usage:mono:2001"),
        (True, "MPS-1:2026-05:shortfall:mono"),
    ]
    # The read arrives: the next run bills the month and the automatic blocks release themselves.
    record_meter_reads(billing.uow(), billing.clock, system, [MeterRead(date(2026, 5, 31), 2_600, "S2")], "late")
    result = run_bill_run(billing.uow(), billing.clock, system, "2026-05")
    assert any(c.kind == "usage" for d in result.drafts for c in d.lines)
    assert [b for b in open_blocks(billing.uow(), system) if b.reason == "read_missing"] == []


def test_a_meter_rollback_is_refused_and_nothing_is_stored(billing, system):
    before = _count(billing, bt.meter_reads)
    errors = record_meter_reads(
        billing.uow(),
        billing.clock,
        system,
        [MeterRead(date(2026, 5, 31), 40_000, "S2"), MeterRead(date(2026, 5, 31), 30_000, "S1")],
        "bad",
    )
    assert [e.field for e in errors] == ["value"]
    assert "rollback" in errors[0].message
    assert _count(billing, bt.meter_reads) == before


def test_an_amendment_raises_the_version_and_is_audited_with_its_reason(billing, system):
    contract = get_contract(billing.uow(), system, "LIFT-1")
    contract.units = [MaintenanceUnit("L1", "Tower", "Lift A", Decimal("215.00"), date(2026, 1, 1))]
    amended = amend_contract(billing.uow(), billing.clock, system, contract, reason="new lift door contract")
    assert amended.version == 2
    with billing.uow() as uow:
        event = uow.audit.for_entity("contract", "LIFT-1")[-1]
    assert (event.action, event.reason) == ("contract.amended", "new lift door contract")
    assert event.changes["fees"] == [{"L1": "205"}, {"L1": "215"}]
    assert event.changes["version"] == [1, 2]
    with pytest.raises(ValidationFailed):
        amend_contract(billing.uow(), billing.clock, system, contract, reason=" ")


def test_a_repair_draws_down_the_reserve_fund_before_it_is_invoiced(billing, system):
    from cashtrail.billing.fund_services import open_reserve_fund, reserve_fund

    open_reserve_fund(
        billing.uow(), billing.clock, system, "C2", deposit=Decimal("150.00"), warning_threshold=Decimal("100")
    )
    record_service_jobs(
        billing.uow(),
        billing.clock,
        system,
        [ServiceJob("R1", "LIFT-1", "L1", "repair", date(2026, 4, 12), {RateClass.NORMAL: 120})],
        "test",
    )
    result = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    lift = next(d for d in result.drafts if d.customer_number == "C2")
    # Fee 205.00 + callout J1 100.00 + repair R1 2 h × 80 = 160.00, of which the fund pays 150.00.
    assert [(c.kind, str(c.amount.amount)) for c in lift.lines if c.kind in ("repair", "fund")] == [
        ("repair", "160.00"),
        ("fund", "-150.00"),
    ]
    assert str(lift.total.amount) == "315.00"
    fund = reserve_fund(billing.uow(), system, "C2")
    assert (str(fund.balance.amount), fund.status) == ("0.0000", "exhausted")
    assert [str(m["amount"]) for m in fund.movements] == ["150.0000", "-150.0000"]
    # A re-run neither bills the repair nor draws the fund again.
    run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert len(reserve_fund(billing.uow(), system, "C2").movements) == 2


def test_an_amendment_of_a_billed_month_writes_a_credit_draft_and_a_rebill_draft_once(billing, system):
    from cashtrail.billing.services import correct_billed_period

    run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    contract = get_contract(billing.uow(), system, "LIFT-1")
    contract.units = [MaintenanceUnit("L1", "Tower", "Lift A", Decimal("215.00"), date(2026, 1, 1))]
    amend_contract(billing.uow(), billing.clock, system, contract, reason="fee corrected back to April")
    lines = correct_billed_period(billing.uow(), billing.clock, system, "LIFT-1", "2026-04")
    assert [(c.key, str(c.amount.amount)) for c in lines] == [
        ("LIFT-1:2026-04:fee:L1:rev:v2", "-205.00"),
        ("LIFT-1:2026-04:fee:L1:v2", "215.00"),
    ]
    with billing.uow() as uow:
        drafts = uow.session.execute(
            select(bt.draft_invoices.c.group_key, bt.draft_invoices.c.total)
            .where(bt.draft_invoices.c.group_key.like("%:LIFT-1:v2"))
            .order_by(bt.draft_invoices.c.group_key)
        ).all()
    assert [(k, str(t)) for k, t in drafts] == [("credit:LIFT-1:v2", "-205.0000"), ("rebill:LIFT-1:v2", "215.0000")]
    assert correct_billed_period(billing.uow(), billing.clock, system, "LIFT-1", "2026-04") == []


def test_a_charge_held_in_one_month_is_billed_by_a_later_run_after_release(billing, system):
    block = place_block(
        billing.uow(),
        billing.clock,
        system,
        scope="contract",
        target="LIFT-1",
        reason="stop: contract under review",
        owner="ann",
    )
    april = run_bill_run(billing.uow(), billing.clock, system, "2026-04")
    assert {c.key for c, _ in april.held} == {"LIFT-1:2026-04:fee:L1", "LIFT-1:job:J1:0"}
    release_block(billing.uow(), billing.clock, system, block.id, "review done")
    may = run_bill_run(billing.uow(), billing.clock, system, "2026-05")
    billed = {c.key for d in may.drafts for c in d.lines}
    assert {"LIFT-1:2026-04:fee:L1", "LIFT-1:job:J1:0"} <= billed
    june = run_bill_run(billing.uow(), billing.clock, system, "2026-06")
    assert not {c.key for d in june.drafts for c in d.lines} & billed


def test_releasing_an_automatic_outlier_block_bills_the_usage_and_it_is_not_blocked_again(billing, system):
    reads = [MeterRead(date(2026, m, 28), 31_000 + 2_000 * (m - 4), "S1") for m in (5, 6, 7)]
    reads += [MeterRead(date(2026, m, 28), 2_000 + 500 * (m - 4), "S2") for m in (5, 6, 7)]
    reads += [MeterRead(date(2026, 8, 31), 80_000, "S1"), MeterRead(date(2026, 8, 31), 4_000, "S2")]
    assert record_meter_reads(billing.uow(), billing.clock, system, reads, "history") == []
    august = run_bill_run(billing.uow(), billing.clock, system, "2026-08")
    outliers = [b for b in open_blocks(billing.uow(), system) if b.reason == "usage_outlier"]
    assert outliers
    assert any(c.kind == "usage" for c, _ in august.held)
    for block in outliers:
        release_block(billing.uow(), billing.clock, system, block.id, "customer confirmed a print campaign")
    september = run_bill_run(billing.uow(), billing.clock, system, "2026-09")
    assert any(c.key.startswith("MPS-1:2026-08:usage") for d in september.drafts for c in d.lines)
    assert [b for b in open_blocks(billing.uow(), system) if b.reason == "usage_outlier"] == []


def test_a_missing_read_is_estimated_when_the_contract_allows_and_trued_up_by_the_next_read(app, system):
    factories.customer(app, number="C9")
    register_contract(
        app.uow(),
        app.clock,
        system,
        Contract(
            number="MPS-9",
            customer_number="C9",
            kind="mps",
            currency="EUR",
            start_date=date(2026, 1, 1),
            estimate_missing_reads=True,
            meter_plans=[MeterPlan("mono", (Tier(None, Decimal("0.01")),))],
            devices=[Device("E1", "MX", "HQ", date(2026, 1, 1))],
        ),
    )
    record_meter_reads(
        app.uow(),
        app.clock,
        system,
        [MeterRead(date(2026, 1, 31), 10_000, "E1"), MeterRead(date(2026, 3, 2), 13_000, "E1")],
        "history",
    )
    # No April read: 3,000 pages over 30 days = 100 a day → estimate on 30 April = 13,000 + 59 × 100 = 18,900.
    april = run_bill_run(app.uow(), app.clock, system, "2026-04")
    [usage] = [c for d in april.drafts for c in d.lines if c.kind == "usage"]
    assert usage.quantity == Decimal(18_900 - 13_000)
    assert "(estimated)" in usage.source["E1"]
    # The real May read of 21,000 bills May as real − estimate: 2,100 pages.
    record_meter_reads(app.uow(), app.clock, system, [MeterRead(date(2026, 5, 31), 21_000, "E1")], "may")
    may = run_bill_run(app.uow(), app.clock, system, "2026-05")
    [true_up] = [c for d in may.drafts for c in d.lines if c.kind == "usage"]
    assert true_up.quantity == Decimal(2_100)
