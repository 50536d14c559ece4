"""Correcting a cartridge part's rated yield or colour on every cost row, audited; the run then uses it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.bootstrap import App
from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor, Role
from cashtrail.imports.services import run_import
from cashtrail.toner.catalog_services import correct_part
from cashtrail.toner.errors import PartNotFound
from cashtrail.toner.model import CartridgePart, TonerColour
from cashtrail.toner.run_services import run_reconciliation
from tests.toner_scenario import AGREEMENT, worked_example

HEADER = ["part_number", "colour", "rated_yield", "cost", "currency", "valid_from"]


def _x_rows(app: App) -> list[CartridgePart]:
    with app.uow() as uow:
        return [p for p in uow.toner.parts() if p.part_number == "X"]


def _shipped(app: App) -> int:
    with app.uow() as uow:
        record = uow.toner_board.get(AGREEMENT, date(2026, 1, 1), date(2026, 3, 31))
    assert record is not None
    return int(record.result["colours"][0]["capacity_shipped"])


def test_a_wrong_yield_is_corrected_on_every_cost_row_and_the_next_run_uses_it(app: App, system: Actor) -> None:
    worked_example(app)
    with app.uow() as uow:  # a later cost row of the same part
        uow.toner.put_part(CartridgePart("X", TonerColour.BLACK, 10_000, Decimal(84), "EUR", date(2026, 7, 1)))
        uow.commit()
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    assert _shipped(app) == 140_000
    rows = correct_part(app.uow(), app.clock, system, "X", rated_yield=12_000, reason="vendor datasheet says 12k")
    assert [(r.rated_yield, r.cost) for r in rows] == [(12_000, Decimal(80)), (12_000, Decimal(84))]
    assert [r.rated_yield for r in _x_rows(app)] == [12_000, 12_000]
    with app.uow() as uow:
        [event] = uow.audit.for_entity("toner_part", "X")
    assert (event.action, event.changes, event.reason) == (
        "toner_part.corrected",
        {"rated_yield": [10_000, 12_000]},
        "vendor datasheet says 12k",
    )
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    assert _shipped(app) == 14 * 12_000  # 15 shipped, 1 returned, 1 defective replacement (counted 0)
    correct_part(app.uow(), app.clock, system, "X", rated_yield=12_000, reason="again")  # the same facts
    with app.uow() as uow:
        assert len(uow.audit.for_entity("toner_part", "X")) == 1


def test_the_import_refuses_a_changed_yield_and_points_to_the_correction(app: App, system: Actor) -> None:
    worked_example(app)
    rows = [(2, ["X", "black", "12000", "80.00", "EUR", "2025-01-01"])]
    with pytest.raises(ValidationFailed) as refused:
        run_import(app.uow(), app.clock, system, "toner-parts", "parts.csv", HEADER, rows)
    [error] = refused.value.errors
    assert (error.row, error.field) == (2, "rated_yield")
    assert "correct-part" in error.message
    assert [r.rated_yield for r in _x_rows(app)] == [10_000]


def test_a_correction_names_what_is_missing_or_wrong_and_changes_nothing(app: App, system: Actor) -> None:
    worked_example(app)
    with pytest.raises(ValidationFailed) as refused:
        correct_part(app.uow(), app.clock, system, "X", colour="purple", rated_yield=0, reason=" ")
    assert {e.field for e in refused.value.errors} == {"colour", "rated_yield", "reason"}
    with pytest.raises(ValidationFailed):
        correct_part(app.uow(), app.clock, system, "X", reason="nothing given")
    with pytest.raises(PartNotFound):
        correct_part(app.uow(), app.clock, system, "NOPE", rated_yield=1_000, reason="typo")
    collector = Actor("cora", frozenset({Role.COLLECTOR}))
    with pytest.raises(PermissionDenied):
        correct_part(app.uow(), app.clock, collector, "X", rated_yield=12_000, reason="not mine to fix")
    assert [(r.colour, r.rated_yield) for r in _x_rows(app)] == [(TonerColour.BLACK, 10_000)]
