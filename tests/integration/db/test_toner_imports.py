"""Toner imports on a real database: whole-file checks naming file, row and column; nothing half-written; a
re-import changes nothing; then the imported rows reconcile to worked example 1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cashtrail.db import tables as t
from cashtrail.db import toner_tables as tt
from cashtrail.errors import ValidationFailed
from cashtrail.files.tabular import read_table
from cashtrail.imports.services import run_import
from cashtrail.toner.run_services import run_reconciliation
from tests import factories
from tests.toner_scenario import mps_contract

PARTS = [{"part_number": "X", "colour": "black", "rated_yield": "10000", "cost": "80.00", "currency": "EUR",
          "valid_from": "2025-01-01"}]  # fmt: skip
MAPPINGS = [{"model": "M1", "part_number": "X"}, {"model": "M2", "part_number": "X", "starter_yield": "5000"}]
SETUPS = [{"agreement": "MPS-1", "valid_from": "2026-01-01", "currency": "EUR", "allowance_percent": "5",
           "tolerance_percent": "10", "period": "quarterly", "pooling": "per_agreement", "reference_black": "X",
           "owner": "tina"}]  # fmt: skip
SHIPMENTS = [
    {"shipment_id": "S1", "shipped_on": "2026-01-10", "agreement": "MPS-1", "serial": "D1", "part_number": "X",
     "quantity": "8"},
    {"shipment_id": "S2", "shipped_on": "2026-02-10", "agreement": "MPS-1", "serial": "D2", "part_number": "X",
     "quantity": "7"},
    {"shipment_id": "S3", "shipped_on": "2026-03-01", "agreement": "MPS-1", "serial": "D1", "part_number": "X",
     "quantity": "1", "status": "returned"},
    {"shipment_id": "S4", "shipped_on": "2026-03-02", "agreement": "MPS-1", "serial": "D2", "part_number": "X",
     "quantity": "1", "status": "defective_replacement"},
]  # fmt: skip
BILLING = [
    {"agreement": "MPS-1", "period_start": f"2026-0{m}-01", "period_end": f"2026-0{m}-{d}", "serial": s,
     "mono_pages": "20000", "billed_asset_count": "1", "invoice_number": f"ERP-{m}"}
    for m, d in ((1, 31), (2, 28), (3, 31))
    for s in ("D1", "D2")
]  # fmt: skip


def _import(app, actor, kind, path):
    table, errors = read_table(path)
    assert table is not None, errors
    return run_import(app.uow(), app.clock, actor, kind, table.name, table.header, table.rows)


def _count(app, table) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)))


@pytest.fixture
def agreement(app):
    factories.payment_terms(app)
    factories.customer(app, number="C1", country="BE")
    mps_contract(app)
    return app


def _all(app, system, folder):
    for kind, rows in (("toner-parts", PARTS), ("toner-mappings", MAPPINGS), ("toner-setups", SETUPS),
                       ("toner-shipments", SHIPMENTS), ("toner-billing", BILLING)):  # fmt: skip
        _import(app, system, kind, factories.csv_file(folder / f"{kind}.csv", rows))


def test_the_five_toner_files_import_and_reconcile_to_worked_example_1(agreement, system, tmp_path):
    _all(agreement, system, tmp_path)
    run_reconciliation(agreement.uow(), agreement.clock, system, "2026-Q1")
    with agreement.uow() as uow:
        [record] = uow.toner_board.records()
    assert record.total_charge == Decimal("64.00")


def test_re_importing_the_same_files_changes_nothing(agreement, system, tmp_path):
    _all(agreement, system, tmp_path)
    before = {table.name: _count(agreement, table) for table in (*tt.metadata.sorted_tables,)}
    for kind, name in (("toner-shipments", "toner-shipments.csv"), ("toner-billing", "toner-billing.csv")):
        report = _import(agreement, system, kind, tmp_path / name)
        assert (report.created, report.updated, report.unchanged) == (0, 0, report.rows)
    assert {table.name: _count(agreement, table) for table in tt.metadata.sorted_tables} == before


def test_the_same_lines_in_another_upload_are_stored_and_found_as_duplicates(agreement, system, tmp_path):
    _all(agreement, system, tmp_path)
    _import(agreement, system, "toner-shipments", factories.csv_file(tmp_path / "resent.csv", SHIPMENTS[:1]))
    assert _count(agreement, tt.toner_shipments) == 5
    run_reconciliation(agreement.uow(), agreement.clock, system, "2026-Q1")
    with agreement.uow() as uow:
        codes = [f.code for f in uow.toner_board.findings([uow.toner_board.records()[0].id])]
    assert "duplicate_shipment" in codes


def test_a_bad_shipment_file_is_refused_whole_with_file_row_and_column(agreement, system, tmp_path):
    rows = [*SHIPMENTS, {"shipment_id": "S5", "shipped_on": "2026-02-30", "agreement": "MPS-1", "part_number": "X",
                         "quantity": "1"},
            {"shipment_id": "S6", "shipped_on": "2026-02-03", "part_number": "X", "quantity": "0"},
            {"shipment_id": "S7", "shipped_on": "2026-02-03", "agreement": "MPS-1", "part_number": "X",
             "quantity": "1", "status": "lost"}]  # fmt: skip
    path = factories.csv_file(tmp_path / "bad-shipments.csv", rows)
    records_before = _count(agreement, t.import_records)
    with pytest.raises(ValidationFailed) as refused:
        _import(agreement, system, "toner-shipments", path)
    found = {(e.source, e.row, e.field) for e in refused.value.errors}
    assert found == {
        ("bad-shipments.csv", 6, "shipped_on"),
        ("bad-shipments.csv", 7, "quantity"),
        ("bad-shipments.csv", 8, "status"),
    }
    assert _count(agreement, tt.toner_shipments) == 0
    assert _count(agreement, t.import_records) == records_before


def test_reference_data_rules_are_checked_for_the_whole_file(agreement, system, tmp_path):
    _import(agreement, system, "toner-parts", factories.csv_file(tmp_path / "parts.csv", PARTS))
    bad_parts = [{**PARTS[0], "valid_from": "2026-06-01", "rated_yield": "12000"}, {**PARTS[0], "part_number": "Y",
                 "currency": "euro", "valid_from": "2026-01-01"}]  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        _import(agreement, system, "toner-parts", factories.csv_file(tmp_path / "parts-2.csv", bad_parts))
    assert {(e.row, e.field) for e in refused.value.errors} == {(2, "rated_yield"), (3, "currency")}
    with pytest.raises(ValidationFailed) as unmapped:
        _import(agreement, system, "toner-mappings", factories.csv_file(tmp_path / "m.csv", [{"model": "M1",
                "part_number": "NOPE"}]))  # fmt: skip
    assert [(e.row, e.field) for e in unmapped.value.errors] == [(2, "part_number")]
    bad_setup = [{**SETUPS[0], "agreement": "MPS-404", "pricing": "per_cartridge", "reference_black": ""}]
    with pytest.raises(ValidationFailed) as setups:
        _import(agreement, system, "toner-setups", factories.csv_file(tmp_path / "s.csv", bad_setup))
    assert {e.field for e in setups.value.errors} == {"agreement", "price_per_cartridge", "reference_parts"}
    assert _count(agreement, tt.toner_parts) == 1
    assert _count(agreement, tt.toner_setups) == 0


def test_a_billing_report_line_for_an_unknown_agreement_or_a_backwards_period_is_refused(agreement, system, tmp_path):
    rows = [{**BILLING[0], "agreement": "MPS-404"}, {**BILLING[1], "period_end": "2025-12-31"}]
    with pytest.raises(ValidationFailed) as refused:
        _import(agreement, system, "toner-billing", factories.csv_file(tmp_path / "erp.csv", rows))
    assert {(e.row, e.field) for e in refused.value.errors} == {(2, "agreement"), (3, "period_end")}
    assert _count(agreement, tt.toner_billing_lines) == 0
