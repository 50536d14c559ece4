"""One interface to run a batch job for a business date: ``runner.submit(job, business_date, shards=None)``.

- :class:`InProcessRunner` (SQLite, or ``--in-process`` anywhere) runs the shards one after the other in this
  process, each through the ledger protocol of :mod:`cashtrail.jobs.execute`. Done shards are skipped, so a
  submit after a crash or a failure resumes the run.
- :class:`QueueRunner` (PostgreSQL) registers the shards and queues one procrastinate job per shard that is not
  done and not already queued, in one transaction; ``cashtrail worker`` processes execute them.

Both register the run's shards idempotently: submitting a date again never duplicates a shard nor re-applies a
done one. Given a caller's entered unit of work (``uow=``), both work inside the caller's transaction and leave
the commit to the caller, so queued shards (or, in-process, their effects) commit with the caller's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

import procrastinate
from sqlalchemy.orm import Session, sessionmaker

from cashtrail.clock import Clock
from cashtrail.config import Settings
from cashtrail.db.uow import SqlUnitOfWork
from cashtrail.jobs import ledger, queue
from cashtrail.jobs.execute import (
    JobRuntime,
    Outcome,
    ProgressFn,
    ShardOutcome,
    execute_shard,
    run_shard_effect,
    worker_name,
)
from cashtrail.jobs.ledger import ShardKey
from cashtrail.jobs.registry import JobRegistry, JobSpec, checked_shards, load_job_modules, registry


@dataclass
class RunSummary:
    """What a submit did (``executed``/``skipped``/``failures`` in-process, ``enqueued`` on the queue) and the
    run's shard counts afterwards."""

    job: str
    business_date: date
    mode: str
    shards: int = 0
    executed: int = 0
    skipped: int = 0
    enqueued: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    states: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "business_date": self.business_date.isoformat()}


class JobRunner(Protocol):
    #: ``in-process`` or ``queue``
    mode: str

    def submit(
        self,
        job: str,
        business_date: date,
        shards: Sequence[str] | None = None,
        *,
        uow: SqlUnitOfWork | None = None,
        progress: ProgressFn | None = None,
    ) -> RunSummary:
        """Register the run's shards and run or queue those not done (see the module docstring)."""
        ...


def _register(
    runtime: JobRuntime, uow: SqlUnitOfWork, spec: JobSpec, day: date, shards: Sequence[str] | None
) -> tuple[int, list[str]]:
    """Record the run and its shards; returns how many shards were asked for and those not done yet."""
    planned = checked_shards(shards) if shards is not None else spec.plan(runtime.run_context(uow), day)
    at = runtime.clock.now()
    ledger.open_run(uow.session, spec.name, day, at)
    ledger.add_shards(uow.session, spec.name, day, planned, at)
    return len(planned), ledger.not_done(uow.session, spec.name, day, planned)


@dataclass
class InProcessRunner:
    """Runs every shard in this process, in order (SQLite's runner; also usable on PostgreSQL)."""

    runtime: JobRuntime
    mode: str = "in-process"

    def submit(
        self,
        job: str,
        business_date: date,
        shards: Sequence[str] | None = None,
        *,
        uow: SqlUnitOfWork | None = None,
        progress: ProgressFn | None = None,
    ) -> RunSummary:
        spec = self.runtime.registry.get(job)
        if uow is not None:
            return self._inside(uow, spec, business_date, shards)
        with self.runtime.uow() as own:
            planned, todo = _register(self.runtime, own, spec, business_date, shards)
            own.commit()
        summary = RunSummary(job, business_date, self.mode, skipped=planned - len(todo))
        worker = worker_name()
        total = len(todo)
        if progress:
            progress(0, total, None)
        for done, shard in enumerate(todo, start=1):
            outcome = execute_shard(self.runtime, spec, ShardKey(job, business_date, shard), worker)
            _tally(summary, outcome)
            if progress:
                progress(done, total, outcome)
        with self.runtime.uow() as own:
            summary.states = ledger.states(own.session, job, business_date)
        summary.shards = summary.states.get("total", 0)
        return summary

    def _inside(self, uow: SqlUnitOfWork, spec: JobSpec, day: date, shards: Sequence[str] | None) -> RunSummary:
        """All shards in the caller's transaction: one commit (the caller's) for data, ledger and effects."""
        worker = worker_name()
        with uow:
            planned, todo = _register(self.runtime, uow, spec, day, shards)
            summary = RunSummary(spec.name, day, self.mode, skipped=planned - len(todo))
            for shard in todo:
                ran = run_shard_effect(uow, self.runtime, spec, ShardKey(spec.name, day, shard), worker, claimed=False)
                _tally(summary, ShardOutcome(shard, Outcome.DONE if ran else Outcome.SKIPPED))
            uow.flush()
            summary.states = ledger.states(uow.session, spec.name, day)
        summary.shards = summary.states.get("total", 0)
        return summary


