"""The job runner against a real database (SQLite and PostgreSQL): shards, re-runs, failures, crashes, the queue.

Shard effects here are audit events appended through the shard's unit of work, so "exactly once in effect" is a
count of rows, and everything is rolled back after each test like any other database test.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from cashtrail.audit.model import AuditEvent
from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.jobs import (
    InProcessRunner,
    JobRegistry,
    JobSpec,
    QueueRunner,
    RunContext,
    ShardContext,
    customer_ranges,
    runner_for,
    runtime_for,
    shard_range,
)
from cashtrail.jobs import ledger as job_ledger
from cashtrail.jobs.errors import InvalidShards, UnknownJob
from tests import factories

DAY = date(2026, 11, 23)
SHARDS = ("a", "b", "c", "d")


class SimulatedCrash(BaseException):
    """Stands for the process dying mid-shard: not an ``Exception``, so nothing records it as a failure."""


class Effects:
    """A shard handler writing one audit event per shard, failing or crashing once on chosen shards."""

    def __init__(self, *, fail: Sequence[str] = (), crash: Sequence[str] = ()) -> None:
        self.calls: list[str] = []
        self.fail = set(fail)
        self.crash = set(crash)

    def __call__(self, ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any]:
        self.calls.append(shard)
        ctx.uow.audit.append(
            AuditEvent(
                occurred_at=ctx.clock.now(),
                actor=ctx.worker,
                action="test.effect",
                entity_type="test_shard",
                entity_id=f"{business_date}/{shard}",
            )
        )
        ctx.uow.flush()  # the effect is written before the failure: the rollback must undo it
        if shard in self.crash:
            self.crash.discard(shard)
            raise SimulatedCrash(shard)
        if shard in self.fail:
            self.fail.discard(shard)
            raise RuntimeError(f"boom on {shard}")
        return {"shard": shard}


def _registry(handler: Effects, shards: Sequence[str] = SHARDS) -> JobRegistry:
    def plan(_ctx: RunContext, _day: date) -> Sequence[str]:
        return list(shards)

    registry = JobRegistry()
    registry.register(JobSpec(name="test.effects", handler=handler, planner=plan))
    return registry


def _in_process(app: App, handler: Effects) -> InProcessRunner:
    return InProcessRunner(runtime_for(app, _registry(handler)))


def _effects(app: App) -> list[str]:
    with app.uow() as uow:
        query = select(t.audit_events.c.entity_id).where(t.audit_events.c.entity_type == "test_shard")
        return sorted(uow.session.scalars(query))


def _shards(app: App) -> dict[str, dict[str, Any]]:
    with app.uow() as uow:
        return {row["shard"]: row for row in job_ledger.shards(uow.session, "test.effects", DAY)}


def test_a_run_registers_each_shard_once_and_a_rerun_applies_nothing_twice(app):
    handler = Effects()
    runner = _in_process(app, handler)
    first = runner.submit("test.effects", DAY)
    second = runner.submit("test.effects", DAY)
    assert (first.executed, first.skipped, first.states["done"]) == (4, 0, 4)
    assert (second.executed, second.skipped, second.shards) == (0, 4, 4)
    assert handler.calls == list(SHARDS)
    assert _effects(app) == [f"{DAY}/{s}" for s in SHARDS]
    shards = _shards(app)
    assert {s["status"] for s in shards.values()} == {"done"}
    assert shards["a"]["result"] == {"shard": "a"}
    assert shards["a"]["attempts"] == 1
    with app.uow() as uow:
        run = uow.session.execute(select(t.job_runs.c.submissions)).one()
    assert run.submissions == 2


def test_a_failing_shard_is_recorded_with_its_error_and_retried_on_the_next_run(app):
    handler = Effects(fail=["c"])
    runner = _in_process(app, handler)
    first = runner.submit("test.effects", DAY)
    assert first.failures == [{"shard": "c", "error": "RuntimeError: boom on c"}]
    assert (first.states["done"], first.states["failed"]) == (3, 1)
    failed = _shards(app)["c"]
    assert (failed["status"], failed["attempts"], failed["error"]) == ("failed", 1, "RuntimeError: boom on c")
    assert f"{DAY}/c" not in _effects(app)  # the failed attempt's effect was rolled back

    second = runner.submit("test.effects", DAY)
    assert (second.executed, second.skipped, second.failures) == (1, 3, [])
    retried = _shards(app)["c"]
    assert (retried["status"], retried["attempts"], retried["error"]) == ("done", 2, None)
    assert _effects(app) == [f"{DAY}/{s}" for s in SHARDS]


def test_an_interrupted_run_resumes_after_the_crash_without_redoing_finished_shards(app):
    handler = Effects(crash=["b"])
    runner = _in_process(app, handler)
    with pytest.raises(SimulatedCrash):
        runner.submit("test.effects", DAY)
    states = {shard: row["status"] for shard, row in _shards(app).items()}
    assert states == {"a": "done", "b": "running", "c": "pending", "d": "pending"}
    assert _effects(app) == [f"{DAY}/a"]

    resumed = runner.submit("test.effects", DAY)
    assert (resumed.executed, resumed.skipped) == (3, 1)
    assert handler.calls == ["a", "b", "b", "c", "d"]
    assert _effects(app) == [f"{DAY}/{s}" for s in SHARDS]
    assert _shards(app)["b"]["attempts"] == 2


def test_inside_a_callers_unit_of_work_the_run_commits_or_rolls_back_with_the_callers_data(app):
    runner = _in_process(app, Effects())
    with app.uow() as uow:
        runner.submit("test.effects", DAY, uow=uow)  # no commit: the caller changed its mind
    assert _shards(app) == {}
    assert _effects(app) == []
    with app.uow() as uow:
        summary = runner.submit("test.effects", DAY, uow=uow)
        uow.commit()
    assert summary.states["done"] == 4
    assert _effects(app) == [f"{DAY}/{s}" for s in SHARDS]


def test_duplicate_or_empty_shard_keys_are_refused_and_nothing_is_written(app):
    runner = _in_process(app, Effects())
    with pytest.raises(InvalidShards):
        runner.submit("test.effects", DAY, shards=["x", "x"])
    with pytest.raises(InvalidShards):
        runner.submit("test.effects", DAY, shards=[""])
    with pytest.raises(UnknownJob):
        runner.submit("no.such.job", DAY)
    assert _shards(app) == {}
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.job_runs)) == 0


def test_customer_range_shards_cover_every_customer_once(app):
    for n in range(1, 6):
        factories.customer(app, number=f"C{n:04d}", vat_number=None)
    with app.uow() as uow:
        shards = customer_ranges(size=2)(runtime_for(app).run_context(uow), DAY)
    assert list(shards) == ["C0001..C0002", "C0003..C0004", "C0005..C0005"]
    assert shard_range("C0003..C0004") == ("C0003", "C0004")


def test_the_daily_audit_digest_counts_the_days_changes_per_entity_type(app):
    factories.customer(app)
    factories.customer(app, number="C0002", vat_number=None)
    runner = runner_for(app, in_process=True)
    summary = runner.submit("audit.daily_digest", app.clock.now().date())
    assert summary.failures == []
    assert summary.states["done"] == summary.shards
    with app.uow() as uow:
        digest = {r["shard"]: r["result"] for r in job_ledger.shards(uow.session, "audit.daily_digest", DAY)}
    assert digest["customer"] == {
        "entity_type": "customer",
        "events": 2,
        "by_action": {"customer.created": 2},
        "actors": ["system"],
        "actor_count": 1,
    }


def test_the_runner_is_the_queue_on_postgresql_and_in_process_on_sqlite(app):
    runner = runner_for(app)
    assert isinstance(runner, QueueRunner if app.settings.is_postgres else InProcessRunner)
    assert isinstance(runner_for(app, in_process=True), InProcessRunner)


def _queued(app: App) -> list[tuple[str, dict[str, Any], str]]:
    with app.uow() as uow:
        rows = uow.session.execute(text("SELECT lock, args, status FROM procrastinate_jobs ORDER BY id"))
        return [(r.lock, r.args, r.status) for r in rows]


def test_the_queue_runner_queues_each_open_shard_once_in_the_callers_transaction(app):
    if not app.settings.is_postgres:
        pytest.skip("the queue exists on PostgreSQL only")
    runner = runner_for(app, job_registry=_registry(Effects()))
    with app.uow() as uow:
        runner.submit("test.effects", DAY, uow=uow)  # rolled back: neither shards nor queued jobs remain
    assert _shards(app) == {}
    assert _queued(app) == []

    first = runner.submit("test.effects", DAY)
    again = runner.submit("test.effects", DAY)
    assert (first.enqueued, again.enqueued, again.skipped) == (4, 0, 4)
    queued = _queued(app)
    assert [lock for lock, _, _ in queued] == [f"test.effects|{DAY}|{s}" for s in SHARDS]
    assert queued[0][1] == {"job": "test.effects", "business_date": str(DAY), "shard": "a"}
    assert {status for _, _, status in queued} == {"todo"}
    assert {row["status"] for row in _shards(app).values()} == {"pending"}

    with app.uow() as uow:  # a worker ran shard b and it failed: the ledger and the queue both say so
        uow.session.execute(
            text("UPDATE procrastinate_jobs SET status = 'failed' WHERE lock = :lock"),
            {"lock": f"test.effects|{DAY}|b"},
        )
        uow.session.execute(update(t.job_shards).where(t.job_shards.c.shard == "b").values(status="failed"))
        uow.commit()
    retry = runner.submit("test.effects", DAY)
    assert (retry.enqueued, retry.skipped) == (1, 3)
    assert [lock for lock, _, status in _queued(app) if status == "todo"][-1] == f"test.effects|{DAY}|b"
