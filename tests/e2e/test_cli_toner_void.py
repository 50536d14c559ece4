"""Voiding toner shipment lines from the command line, through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from tests.toner_scenario import example_shipments, worked_example

pytestmark = pytest.mark.slow
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_duplicate_line_is_voided_from_the_command_line_and_the_next_run_drops_its_charge(tmp_path):
    db = tmp_path / "toner.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    upgrade(app.engine)
    worked_example(app, shipments=[*example_shipments(), replace(example_shipments()[0], upload_id="U2")])
    app.engine.dispose()

    assert json.loads(_cli(db, "toner", "run", "--period", "2026-Q1", "--json").stdout)["charges"] == {"EUR": "704.00"}
    assert _cli(db, "toner", "void", "U2", "--line", "S1", "--reason", "dup").returncode == 2
    assert _cli(db, "toner", "void", "U2", "--line", "S1:1", "--reason", " ").returncode == 2
    unknown = _cli(db, "toner", "void", "U2", "--line", "S9:1", "--reason", "dup")
    assert unknown.returncode == 3
    assert "toner.shipment_not_found" in unknown.stderr
    assert _cli(db, "toner", "void", "U9", "--reason", "dup").returncode == 3

    voided = _cli(db, "toner", "void", "U2", "--line", "S1:1", "--reason", "sent twice", "--json")
    assert voided.returncode == 0, voided.stderr
    assert json.loads(voided.stdout) == {
        "upload_id": "U2",
        "voided": 1,
        "lines": ["S1:1"],
        "already_voided": [],
        "records_to_rerun": ["MPS-1@2026-Q1"],
        "records_to_move_back": [],
    }
    again = _cli(db, "toner", "void", "U2", "--reason", "sent twice")
    assert again.returncode == 0, again.stderr
    assert "voided 0 line(s) of upload U2" in again.stdout
    assert json.loads(_cli(db, "toner", "run", "--period", "2026-Q1", "--json").stdout)["charges"] == {"EUR": "64.00"}


def test_voiding_lines_of_a_record_under_review_prints_how_to_recalculate_it(tmp_path):
    db = tmp_path / "toner.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    upgrade(app.engine)
    worked_example(app)
    app.engine.dispose()

    assert _cli(db, "toner", "run", "--period", "2026-Q1").returncode == 0
    assert _cli(db, "toner", "move", "MPS-1", "2026-Q1", "under_review", "--reason", "look").returncode == 0
    voided = _cli(db, "toner", "void", "U1", "--line", "S2:1", "--reason", "wrong device")
    assert voided.returncode == 0, voided.stderr
    text = " ".join(voided.stdout.split())
    assert "voided 1 line(s) of upload U1" in text
    assert "move those back to data pending first" in text
    assert "MPS-1@2026-Q1 used a voided line and is under review or later: move it back to data pending" in text
