"""The PostgreSQL queue: procrastinate carries shard deliveries; the shard ledger decides what takes effect.

Enqueue shares the caller's transaction. procrastinate's own connector would use its own pool connection, so a
rolled-back submit could leave jobs behind (or a committed one race its data). Instead :func:`defer_shards` hands
procrastinate the psycopg connection *underneath the SQLAlchemy session* (``JobManager.batch_defer_jobs(...,
connection=...)``, procrastinate's API for "atomic deferral within a user-managed transaction"), which runs
``procrastinate_defer_jobs_v1`` on it: the job rows commit or roll back with the shard rows and the caller's data.

Each job carries ``{job, business_date, shard}``; its ``lock`` and ``queueing_lock`` are the shard key, so a shard
is never queued twice nor run by two workers at once (the ledger's row lock would make that harmless anyway).

A worker that dies mid-shard (SIGKILL, OOM, lost machine) leaves its job in ``doing``. procrastinate workers write
a heartbeat every ``heartbeat`` seconds; every ``cashtrail worker`` also runs :func:`reap_stalled` every
``reap_every`` seconds, which puts jobs of workers silent for ``stalled_after`` seconds back to ``todo``
(``get_stalled_jobs`` + ``retry_job``, the recovery procrastinate documents). The shard then runs again from
scratch, which is safe because its earlier attempt never committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import procrastinate
from procrastinate import exceptions as procrastinate_errors
from procrastinate.jobs import Job
from sqlalchemy import bindparam, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from cashtrail.jobs.errors import ShardFailed
from cashtrail.jobs.execute import JobRuntime, Outcome, execute_shard, worker_name
from cashtrail.jobs.ledger import ShardKey

logger = logging.getLogger(__name__)

RUN_SHARD_TASK = "cashtrail.run_shard"
_RUNTIME = "cashtrail_runtime"
_LIVE = text(
    "SELECT queueing_lock FROM procrastinate_jobs WHERE status IN ('todo', 'doing') AND queueing_lock IN :locks"
).bindparams(bindparam("locks", expanding=True))


def conninfo(database_url: str) -> str:
    """A libpq URI for procrastinate's own pool from a SQLAlchemy URL (same host, database and options)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_shard(context: procrastinate.JobContext, *, job: str, business_date: str, shard: str) -> None:
    """The one procrastinate task: run a shard through the ledger protocol; a handler error fails the job."""
    runtime: JobRuntime = context.additional_context[_RUNTIME]
    key = ShardKey(job, date.fromisoformat(business_date), shard)
    outcome = execute_shard(runtime, runtime.registry.get(job), key, worker_name())
    if outcome.outcome is Outcome.FAILED:
        raise ShardFailed(f"shard {key.lock} failed: {outcome.error}", shard=key.lock)


def make_app(database_url: str) -> procrastinate.App:
    """A procrastinate app for ``database_url`` with the shard task registered."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)))
    app.task(name=RUN_SHARD_TASK, pass_context=True)(run_shard)
    return app


def live_shards(session: Session, keys: Sequence[ShardKey]) -> set[str]:
    """Lock strings of ``keys`` that already have a queued or running job (re-submits must not queue them)."""
    live: set[str] = set()
    locks = [k.lock for k in keys]
    for start in range(0, len(locks), 500):
        live.update(session.scalars(_LIVE, {"locks": locks[start : start + 500]}))
    return live


def defer_shards(session: Session, app: procrastinate.App, queue: str, keys: Sequence[ShardKey]) -> list[int]:
    """Queue one job per shard on the session's own connection and transaction; returns the job ids."""
    if not keys:
        return []
    jobs = [
        Job(
            id=None,
            queue=queue,
            lock=key.lock,
            queueing_lock=key.lock,
            task_name=RUN_SHARD_TASK,
            task_kwargs={"job": key.job, "business_date": key.business_date.isoformat(), "shard": key.shard},
        )
        for key in keys
    ]
    driver_connection = session.connection().connection.driver_connection  # the psycopg connection in our tx
    deferred = app.job_manager.batch_defer_jobs(jobs=jobs, connection=driver_connection)
    return [job.id for job in deferred if job.id is not None]


async def reap_stalled(app: procrastinate.App, *, stalled_after: float) -> int:
    """Put shard jobs of workers without a heartbeat for ``stalled_after`` seconds back in the queue."""
    retried = 0
    stalled = await app.job_manager.get_stalled_jobs(task_name=RUN_SHARD_TASK, seconds_since_heartbeat=stalled_after)
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except procrastinate_errors.ConnectorException:  # another worker's reaper got there first
            continue
        retried += 1
        logger.warning("requeued stalled job %s (worker %s stopped sending heartbeats)", job.call_string, job.worker_id)
    return retried


@dataclass(frozen=True)
class WorkerOptions:
    """How a ``cashtrail worker`` runs (see ``docs/jobs.md`` for sizing)."""

    queues: tuple[str, ...] = ()
    concurrency: int = 1
    wait: bool = True
    poll: float = 5.0
    heartbeat: float = 10.0
    stalled_after: float = 30.0
    reap_every: float = 10.0


async def _reap_forever(app: procrastinate.App, options: WorkerOptions) -> None:
    while True:
        await asyncio.sleep(options.reap_every)
        try:
            await reap_stalled(app, stalled_after=options.stalled_after)
        except Exception:  # the reaper must outlive a database hiccup; the worker loop reports those itself
            logger.exception("stalled-job reaper pass failed")


async def serve(runtime: JobRuntime, database_url: str, options: WorkerOptions) -> None:
    """Run one worker (and its reaper) until stopped, or until the queue is empty when ``options.wait`` is off."""
    app = make_app(database_url)
    worker_kwargs: dict[str, Any] = {
        "name": worker_name(),
        "concurrency": options.concurrency,
        "wait": options.wait,
        "fetch_job_polling_interval": options.poll,
        "update_heartbeat_interval": options.heartbeat,
        "stalled_worker_timeout": options.stalled_after,
        "additional_context": {_RUNTIME: runtime},
    }
    if options.queues:
        worker_kwargs["queues"] = list(options.queues)
    async with app.open_async():
        await reap_stalled(app, stalled_after=options.stalled_after)
        reaper = asyncio.create_task(_reap_forever(app, options))
        try:
            await app.run_worker_async(**worker_kwargs)
        finally:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
