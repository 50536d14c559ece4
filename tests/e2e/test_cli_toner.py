"""The toner CLI end to end through the real console script: run, board, findings, move, export, trend."""

from __future__ import annotations

import json
import os

import pytest
from openpyxl import load_workbook

from cashtrail.toner.model import ReconciliationPeriod
from tests.e2e.toner_cli import cli, toner_db
from tests.toner_scenario import same_agreement, worked_example

pytestmark = pytest.mark.slow


def test_toner_reconciliation_from_the_command_line(tmp_path):
    db = toner_db(tmp_path, worked_example)

    assert cli(db, "toner", "run", "--period", "Q1").returncode == 2
    run = cli(db, "toner", "run", "--period", "2026-Q1", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["charges"] == {"EUR": "64.00"}
    again = json.loads(cli(db, "toner", "run", "--period", "2026", "--workers", "2", "--json").stdout)
    assert (again["records"], again["statuses"], again["charges"]) == (
        4,
        {"calculated": 1, "data_pending": 3},
        {"EUR": "64.00"},
    )
    [card] = json.loads(cli(db, "toner", "board", "--country", "BE", "--period", "2026-Q1", "--json").stdout)
    assert (card["agreement"], card["period"], card["status"]) == ("MPS-1", "2026-Q1", "calculated")
    assert json.loads(cli(db, "toner", "findings", "--json").stdout) == []
    refused = cli(db, "toner", "move", "MPS-1", "2026-Q1", "closed", "--reason", "skip")
    assert refused.returncode == 4
    assert "toner.transition_not_allowed" in refused.stderr
    moved = cli(db, "toner", "move", "MPS-1", "2026-Q1", "under_review", "--reason", "checked")
    assert moved.returncode == 0, moved.stderr
    export = cli(db, "toner", "export", "--country", "BE", "--period", "2026-Q1", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    country = load_workbook(tmp_path / "toner-BE-2026-Q1.xlsx")
    summary = country["Summary"]
    assert (country["Shipments"].max_row, country["Billing"].max_row) == (1 + 4, 1 + 6)
    assert (summary["A2"].value, summary["E2"].value, summary["L2"].value) == ("MPS-1", "under_review", 64)
    corrected = cli(db, "toner", "correct-part", "X", "--yield", "12000", "--reason", "datasheet")
    assert corrected.returncode == 0, corrected.stderr
    assert "part X is black with yield 12000 (1 cost row(s))" in corrected.stdout
    assert cli(db, "toner", "correct-part", "X", "--reason", "nothing given").returncode != 0
    png = tmp_path / "trend.png"
    trend = cli(db, "toner", "trend", "--by", "agreement", "--value", "MPS-1", "--png", str(png), "--json")
    assert trend.returncode == 0, trend.stderr
    assert json.loads(trend.stdout)[0]["coverage_black"] == "5.83"
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_a_run_over_several_agreements_uses_one_process_per_core_by_default(tmp_path):
    db = toner_db(tmp_path, worked_example, lambda app: same_agreement(app, "MPS-2"))

    default = cli(db, "toner", "run", "--period", "2026-Q1", "--json")
    assert default.returncode == 0, default.stderr
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert json.loads(default.stdout)["processes"] == min(cores, 2)  # two agreements: two shards at most
    single = json.loads(cli(db, "toner", "run", "--period", "2026-Q1", "--workers", "1", "--json").stdout)
    parallel = json.loads(cli(db, "toner", "run", "--period", "2026-Q1", "--workers", "2", "--json").stdout)
    assert (single["processes"], parallel["processes"]) == (1, 2)
    for summary in (single, parallel, json.loads(default.stdout)):
        assert (summary["records"], summary["statuses"], summary["charges"]) == (
            2,
            {"calculated": 2},
            {"EUR": "128.00"},
        )
    cards = json.loads(cli(db, "toner", "board", "--period", "2026-Q1", "--json").stdout)
    assert sorted((c["agreement"], c["total_charge"]) for c in cards) == [("MPS-1", "64.00"), ("MPS-2", "64.00")]


def test_the_trend_shows_each_period_apart_in_minor_units_and_refuses_an_unknown_dimension(tmp_path):
    db = toner_db(
        tmp_path, worked_example, lambda app: same_agreement(app, "MPS-H", period=ReconciliationPeriod.HALF_YEARLY)
    )
    assert cli(db, "toner", "run", "--period", "2026-H1", "--workers", "1").returncode == 0

    trend = cli(db, "toner", "trend", "--by", "country", "--value", "BE", "--json")
    assert trend.returncode == 0, trend.stderr
    points = json.loads(trend.stdout)
    assert [(p["period"], p["expected"], p["excess"], p["charge"], p["currency"]) for p in points] == [
        ("2026-Q1", "120000", "8000", "64.00", "EUR"),
        ("2026-H1", "120000", "8000", "64.00", "EUR"),
    ]
    png = tmp_path / "refused.png"
    refused = cli(db, "toner", "trend", "--by", "countyr", "--value", "BE", "--png", str(png), "--json")
    assert refused.returncode != 0
    assert refused.stdout == ""
    message = " ".join(refused.stderr.split())
    assert "toner.bad_trend_dimension" in message
    assert "'countyr'" in message
    assert "country, agreement" in message
    assert not png.exists()


def test_findings_are_filtered_by_agreement_country_owner_and_severity_and_a_typo_is_refused(tmp_path):
    from tests.toner_findings_scenario import NO_SETUP, two_countries

    db = toner_db(tmp_path, two_countries)

    def found(*options: str) -> list[tuple[str, str]]:
        listed = cli(db, "toner", "findings", *options, "--json")
        assert listed.returncode == 0, listed.stderr
        return [(f["agreement"], f["code"]) for f in json.loads(listed.stdout)]

    assert len(found()) == 5
    assert {a for a, _ in found("--agreement", "MPS-1")} == {"MPS-1"}
    assert found("--country", "FR") == [(NO_SETUP, "no_toner_contract")] * 3
    assert {a for a, _ in found("--owner", "tina")} == {"MPS-1"}
    assert found("--severity", "warning") == [("MPS-1", "shipments_without_usage")]
    refused = cli(db, "toner", "findings", "--code", "maping_error", "--json")
    assert refused.returncode != 0
    assert refused.stdout == ""
    message = " ".join(refused.stderr.split())
    assert "toner.bad_finding_filter" in message
    assert "mapping_error" in message
