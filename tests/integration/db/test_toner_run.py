"""The reconciliation run, the board and the billing hook on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.bootstrap import App
from cashtrail.errors import InvalidState
from cashtrail.identity.model import Actor
from cashtrail.toner import billing_hook
from cashtrail.toner.board_services import decide_finding, mark_invoiced, move_record
from cashtrail.toner.errors import OpenFindingsError
from cashtrail.toner.model import ShipmentLine
from cashtrail.toner.run_services import run_reconciliation
from tests.toner_scenario import AGREEMENT, example_shipments, worked_example


def _record(app: App):
    with app.uow() as uow:
        found = uow.toner_board.get(AGREEMENT, date(2026, 1, 1), date(2026, 3, 31))
        assert found is not None
        return found, uow.toner_board.findings([found.id])


def test_a_run_calculates_worked_example_1_and_traces_it_to_the_stored_rows(app: App, system: Actor) -> None:
    worked_example(app)
    summary = run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    record, findings = _record(app)
    assert summary.records == 1
    assert record.total_charge == Decimal("64.00")
    black = record.result["colours"][0]
    assert black["capacity_shipped"] == 140_000
    assert (Decimal(black["capacity_expected"]), Decimal(black["excess_cartridges"])) == (120_000, Decimal("0.80"))
    assert black["effective_coverage_percent"] == "5.83"
    with app.uow() as uow:
        rows = uow.toner.shipments_by_ids(black["shipment_ids"])
        bills = uow.toner.billing_by_ids(record.result["billing_ids"])
    assert sorted(r.shipment_id for r in rows) == ["S1", "S2", "S3", "S4"]
    assert sum(b.mono_pages for b in bills) == 120_000
    assert record.status.value == "calculated"
    assert findings == []
    assert record.country == "BE"
    assert record.owner == "tina"


def test_running_twice_changes_nothing_but_the_calculation_time(app: App, system: Actor) -> None:
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, system, "2026")
    first, _ = _record(app)
    run_reconciliation(app.uow(), app.clock, system, "2026")
    second, _ = _record(app)
    assert (first.id, first.status, first.result) == (second.id, second.status, second.result)


def test_an_approved_charge_is_billed_once_by_the_next_bill_run_and_the_record_moves_to_invoiced(
    app: App, system: Actor
) -> None:
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "figures checked")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "approved", "customer informed")
    with pytest.raises(InvalidState, match="not billed yet"):
        move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "invoiced", "too early")
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    record, _ = _record(app)
    with app.uow() as uow:
        billed = billing_hook.billed(uow, record)
    assert list(billed) == [f"toner:{AGREEMENT}:2026-Q1:black"]
    assert None not in billed.values()
    assert mark_invoiced(app.uow(), app.clock, system) == [f"{AGREEMENT}@2026-Q1"]
    run_bill_run(app.uow(), app.clock, system, "2026-05")
    with app.uow() as uow:
        from sqlalchemy import func, select

        from cashtrail.db import billing_tables as bt

        count = uow.session.scalar(
            select(func.count()).select_from(bt.billed_charges).where(bt.billed_charges.c.kind == "toner")
        )
        amount = uow.session.scalar(select(bt.billed_charges.c.amount).where(bt.billed_charges.c.kind == "toner"))
    assert count == 1
    assert amount == Decimal("64.00")
    with app.uow() as uow:
        trail = uow.audit.for_entity("toner_reconciliation", f"{AGREEMENT}@2026-Q1")
    reasons = [e.reason for e in trail]
    assert {"figures checked", "customer informed", "excess charges billed"} <= set(reasons)
    assert all(e.actor == "system" and e.occurred_at is not None for e in trail)


def test_an_open_error_finding_blocks_approval_until_it_is_accepted_with_a_note(app: App, system: Actor) -> None:
    lines = [*example_shipments(), ShipmentLine("S9", 1, date(2026, 2, 20), "X", 1, "U1", AGREEMENT, "", "ZZZ")]
    worked_example(app, shipments=lines)
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    record, findings = _record(app)
    assert record.status.value == "findings_open"
    assert sorted(f.code for f in findings) == ["asset_not_on_contract", "shipments_without_usage"]
    error = next(f for f in findings if f.is_error)
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "looking at it")
    with pytest.raises(OpenFindingsError):
        move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "approved", "go")
    assert error.id is not None
    decide_finding(app.uow(), app.clock, system, error.id, "accepted", "serial typo confirmed by logistics")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "approved", "go")
    record, _ = _record(app)
    assert record.status.value == "approved"


def test_an_excess_that_cannot_be_priced_cannot_be_approved(app: App, system: Actor) -> None:
    from cashtrail.toner.model import CartridgePart, ModelMapping, TonerColour

    lines = [replace(line, part_number="N") if line.shipment_id == "S1" else line for line in example_shipments()]
    worked_example(app, shipments=lines)
    with app.uow() as uow:  # part N's only cost starts after the period
        uow.toner.put_part(CartridgePart("N", TonerColour.BLACK, 10_000, Decimal(80), "EUR", date(2027, 1, 1)))
        uow.toner.put_mapping(ModelMapping("M1", "N"))
        uow.commit()
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    record, findings = _record(app)
    assert record.total_charge is None
    assert [f.code for f in findings] == ["no_cartridge_cost"]
    assert findings[0].id is not None
    decide_finding(app.uow(), app.clock, system, findings[0].id, "accepted", "cost follows from purchasing")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "looking at it")
    with pytest.raises(InvalidState, match="cannot be priced") as refused:  # nor, so, closed without charge
        move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "approved", "close it without charge")
    assert refused.value.code == "toner.charge_unpriced"
    record, _ = _record(app)
    assert record.status.value == "under_review"


def test_cartridges_shipped_to_an_agreement_without_a_setup_get_a_card_in_findings_open(
    app: App, system: Actor
) -> None:
    from cashtrail.contracts.terms import month_period
    from cashtrail.toner.model import BillingLine
    from tests.toner_scenario import mps_contract

    worked_example(app)
    mps_contract(app, number="MPS-2")
    with app.uow() as uow:
        uow.toner.put_shipments([ShipmentLine("T1", 1, date(2026, 2, 3), "X", 2, "U2", "MPS-2", "", "D1")])
        uow.toner.put_billing([BillingLine("MPS-2", month_period("2026-02"), 9_000, 0, 2, "INV-9")], "test")
        uow.commit()
    summary = run_reconciliation(app.uow(), app.clock, system, "2026")
    with app.uow() as uow:
        [record] = uow.toner_board.records(agreements=["MPS-2"])
        codes = [f.code for f in uow.toner_board.findings([record.id])]
    assert (record.period_label, record.status.value, record.owner) == ("2026-Q1", "findings_open", "unassigned")
    assert record.result == {}
    assert "no_toner_contract" in codes
    assert summary.findings["no_toner_contract"] == 1


def test_withdrawing_an_approval_cancels_the_unbilled_charge(app: App, system: Actor) -> None:
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "figures checked")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "approved", "go")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "customer contests the reads")
    record, _ = _record(app)
    with app.uow() as uow:
        assert billing_hook.billed(uow, record) == {}
        [state] = uow.pending_charges.of_origin("toner", record.key)
    assert state.status == "cancelled"
    result = run_bill_run(app.uow(), app.clock, system, "2026-04")
    assert all(c.kind != "toner" for d in result.drafts for c in d.lines)


def test_rows_read_in_bulk_for_a_run_are_the_rows_their_constructors_build(app: App) -> None:
    worked_example(app)
    with app.uow() as uow:
        lines = uow.toner.shipments(date(2025, 1, 1), date(2026, 12, 31), [AGREEMENT])
        bills = uow.toner.billing(date(2025, 1, 1), date(2026, 12, 31), [AGREEMENT])
        one_by_one = uow.toner.shipments_by_ids(line.row_id for line in lines if line.row_id is not None)
        bills_one_by_one = uow.toner.billing_by_ids(b.row_id for b in bills if b.row_id is not None)
    assert lines
    assert bills
    assert [_every_field(line) for line in lines] == [_every_field(line) for line in one_by_one]
    assert [_every_field(b) for b in bills] == [_every_field(b) for b in bills_one_by_one]


def _every_field(row: Any) -> dict[str, Any]:
    """Every field with its value, ``row_id`` included (equality leaves it out); rows have slots, not ``vars``."""
    return {f.name: getattr(row, f.name) for f in fields(row)}
