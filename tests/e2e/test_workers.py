"""Two real ``cashtrail worker`` processes on PostgreSQL; one is SIGKILLed mid-shard; every shard takes effect once.

The workers are separate processes, so they need committed data: the test makes its own PostgreSQL schema (not
the rolled-back fixture transaction), runs ``cashtrail init`` and ``cashtrail job run`` in it, and drops it at the
end. Every wait is bounded; the whole scenario takes about 15 seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, text

from cashtrail.db.engine import make_engine
from tests.e2e.jobs_for_tests import EFFECTS_TABLE, SHARD_COUNT

pytestmark = pytest.mark.postgres

POSTGRES_URL = os.environ.get("CASHTRAIL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = os.environ.get("CASHTRAIL_TEST_BACKENDS", "sqlite,postgresql")
REPO = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 23)
JOB = "e2e.slow_effects"
WORKER_OPTIONS = ["--heartbeat", "0.5", "--stalled-after", "3", "--reap-every", "0.5", "--poll", "0.5"]
T = TypeVar("T")


def _cashtrail() -> str:
    script = Path(sys.executable).with_name("cashtrail")
    return str(script) if script.exists() else "cashtrail"


def _wait_for(what: str, probe: Callable[[], T | None], timeout: float, every: float = 0.02) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def database() -> Iterator[tuple[str, Engine]]:
    """A fresh, committed PostgreSQL schema (URL and engine), dropped afterwards."""
    if "postgresql" not in BACKENDS:
        pytest.skip("CASHTRAIL_TEST_BACKENDS excludes postgresql")
    schema = f"ct_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASHTRAIL_")}
    env.update(
        CASHTRAIL_DATABASE_URL=url,
        CASHTRAIL_ENV="test",
        CASHTRAIL_JOB_MODULES="tests.e2e.jobs_for_tests",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
    )
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([_cashtrail(), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"cashtrail {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [_cashtrail(), "worker", "--concurrency", "1", *WORKER_OPTIONS],
            env=env,
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _fresh_running_shard(engine: Engine, pid: int) -> tuple[str, str] | None:
    """A shard the worker ``pid`` claimed under 100 ms ago (so it is certainly still inside the 300 ms handler)."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT shard, worker, started_at FROM job_shards WHERE status = 'running' AND worker LIKE :w"),
            {"w": f"%:{pid}"},
        ).first()
    if row is None or (datetime.now(UTC) - row.started_at).total_seconds() > 0.1:
        return None
    return row.shard, row.worker


def _scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_two_workers_one_killed_mid_shard_still_apply_every_shard_exactly_once(database, tmp_path):
    url, engine = database
    env = _env(url)
    _cli(env, "init")
    with engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TABLE {EFFECTS_TABLE} (id bigserial PRIMARY KEY, business_date date NOT NULL, "
                "shard text NOT NULL, worker text NOT NULL, UNIQUE (business_date, shard))"
            )
        )
    queued = json.loads(_cli(env, "job", "run", JOB, "--date", DAY.isoformat(), "--json"))
    assert (queued["mode"], queued["enqueued"], queued["shards"]) == ("queue", SHARD_COUNT, SHARD_COUNT)

    victim = _start_worker(env, tmp_path / "victim.log")
    survivor = _start_worker(env, tmp_path / "survivor.log")
    try:
        shard, victim_name = _wait_for(
            "the victim to be mid-shard", lambda: _fresh_running_shard(engine, victim.pid), timeout=30
        )
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=5)
        in_flight = _scalar(engine, "SELECT status FROM job_shards WHERE shard = :s", s=shard)
        assert in_flight == "running", "the victim must die holding the shard, its effect uncommitted"

        _wait_for(
            "every shard done",
            lambda: _scalar(engine, "SELECT count(*) FROM job_shards WHERE status = 'done'") == SHARD_COUNT,
            timeout=45,
            every=0.25,
        )
    except AssertionError as exc:
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-4000:]}" for p in sorted(tmp_path.glob("*.log")))
        raise AssertionError(f"{exc}\n{logs}") from exc
    finally:
        _stop(victim)
        _stop(survivor)

    with engine.connect() as conn:
        effects = conn.execute(text(f"SELECT shard, worker FROM {EFFECTS_TABLE}")).all()
        ledger = {r.shard: r for r in conn.execute(text("SELECT shard, status, attempts, worker FROM job_shards"))}
        queue = dict(conn.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")).all())
        retried = conn.execute(
            text("SELECT count(*) FROM procrastinate_events WHERE type = 'deferred_for_retry'")
        ).scalar()
    assert len(effects) == SHARD_COUNT
    assert {e.shard for e in effects} == set(ledger) == {f"s{n:02d}" for n in range(SHARD_COUNT)}
    assert {r.status for r in ledger.values()} == {"done"}
    redone = ledger[shard]
    assert redone.attempts >= 2
    assert redone.worker != victim_name
    assert dict(effects)[shard] == redone.worker
    assert queue == {"succeeded": SHARD_COUNT}
    assert retried >= 1  # the victim's job went back to the queue through the stalled-job reaper
    status = json.loads(_cli(env, "job", "status", "--job", JOB, "--date", DAY.isoformat(), "--json"))
    assert (status[0]["done"], status[0]["total"]) == (SHARD_COUNT, SHARD_COUNT)
