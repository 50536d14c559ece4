"""The billing CLI end to end: import, preview, run, re-run, blocks, bad input, through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.slow
#: The console script of the interpreter running the tests (the venv may not be on PATH, as under `make test`).
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_billing_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    assert _cli(db, "init").returncode == 0
    terms = factories.csv_file(tmp_path / "terms.csv", [{"code": "N30", "description": "Net 30", "days": "30"}])
    assert _cli(db, "import", "payment-terms", str(terms)).returncode == 0
    customers = factories.csv_file(tmp_path / "customers.csv", [factories.customer_row(number="C1")])
    assert _cli(db, "import", "customers", str(customers)).returncode == 0
    assert _cli(db, "bill", "run", "--period", "2026-13").returncode == 2
    preview = _cli(db, "bill", "run", "--period", "2026-04", "--preview", "--json")
    assert preview.returncode == 0, preview.stderr
    assert json.loads(preview.stdout)["preview"] is True
    first = json.loads(_cli(db, "bill", "run", "--period", "2026-04", "--json").stdout)
    again = json.loads(_cli(db, "bill", "run", "--period", "2026-04", "--json").stdout)
    assert (first["lines"], again["lines"], again["already_billed"]) == (0, 0, 0)
    placed = _cli(db, "bill", "block", "--scope", "customer", "--target", "C1", "--reason", "stop: review")
    assert placed.returncode == 0, placed.stderr
    blocks = json.loads(_cli(db, "bill", "blocks", "--json").stdout)
    assert [(b["target"], b["reason"]) for b in blocks] == [("C1", "manual")]
    assert _cli(db, "bill", "release", str(blocks[0]["id"]), "--reason", " ").returncode == 2
    assert _cli(db, "bill", "release", str(blocks[0]["id"]), "--reason", "done").returncode == 0
    assert json.loads(_cli(db, "bill", "blocks", "--json").stdout) == []
    missing = _cli(db, "bill", "correct", "--contract", "NOPE", "--period", "2026-04")
    assert missing.returncode == 3
    assert "contract NOPE not found" in missing.stderr
