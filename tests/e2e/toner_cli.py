"""The toner CLI tests' common parts: a fresh SQLite file filled through the real repositories, and the console
script run against it in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cashtrail.bootstrap import App, bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade

CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def toner_db(tmp_path: Path, *fill: Callable[[App], None]) -> Path:
    """A migrated SQLite file in ``tmp_path`` holding what each of ``fill`` stores, closed for the CLI to open."""
    db = tmp_path / "toner.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{db}", env="test"))
    upgrade(app.engine)
    for step in fill:
        step(app)
    app.engine.dispose()
    return db


def cli(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``cashtrail ARGS`` on ``db``: exit code, stdout and stderr, never raising on a failure."""
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False, cwd=cwd
    )
