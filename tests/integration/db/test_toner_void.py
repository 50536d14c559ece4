"""Voiding shipment lines on a real database (SQLite and PostgreSQL): kept but no longer counted, refused whole
when anything named is unknown, idempotent, audited, and not undone by re-importing the upload."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cashtrail.audit.model import AuditEvent
from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.db import toner_tables as tt
from cashtrail.errors import PermissionDenied
from cashtrail.files.tabular import read_table
from cashtrail.identity.model import Actor, Role
from cashtrail.imports.services import run_import
from cashtrail.toner.board_services import move_record
from cashtrail.toner.errors import ShipmentNotFound, UploadNotFound, VoidIncomplete
from cashtrail.toner.run_services import run_reconciliation
from cashtrail.toner.shipment_services import void_shipments
from tests import factories
from tests.toner_scenario import AGREEMENT, example_shipments, worked_example

START, END = date(2026, 1, 1), date(2026, 3, 31)
TINA = Actor("tina", frozenset({Role.TONER_SPECIALIST}))
#: S1 of upload U1 sent again in upload U2: the same cartridges counted twice.
DUPLICATE = replace(example_shipments()[0], upload_id="U2")


def _record(app: App) -> tuple[Any, list[str]]:
    with app.uow() as uow:
        found = uow.toner_board.get(AGREEMENT, START, END)
        assert found is not None
        return found, [f.code for f in uow.toner_board.findings([found.id])]


def _rows(app: App) -> list[tuple[Any, ...]]:
    """Every stored shipment line with its void columns, by id."""
    c = tt.toner_shipments.c
    query = select(c.upload_id, c.shipment_id, c.line, c.voided_at, c.voided_by, c.void_reason).order_by(c.id)
    with app.uow() as uow:
        return [tuple(r) for r in uow.session.execute(query)]


def _events(app: App, upload: str) -> list[AuditEvent]:
    with app.uow() as uow:
        return list(uow.audit.for_entity("toner_upload", upload))


def _audit_count(app: App) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(t.audit_events)))


def test_voiding_a_duplicate_line_drops_its_finding_and_its_capacity_from_the_next_run(app: App, system: Actor) -> None:
    worked_example(app, shipments=[*example_shipments(), DUPLICATE])
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    before, codes = _record(app)
    assert "duplicate_shipment" in codes
    assert before.result["colours"][0]["capacity_shipped"] == 220_000
    assert before.total_charge == Decimal("704.00")

    result = void_shipments(
        app.uow(), app.clock, TINA, upload_id="U2", shipment_ids=[("S1", 1)], reason="sent twice, see U1"
    )
    assert (result.count, result.voided, result.already_voided) == (1, ("S1:1",), ())
    assert (result.records_to_rerun, result.frozen_records) == ((f"{AGREEMENT}@2026-Q1",), ())
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    after, codes = _record(app)
    assert "duplicate_shipment" not in codes
    assert after.result["colours"][0]["capacity_shipped"] == 140_000
    assert after.total_charge == Decimal("64.00")
    assert after.errors_open == 0


def test_voiding_a_whole_upload_keeps_its_lines_stored_but_out_of_every_run_read(app: App, system: Actor) -> None:
    worked_example(app)
    result = void_shipments(app.uow(), app.clock, TINA, upload_id="U1", shipment_ids=None, reason="wrong file")
    assert result.voided == ("S1:1", "S2:1", "S3:1", "S4:1")
    rows = _rows(app)
    assert len(rows) == 4
    assert {(r[4], r[5]) for r in rows} == {("tina", "wrong file")}
    assert all(r[3] == app.clock.now() for r in rows)
    with app.uow() as uow:
        assert uow.toner.shipments(START, END) == []
        assert uow.toner.shipments(START, END, [AGREEMENT]) == []
        assert uow.toner.shipped_agreements(START, END) == set()
        stored = uow.toner.upload_lines("U1")
        # Traces by id still show the rows a stored record's figures came from.
        assert len(uow.toner.shipments_by_ids(row_id for row_id, _ in stored.values())) == 4
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    record, _ = _record(app)
    assert record.result["colours"][0]["capacity_shipped"] == 0


def test_an_unknown_upload_or_line_is_refused_and_nothing_changes(app: App) -> None:
    worked_example(app)
    audited = _audit_count(app)
    with pytest.raises(UploadNotFound) as unknown:
        void_shipments(app.uow(), app.clock, TINA, upload_id="U9", shipment_ids=None, reason="x")
    assert unknown.value.code == "toner.upload_not_found"
    with pytest.raises(ShipmentNotFound) as missing:
        void_shipments(app.uow(), app.clock, TINA, upload_id="U1", shipment_ids=[("S1", 1), ("S9", 2)], reason="x")
    assert missing.value.code == "toner.shipment_not_found"
    assert missing.value.fields["lines"] == ["S9:2"]
    assert all(r[3] is None for r in _rows(app))
    assert _audit_count(app) == audited


def test_a_void_needs_a_reason_and_at_least_one_named_line(app: App) -> None:
    worked_example(app)
    for reason, lines in (("  ", None), ("dup", [])):
        with pytest.raises(VoidIncomplete) as refused:
            void_shipments(app.uow(), app.clock, TINA, upload_id="U1", shipment_ids=lines, reason=reason)
        assert refused.value.code == "toner.void_incomplete"
    assert all(r[3] is None for r in _rows(app))


def test_only_a_user_who_may_run_toner_may_void(app: App) -> None:
    worked_example(app)
    collector = Actor("cole", frozenset({Role.COLLECTOR}))
    with pytest.raises(PermissionDenied):
        void_shipments(app.uow(), app.clock, collector, upload_id="U1", shipment_ids=None, reason="x")
    assert all(r[3] is None for r in _rows(app))


def test_voiding_again_voids_nothing_keeps_the_first_void_and_writes_no_event(app: App) -> None:
    worked_example(app)
    void_shipments(app.uow(), app.clock, TINA, upload_id="U1", shipment_ids=[("S2", 1)], reason="first")
    rows, audited = _rows(app), _audit_count(app)
    other = Actor("tom", frozenset({Role.TONER_SPECIALIST}))
    again = void_shipments(app.uow(), app.clock, other, upload_id="U1", shipment_ids=[("S2", 1)], reason="second")
    assert (again.count, again.voided, again.already_voided) == (0, (), ("S2:1",))
    assert (_rows(app), _audit_count(app)) == (rows, audited)
    whole = void_shipments(app.uow(), app.clock, other, upload_id="U1", shipment_ids=None, reason="whole")
    assert (whole.voided, whole.already_voided) == (("S1:1", "S3:1", "S4:1"), ("S2:1",))
    assert [r[4:] for r in _rows(app)] == [("tom", "whole"), ("tina", "first"), ("tom", "whole"), ("tom", "whole")]


def test_a_void_is_audited_once_with_the_upload_its_lines_and_their_count(app: App) -> None:
    worked_example(app, shipments=[*example_shipments(), DUPLICATE])
    void_shipments(app.uow(), app.clock, TINA, upload_id="U2", shipment_ids=[("S1", 1)], reason="sent twice")
    [event] = _events(app, "U2")
    assert (event.action, event.actor, event.reason) == ("toner_upload.voided", "tina", "sent twice")
    assert event.changes == {"count": [None, 1], "lines": [None, ["S1:1"]]}


def test_a_record_under_review_is_named_and_left_alone_by_the_next_run(app: App, system: Actor) -> None:
    worked_example(app, shipments=[*example_shipments(), DUPLICATE])
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "under_review", "look")
    result = void_shipments(app.uow(), app.clock, TINA, upload_id="U2", shipment_ids=None, reason="sent twice")
    assert (result.frozen_records, result.records_to_rerun) == ((f"{AGREEMENT}@2026-Q1",), ())
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    assert _record(app)[0].total_charge == Decimal("704.00")
    move_record(app.uow(), app.clock, system, AGREEMENT, "2026-Q1", "data_pending", "upload U2 voided")
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    assert _record(app)[0].total_charge == Decimal("64.00")


def _import(app: App, path: Path) -> Any:
    table, errors = read_table(path)
    assert table is not None, errors
    return run_import(app.uow(), app.clock, Actor.system(), "toner-shipments", table.name, table.header, table.rows)


RESENT = [{"shipment_id": "S1", "shipped_on": "2026-01-10", "agreement": AGREEMENT, "serial": "D1",
           "part_number": "X", "quantity": "8"}]  # fmt: skip


def test_re_importing_a_voided_upload_keeps_its_lines_voided_and_adds_none(
    app: App, system: Actor, tmp_path: Path
) -> None:
    worked_example(app)
    path = factories.csv_file(tmp_path / "resent.csv", RESENT)
    assert _import(app, path).created == 1
    void_shipments(app.uow(), app.clock, TINA, upload_id="resent.csv", shipment_ids=None, reason="sent twice")
    rows = _rows(app)
    report = _import(app, path)
    assert (report.created, report.updated) == (0, 0)
    (tmp_path / "again").mkdir()
    changed = factories.csv_file(tmp_path / "again" / "resent.csv", [{**RESENT[0], "quantity": "9"}])
    assert _import(app, changed).updated == 1  # a corrected line of the same upload is updated, still voided
    after = _rows(app)
    assert len(after) == len(rows) == 5
    assert [r for r in after if r[0] == "resent.csv"] == [r for r in rows if r[0] == "resent.csv"]
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    record, codes = _record(app)
    assert "duplicate_shipment" not in codes
    assert record.total_charge == Decimal("64.00")
