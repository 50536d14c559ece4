"""Running one shard so that at-least-once delivery gives exactly-once effect.

The protocol, the same for the in-process runner and for queue workers:

1. *claim* (own short transaction, committed): the shard becomes ``running`` for this worker, one more attempt.
   Skipped if it is already ``done``. Purely informational: it shows progress and who holds what.
2. *effect* (one transaction): row-lock the shard (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has one writer),
   re-check it is not ``done``, run the handler, mark it ``done`` with its result, commit. The effect and the
   ``done`` mark commit together or not at all, and a second delivery of the same shard waits on the lock and
   then finds ``done``. A process killed in this step leaves nothing but a ``running`` row: the next delivery
   runs the shard again from scratch.
3. on an exception from the handler the effect is rolled back, and the shard becomes ``failed`` with the error
   (own transaction). The next submit of the run retries it.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from cashtrail.clock import Clock, SystemClock
from cashtrail.db.uow import SqlUnitOfWork
from cashtrail.jobs import ledger
from cashtrail.jobs.errors import ShardNotRegistered
from cashtrail.jobs.ledger import ShardKey, ShardStatus
from cashtrail.jobs.registry import JobRegistry, JobSpec, RunContext, ShardContext, registry

logger = logging.getLogger(__name__)
MAX_ERROR = 4000


@dataclass(frozen=True)
class JobRuntime:
    """What running jobs needs from the composition root (the app is not imported here: jobs sit below it)."""

    session_factory: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    timezone: str = "UTC"
    registry: JobRegistry = field(default_factory=lambda: registry)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory)

    def run_context(self, uow: SqlUnitOfWork) -> RunContext:
        return RunContext(uow=uow, clock=self.clock, timezone=self.timezone)


class Outcome(StrEnum):
    DONE = "done"  # this call ran the shard and committed its effect
    SKIPPED = "skipped"  # the shard was already done: nothing ran
    FAILED = "failed"  # the handler raised; the error is on the shard


@dataclass(frozen=True)
class ShardOutcome:
    shard: str
    outcome: Outcome
    error: str | None = None


def worker_name() -> str:
    """This process's name in the ledger: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_shard_effect(
    uow: SqlUnitOfWork, runtime: JobRuntime, spec: JobSpec, key: ShardKey, worker: str, *, claimed: bool
) -> bool:
    """Steps 2's body inside an entered unit of work, without committing; False if the shard was already done."""
    status = ledger.current_status(uow.session, key, for_update=True)
    if status is None:
        raise ShardNotRegistered(f"shard {key.lock} is not registered", shard=key.lock)
    if status is ShardStatus.DONE:
        return False
    ctx = ShardContext(
        uow=uow,
        clock=runtime.clock,
        timezone=runtime.timezone,
        job=key.job,
        business_date=key.business_date,
        shard=key.shard,
        worker=worker,
    )
    result = spec.handler(ctx, key.business_date, key.shard)
    uow.flush()
    ledger.mark_done(uow.session, key, worker=worker, at=runtime.clock.now(), result=result, claimed=claimed)
    return True


def execute_shard(runtime: JobRuntime, spec: JobSpec, key: ShardKey, worker: str) -> ShardOutcome:
    """Claim, run and record one shard in its own transactions (the protocol in the module docstring)."""
    with runtime.uow() as uow:
        prior = ledger.claim(uow.session, key, worker, runtime.clock.now())
        uow.commit()
    if prior is None:
        raise ShardNotRegistered(f"shard {key.lock} is not registered", shard=key.lock)
    if prior is ShardStatus.DONE:
        return ShardOutcome(key.shard, Outcome.SKIPPED)
    try:
        with runtime.uow() as uow:
            ran = run_shard_effect(uow, runtime, spec, key, worker, claimed=True)
            uow.commit()
    except Exception as exc:  # a handler error is data: record it on the shard, let the run go on
        logger.exception("shard %s failed", key.lock)
        error = "".join(traceback.format_exception_only(exc)).strip()[:MAX_ERROR]
        with runtime.uow() as uow:
            ledger.mark_failed(uow.session, key, at=runtime.clock.now(), error=error)
            uow.commit()
        return ShardOutcome(key.shard, Outcome.FAILED, error)
    return ShardOutcome(key.shard, Outcome.DONE if ran else Outcome.SKIPPED)


ProgressFn = Callable[[int, int, ShardOutcome | None], None]
