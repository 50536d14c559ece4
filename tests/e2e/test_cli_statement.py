"""The statement import CLI end to end: import, re-import unchanged, dry run, bad file, through the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
#: The console script of the interpreter running the tests (the venv may not be on PATH, as under `make test`).
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")
CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
if not (CONFORMANCE / "camt053").is_dir():
    pytest.skip(f"conformance files not found at {CONFORMANCE}", allow_module_level=True)


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("CASHTRAIL_USER", None)
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_importing_statements_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    assert _cli(db, "init").returncode == 0
    good = str(CONFORMANCE / "camt053" / "viafintech_053_valid_example_v02.xml")
    dry = _cli(db, "import", "statement", good, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert (json.loads(dry.stdout)["dry_run"], json.loads(dry.stdout)["entries_created"]) == (True, 4)
    first = _cli(db, "import", "statement", good)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    again = json.loads(_cli(db, "import-statement", good, "--json").stdout)
    assert (again["statements_unchanged"], again["entries_created"], again["entries_skipped"]) == (1, 0, 4)
    bad = _cli(db, "import", "statement", str(CONFORMANCE / "camt053" / "oca_test-camt053.xml"))
    assert bad.returncode == 2
    assert "statement.invalid" in bad.stderr
    assert "oca_test-camt053.xml: closing_balance:" in bad.stderr
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello\n")
    refused = _cli(db, "import-statement", str(garbage), "--json")
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["errors"][0]["field"] == "file"
