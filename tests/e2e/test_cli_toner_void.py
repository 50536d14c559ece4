"""Voiding toner shipment lines from the command line, through the real console script."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.e2e.toner_cli import cli, toner_db
from tests.toner_scenario import example_shipments, worked_example

pytestmark = pytest.mark.slow


def test_a_duplicate_line_is_voided_from_the_command_line_and_the_next_run_drops_its_charge(tmp_path):
    db = toner_db(
        tmp_path,
        lambda app: worked_example(
            app, shipments=[*example_shipments(), replace(example_shipments()[0], upload_id="U2")]
        ),
    )

    assert json.loads(cli(db, "toner", "run", "--period", "2026-Q1", "--json").stdout)["charges"] == {"EUR": "704.00"}
    assert cli(db, "toner", "void", "U2", "--line", "S1", "--reason", "dup").returncode == 2
    assert cli(db, "toner", "void", "U2", "--line", "S1:1", "--reason", " ").returncode == 2
    unknown = cli(db, "toner", "void", "U2", "--line", "S9:1", "--reason", "dup")
    assert unknown.returncode == 3
    assert "toner.shipment_not_found" in unknown.stderr
    assert cli(db, "toner", "void", "U9", "--reason", "dup").returncode == 3

    voided = cli(db, "toner", "void", "U2", "--line", "S1:1", "--reason", "sent twice", "--json")
    assert voided.returncode == 0, voided.stderr
    assert json.loads(voided.stdout) == {
        "upload_id": "U2",
        "voided": 1,
        "lines": ["S1:1"],
        "already_voided": [],
        "records_to_rerun": ["MPS-1@2026-Q1"],
        "records_to_move_back": [],
    }
    again = cli(db, "toner", "void", "U2", "--reason", "sent twice")
    assert again.returncode == 0, again.stderr
    assert "voided 0 line(s) of upload U2" in again.stdout
    assert json.loads(cli(db, "toner", "run", "--period", "2026-Q1", "--json").stdout)["charges"] == {"EUR": "64.00"}


def test_voiding_lines_of_a_record_under_review_prints_how_to_recalculate_it(tmp_path):
    db = toner_db(tmp_path, worked_example)

    assert cli(db, "toner", "run", "--period", "2026-Q1").returncode == 0
    assert cli(db, "toner", "move", "MPS-1", "2026-Q1", "under_review", "--reason", "look").returncode == 0
    voided = cli(db, "toner", "void", "U1", "--line", "S2:1", "--reason", "wrong device")
    assert voided.returncode == 0, voided.stderr
    text = " ".join(voided.stdout.split())
    assert "voided 1 line(s) of upload U1" in text
    assert "move those back to data pending first" in text
    assert "MPS-1@2026-Q1 used a voided line and is under review or later: move it back to data pending" in text
