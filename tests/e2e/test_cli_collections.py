"""The collections CLI end to end through the real console script: dunning preview and run (idempotent), the
report of a metric as of a date, bad input, the case import from .eml files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from tests import factories

pytestmark = pytest.mark.slow
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")
ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}
    env.pop("CASHTRAIL_USER", None)
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=180, check=False)


def _books(db: Path) -> str:
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    upgrade(app.engine)
    factories.legal_entity(app, code="BE01", country="BE", default=True, approve_first_invoice=False)
    factories.customer(app, number="C1", language="fr")
    doc = create_invoice(app.uow(), app.clock, ANN, "C1", [ManualLine("Service", Decimal(1), Decimal("100.00"))])
    number = issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=date(2026, 3, 1)).number
    app.engine.dispose()
    return number


def test_dunning_and_reports_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    number = _books(db)
    assert _cli(db, "dunning", "rate", "--half-year", "2026-01-01", "--rate", "2.15").returncode == 0
    assert _cli(db, "dunning", "rate", "--half-year", "2026-02-01", "--rate", "2.15").returncode == 2
    preview = _cli(db, "dunning", "run", "--as-of", "2026-04-10", "--preview", "--json")
    assert preview.returncode == 0, preview.stderr
    [letter] = json.loads(preview.stdout)["letters"]
    assert (letter["items"], letter["language"], letter["level_name"]) == ([number], "fr", "friendly reminder")
    run = _cli(db, "dunning", "run", "--as-of", "2026-04-10")
    assert run.returncode == 0, run.stderr
    assert "1 letter(s)" in run.stdout
    assert "already run" in _cli(db, "dunning", "run", "--as-of", "2026-04-10").stdout
    aging = json.loads(_cli(db, "report", "aging", "--as-of", "2026-04-15", "--json").stdout)
    assert aging["values"]["EUR"]["1-30"] == "121.0000"
    dso = json.loads(_cli(db, "report", "dso", "--as-of", "2026-03-31", "--days", "31", "--json").stdout)
    assert dso["values"] == {"EUR": "31.00"}
    unknown = _cli(db, "report", "velocity", "--as-of", "2026-03-31")
    assert unknown.returncode == 2
    assert "report.unknown_metric" in unknown.stderr
    assert _cli(db, "report", "dso", "--as-of", "31/03/2026").returncode == 2


def test_cases_are_imported_from_eml_files_once(tmp_path):
    db = tmp_path / "cli.db"
    number = _books(db)
    mail = tmp_path / "mail"
    mail.mkdir()
    (mail / "q.eml").write_bytes(
        f"From: someone@else.example\r\nSubject: about {number}\r\nMessage-ID: <a@b>\r\n\r\nwrong price\r\n".encode()
    )
    first = json.loads(_cli(db, "cases", "import", str(mail), "--json").stdout)
    again = json.loads(_cli(db, "cases", "import", str(mail), "--json").stdout)
    assert (len(first["created"]), again["created"], again["skipped"]) == (1, [], ["<a@b>"])
    [case] = json.loads(_cli(db, "cases", "list", "--json").stdout)
    assert (case["customer"], case["invoices"], case["state"]) == ("C1", [number], "open")  # matched by the number
    assert _cli(db, "cases", "update", str(case["id"]), "--state", "closed").returncode == 0
    assert json.loads(_cli(db, "cases", "list", "--state", "open", "--json").stdout) == []
    chat = _cli(db, "cases", "open", "--customer", "C1", "--channel", "chat", "--subject", f"copy of {number}")
    assert chat.returncode == 0, chat.stderr
    [opened] = json.loads(_cli(db, "cases", "list", "--state", "open", "--json").stdout)
    assert (opened["channel"], opened["invoices"]) == ("chat", [number])
    assert _cli(db, "cases", "open", "--customer", "C1", "--channel", "fax", "--subject", "x").returncode == 2


def test_collections_set_up_and_daily_work_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    _books(db)
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    factories.user(app, username="cole", roles=["collector"])
    factories.user(app, username="nina", roles=["collector"])
    app.engine.dispose()
    policy = tmp_path / "policy.json"
    levels = [{"number": 1, "name": "nudge", "days_past_due": 3}, {"number": 2, "name": "notice", "days_past_due": 20}]
    policy.write_text(json.dumps({"segment": "key", "name": "Key accounts", "grace_days": 1, "levels": levels}))
    shown = json.loads(_cli(db, "dunning", "policy", "--file", str(policy), "--json").stdout)
    assert [p["segment"] for p in shown] == ["key"]
    assert (
        _cli(db, "collections", "profile", "C1", "--segment", "key", "--collector", "cole", "--risk", "40").returncode
        == 0
    )
    preview = json.loads(_cli(db, "dunning", "run", "--as-of", "2026-04-04", "--preview", "--json").stdout)
    assert [letter["level_name"] for letter in preview["letters"]] == ["nudge"]  # the key-account policy applies
    buckets = ["current=0.5", "1-30=2", "31-60=5", "61-90=15", "91-120=35", "121+=75"]
    assert _cli(db, "collections", "provision-matrix", *buckets).returncode == 0
    assert _cli(db, "collections", "provision-matrix", "current=0.5").returncode == 2  # every bucket needs a rate
    provision = json.loads(_cli(db, "report", "provision", "--as-of", "2026-04-15", "--json").stdout)
    assert provision["values"]["EUR"]["total"] == "2.42"  # 121.00 in 1-30 at 2 %
    assert _cli(db, "collections", "target", "cole", "2026-04", "5000").returncode == 0
    targets = json.loads(_cli(db, "collections", "targets", "2026-04", "--json").stdout)
    assert [(t["collector"], t["target"], t["collected"]) for t in targets] == [("cole", "5000.0000", "0")]
    promise = _cli(db, "collections", "promise", "C1", "--amount", "121.00", "--by", "2026-04-30", "--on", "2026-04-10")
    assert promise.returncode == 0, promise.stderr
    assert _cli(db, "collections", "note", "C1", "called AP", "--on", "2026-04-10").returncode == 0
    hold = _cli(db, "collections", "hold", "C1", "--reason", "legal review", "--on", "2026-04-10")
    assert hold.returncode == 0
    [placed] = json.loads(_cli(db, "collections", "holds", "--json").stdout)
    assert (placed["customer_number"], placed["reason"]) == ("C1", "manual")
    assert _cli(db, "collections", "release", str(placed["id"]), "--on", "2026-04-11").returncode == 0
    assert json.loads(_cli(db, "collections", "holds", "--json").stdout) == []
    moves = _cli(db, "collections", "rebalance", "cole", "nina", "--dry-run")
    assert moves.returncode == 0
    assert _cli(db, "collections", "rebalance", "cole", "nobody").returncode == 3
