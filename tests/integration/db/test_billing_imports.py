"""Importing meter reads, service jobs and index values: whole-file checks, idempotent, then billed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cashtrail.billing.services import run_bill_run
from cashtrail.billing.usage import Tier
from cashtrail.contracts.model import Contract, Device, MeterPlan
from cashtrail.contracts.services import register_contract
from cashtrail.db import billing_tables as bt
from cashtrail.errors import ValidationFailed
from cashtrail.files.tabular import read_table
from cashtrail.imports.services import run_import
from tests import factories


def _import(app, actor, kind, path):
    table, errors = read_table(path)
    assert table is not None, errors
    return run_import(app.uow(), app.clock, actor, kind, table.name, table.header, table.rows)


def _count(app, table) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)))


@pytest.fixture
def contracts(app, system):
    factories.customer(app, number="C1")
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
            meter_plans=[MeterPlan("mono", (Tier(None, Decimal("0.01")),))],
            devices=[Device("S1", "MX", "HQ", date(2026, 1, 1))],
        ),
    )
    factories.lift_contract(app, fee="100", callout_rate="80")
    return app


READS = [
    {"serial": "S1", "meter_type": "mono", "read_on": "2026-03-31", "value": "1000"},
    {"serial": "S1", "meter_type": "mono", "read_on": "2026-04-30", "value": "3500"},
]


def test_meter_reads_import_once_and_feed_the_bill_run(contracts, system, tmp_path):
    path = factories.csv_file(tmp_path / "reads.csv", READS)
    assert _import(contracts, system, "meter-reads", path).created == 2
    again = _import(contracts, system, "meter-reads", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _count(contracts, bt.meter_reads) == 2
    result = run_bill_run(contracts.uow(), contracts.clock, system, "2026-04", preview=True)
    usage = [c for d in result.drafts for c in d.lines if c.kind == "usage"]
    assert [(c.quantity, str(c.amount.amount)) for c in usage] == [(Decimal(2500), "25.00")]


def test_a_rollback_and_an_unknown_serial_reject_the_whole_file_with_row_numbers(contracts, system, tmp_path):
    rows = [
        *READS,
        {"serial": "S1", "meter_type": "mono", "read_on": "2026-05-31", "value": "3000"},
        {"serial": "NOPE", "meter_type": "mono", "read_on": "2026-04-30", "value": "10"},
    ]
    path = factories.csv_file(tmp_path / "bad-reads.csv", rows)
    with pytest.raises(ValidationFailed) as caught:
        _import(contracts, system, "meter-reads", path)
    problems = sorted((e.row, e.field) for e in caught.value.errors)
    assert problems == [(4, "value"), (5, "serial")]
    assert all(e.source == "bad-reads.csv" for e in caught.value.errors)
    assert _count(contracts, bt.meter_reads) == 0


def test_a_replacement_read_is_accepted_with_the_old_meters_final_value(contracts, system, tmp_path):
    rows = [
        *READS,
        {
            "serial": "S1",
            "meter_type": "mono",
            "read_on": "2026-05-15",
            "value": "0",
            "kind": "replacement",
            "old_meter_final": "4000",
        },
    ]
    assert _import(contracts, system, "meter-reads", factories.csv_file(tmp_path / "r.csv", rows)).created == 3


def test_service_jobs_import_with_parts_and_are_billed_when_back_reported(contracts, system, tmp_path):
    jobs = [
        {
            "job_id": "WO-1",
            "contract": "LIFT-1",
            "unit": "L1",
            "kind": "repair",
            "completed_on": "2026-04-03",
            "normal_minutes": "90",
            "parts": "ROLLER*2@35.00",
            "back_reported": "true",
        },
        {
            "job_id": "WO-2",
            "contract": "LIFT-1",
            "unit": "L1",
            "kind": "breakdown",
            "completed_on": "2026-04-09",
            "out_of_hours_minutes": "30",
            "back_reported": "false",
        },
    ]
    report = _import(contracts, system, "service-jobs", factories.csv_file(tmp_path / "jobs.csv", jobs))
    assert report.created == 2
    result = run_bill_run(contracts.uow(), contracts.clock, system, "2026-04", preview=True)
    billed = {c.key for d in result.drafts for c in d.lines if c.kind == "repair"}
    assert billed == {"LIFT-1:job:WO-1:0", "LIFT-1:job:WO-1:1"}
    assert any(f.reason == "job_not_back_reported" for f in result.findings)


def test_a_job_on_a_unit_the_contract_lacks_is_refused(contracts, system, tmp_path):
    jobs = [
        {
            "job_id": "WO-9",
            "contract": "LIFT-1",
            "unit": "L9",
            "kind": "repair",
            "completed_on": "2026-04-03",
            "parts": "ROLLER x2",
        }
    ]
    with pytest.raises(ValidationFailed) as caught:
        _import(contracts, system, "service-jobs", factories.csv_file(tmp_path / "jobs.csv", jobs))
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "unit")]
    assert _count(contracts, bt.service_jobs) == 0


def test_index_values_import_and_a_changed_value_is_an_audited_update(contracts, system, tmp_path):
    rows = [
        {"series": "FD", "month": "2024-01", "value": "116.8"},
        {"series": "FD", "month": "2024-07", "value": "120.2"},
    ]
    assert _import(contracts, system, "index-values", factories.csv_file(tmp_path / "i.csv", rows)).created == 2
    rows[1]["value"] = "120.3"
    assert _import(contracts, system, "index-values", factories.csv_file(tmp_path / "i.csv", rows)).updated == 1
    with contracts.uow() as uow:
        assert uow.indices.values(["FD"])[("FD", "2024-07")] == Decimal("120.3")
        assert [e.action for e in uow.audit.for_entity("index_value", "FD|2024-07")] == ["index_value.set"] * 2
    bad = [{"series": "FD", "month": "2024-13", "value": "1"}]
    with pytest.raises(ValidationFailed):
        _import(contracts, system, "index-values", factories.csv_file(tmp_path / "bad.csv", bad))


def test_a_back_dated_read_above_a_stored_later_read_is_refused(contracts, system, tmp_path):
    _import(contracts, system, "meter-reads", factories.csv_file(tmp_path / "reads.csv", READS))
    late = [{"serial": "S1", "meter_type": "mono", "read_on": "2026-04-15", "value": "3600"}]
    with pytest.raises(ValidationFailed) as caught:
        _import(contracts, system, "meter-reads", factories.csv_file(tmp_path / "late.csv", late))
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "value")]
    assert "later read 3500" in caught.value.errors[0].message


def test_a_job_with_start_and_end_is_split_into_rate_classes_by_the_contracts_hours(contracts, system, tmp_path):
    jobs = [
        {
            "job_id": "WO-7",
            "contract": "LIFT-1",
            "unit": "L1",
            "kind": "breakdown",
            "completed_on": "2026-04-14",
            "started_at": "2026-04-14T16:20:00+02:00",
            "ended_at": "2026-04-14T18:05:00+02:00",
            "travel": "false",
        }
    ]
    assert _import(contracts, system, "service-jobs", factories.csv_file(tmp_path / "jobs.csv", jobs)).created == 1
    result = run_bill_run(contracts.uow(), contracts.clock, system, "2026-04", preview=True)
    lines = [(c.description, str(c.amount.amount)) for d in result.drafts for c in d.lines if c.kind == "callout"]
    # 16:20–17:00 normal 40 → 45 min at 80 = 60.00; 17:00–18:05 out of hours 65 → 75 min at 80 (no multiplier) = 100.00
    assert lines == [("Labour normal (job WO-7)", "60.00"), ("Labour out of hours (job WO-7)", "100.00")]


def test_a_job_ending_before_it_starts_is_refused(contracts, system, tmp_path):
    jobs = [
        {
            "job_id": "WO-8",
            "contract": "LIFT-1",
            "unit": "L1",
            "kind": "breakdown",
            "completed_on": "2026-04-14",
            "started_at": "2026-04-14T18:00:00+02:00",
            "ended_at": "2026-04-14T17:00:00+02:00",
        }
    ]
    with pytest.raises(ValidationFailed) as caught:
        _import(contracts, system, "service-jobs", factories.csv_file(tmp_path / "jobs.csv", jobs))
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "ended_at")]
