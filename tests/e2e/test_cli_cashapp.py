"""Cash application from the command line, end to end through the console script: a camt.053 statement (written
by the demo's lxml writer and read back by our parser) is imported, matched, a suggestion is reviewed and
accepted, the application is reversed, the ledger is checked, and the statement of account and the aging are
printed as of a date."""

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
from cashtrail.demo.cashapp import camt053
from tests.integration.db.test_cash_application import cash_books

pytestmark = pytest.mark.slow
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("CASHTRAIL_USER", None)
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def _json(db: Path, *args: str) -> object:
    done = _cli(db, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_match_review_reverse_and_check_the_ledger(tmp_path):
    db = tmp_path / "cash.db"
    assert _cli(db, "init").returncode == 0
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    _, inv = cash_books(app)
    app.engine.dispose()
    day = date(2026, 5, 10)
    receipts = [
        (day, Decimal("121.00"), "Acme Lifts NV", "BE71096123456769", inv["a"].payment_reference, ""),  # applied
        (day, Decimal("1250.00"), "Someone", "", None, f"payment {inv['d'].number}"),  # over-payment: suggested
        (day, Decimal("77.77"), "Mr Nobody", "", None, "gift"),  # unidentified: suspense
    ]
    statement = tmp_path / "camt053-2026-05.xml"
    statement.write_bytes(camt053("2026-05", receipts, Decimal("1000.00")))

    imported = _json(db, "import", "statement", str(statement))
    assert imported["entries_created"] == 3  # type: ignore[index]
    run = _json(db, "cashapp", "match")
    assert {k: run[k] for k in ("receipts", "applied", "suggested", "suspense")} == {  # type: ignore[index]
        "receipts": 3, "applied": 1, "suggested": 1, "suspense": 1,
    }  # fmt: skip
    [suggestion] = _json(db, "cashapp", "suggestions")  # type: ignore[misc]
    assert (suggestion["customer"], suggestion["outcome"], suggestion["remainder"]) == ("C2", "over", "40.00")
    assert suggestion["reasons"]

    accepted = _cli(db, "cashapp", "accept", str(suggestion["id"]))
    assert accepted.returncode == 0, accepted.stderr
    twice = _cli(db, "cashapp", "accept", str(suggestion["id"]))
    assert twice.returncode == 4
    assert "cash.not_suggested" in twice.stderr
    payment_item = f"RCT-{suggestion['bank_entry']}-{suggestion['id']}"
    [paid_then] = _json(db, "ar", "statement", "C2", "--as-of", "2026-05-31")  # type: ignore[misc]
    assert {(i["number"], i["open"]) for i in paid_then["items"]} == {
        (inv["c"].number, "605.00"),
        (payment_item, "-40.00"),
    }

    no_reason = _cli(db, "cashapp", "reverse", str(suggestion["id"]), "--reason", " ")
    assert no_reason.returncode == 2
    reversed_ = _cli(db, "cashapp", "reverse", str(suggestion["id"]), "--reason", "applied to the wrong customer")
    assert reversed_.returncode == 0, reversed_.stderr
    ledger = _json(db, "cashapp", "ledger")
    assert ledger["problems"] == []  # type: ignore[index]
    assert Decimal(ledger["balances"]["EUR"]["suspense"]) == Decimal("-1327.77")  # type: ignore[index]
    parked = _json(db, "cashapp", "suspense")
    assert sorted(r["amount"] for r in parked) == ["1250.00", "77.77"]  # type: ignore[union-attr]

    [earlier] = _json(db, "ar", "statement", "C2", "--as-of", "2026-05-31")  # type: ignore[misc]
    assert earlier == paid_then  # the reversal is dated today: it changes nothing as of May
    [today] = _json(db, "ar", "statement", "C2")  # type: ignore[misc]
    assert {i["number"] for i in today["items"]} == {inv["c"].number, inv["d"].number}
    aging = _json(db, "ar", "aging", "--as-of", "2026-06-15", "--by", "customer")
    assert [(r["group"], r["total"]) for r in aging["rows"]][:1] == [("C1", "242.00")]  # type: ignore[index]
    bad = _cli(db, "ar", "aging", "--buckets", "60,30")
    assert bad.returncode == 2