def _tally(summary: RunSummary, outcome: ShardOutcome) -> None:
    if outcome.outcome is Outcome.DONE:
        summary.executed += 1
    elif outcome.outcome is Outcome.SKIPPED:
        summary.skipped += 1
    else:
        summary.failures.append({"shard": outcome.shard, "error": outcome.error or ""})


@dataclass
class QueueRunner:
    """Queues shards for ``cashtrail worker`` processes through procrastinate (PostgreSQL only)."""

    runtime: JobRuntime
    app: procrastinate.App
    mode: str = "queue"

    def submit(
        self,
        job: str,
        business_date: date,
        shards: Sequence[str] | None = None,
        *,
        uow: SqlUnitOfWork | None = None,
        progress: ProgressFn | None = None,
    ) -> RunSummary:
        spec = self.runtime.registry.get(job)
        if uow is not None:
            with uow:
                return self._enqueue(uow, spec, business_date, shards)
        with self.runtime.uow() as own:
            summary = self._enqueue(own, spec, business_date, shards)
            own.commit()
        return summary

    def _enqueue(self, uow: SqlUnitOfWork, spec: JobSpec, day: date, shards: Sequence[str] | None) -> RunSummary:
        planned, not_done = _register(self.runtime, uow, spec, day, shards)
        todo = [ShardKey(spec.name, day, s) for s in not_done]
        live = queue.live_shards(uow.session, todo)
        fresh = [key for key in todo if key.lock not in live]
        queue.defer_shards(uow.session, self.app, spec.queue, fresh)
        states = ledger.states(uow.session, spec.name, day)
        return RunSummary(
            spec.name,
            day,
            self.mode,
            shards=states.get("total", 0),
            skipped=planned - len(fresh),
            enqueued=len(fresh),
            states=states,
        )


class AppLike(Protocol):
    """The parts of ``cashtrail.bootstrap.App`` the runners use (structural, so jobs never import bootstrap)."""

    settings: Settings
    session_factory: sessionmaker[Session]
    clock: Clock


def runtime_for(app: AppLike, job_registry: JobRegistry | None = None) -> JobRuntime:
    """The job runtime of a wired app, with the built-in and configured job modules imported."""
    load_job_modules(app.settings.job_modules)
    return JobRuntime(
        session_factory=app.session_factory,
        clock=app.clock,
        timezone=app.settings.timezone,
        registry=job_registry or registry,
    )


def runner_for(app: AppLike, *, in_process: bool = False, job_registry: JobRegistry | None = None) -> JobRunner:
    """The runner the settings call for: the queue on PostgreSQL, in-process on SQLite (or when asked)."""
    runtime = runtime_for(app, job_registry)
    if app.settings.is_postgres and not in_process:
        return QueueRunner(runtime, queue.make_app(app.settings.database_url))
    return InProcessRunner(runtime)
