"""The shard ledger: one ``job_runs`` row per ``(job, business_date)``, one ``job_shards`` row per shard.

A shard moves ``pending → running → done`` (or ``failed``, then ``running`` again on the next attempt); ``done`` is
final and is only ever written in the transaction that holds the shard's effect. ``running`` is informational (a
worker claimed it; if that worker died, the shard is simply run again), so nothing but ``done`` blocks a re-run.
Every function here takes the caller's session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cashtrail.db import tables as t

_CHUNK = 500


class ShardStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ShardKey:
    """The idempotency key of one shard."""

    job: str
    business_date: date
    shard: str

    @property
    def lock(self) -> str:
        """A single-string form, used as the queue's lock so one shard never runs twice at the same time."""
        return f"{self.job}|{self.business_date.isoformat()}|{self.shard}"

    def where(self) -> ColumnElement[bool]:
        c = t.job_shards.c
        return and_(c.job == self.job, c.business_date == self.business_date, c.shard == self.shard)


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def open_run(session: Session, job: str, business_date: date, at: datetime) -> None:
    """Create or touch the run row; on PostgreSQL the upsert row-locks it, serializing concurrent submits."""
    c = t.job_runs.c
    statement = _insert(session)(t.job_runs).values(
        job=job, business_date=business_date, created_at=at, submitted_at=at, submissions=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=[c.job, c.business_date],
        set_={"submitted_at": at, "submissions": c.submissions + 1},
    )
    session.execute(statement)


def add_shards(session: Session, job: str, business_date: date, shards: Sequence[str], at: datetime) -> None:
    """Insert the shards a run does not have yet; existing ones (whatever their state) are left alone."""
    c = t.job_shards.c
    for start in range(0, len(shards), _CHUNK):
        rows = [
            {
                "job": job,
                "business_date": business_date,
                "shard": shard,
                "status": ShardStatus.PENDING.value,
                "attempts": 0,
                "created_at": at,
            }
            for shard in shards[start : start + _CHUNK]
        ]
        statement = _insert(session)(t.job_shards).values(rows)
        session.execute(statement.on_conflict_do_nothing(index_elements=[c.job, c.business_date, c.shard]))


def not_done(session: Session, job: str, business_date: date, shards: Sequence[str]) -> list[str]:
    """Those of ``shards`` (in their order) that are not ``done``."""
    c = t.job_shards.c
    done: set[str] = set()
    for start in range(0, len(shards), _CHUNK):
        query = select(c.shard).where(
            c.job == job,
            c.business_date == business_date,
            c.status == ShardStatus.DONE.value,
            c.shard.in_(shards[start : start + _CHUNK]),
        )
        done.update(session.scalars(query))
    return [s for s in shards if s not in done]


def claim(session: Session, key: ShardKey, worker: str, at: datetime) -> ShardStatus | None:
    """Mark the shard ``running`` for ``worker`` (one more attempt) unless it is done; returns the prior status."""
    status = current_status(session, key)
    if status is None or status is ShardStatus.DONE:
        return status
    session.execute(
        update(t.job_shards)
        .where(key.where(), t.job_shards.c.status != ShardStatus.DONE.value)
        .values(status=ShardStatus.RUNNING.value, attempts=t.job_shards.c.attempts + 1, worker=worker, started_at=at)
    )
    return status


def current_status(session: Session, key: ShardKey, *, for_update: bool = False) -> ShardStatus | None:
    """The shard's status (``None`` if it is not registered); ``for_update`` row-locks it until commit."""
    query = select(t.job_shards.c.status).where(key.where())
    if for_update:
        query = query.with_for_update()
    value = session.scalar(query)
    return None if value is None else ShardStatus(value)


def mark_done(
    session: Session, key: ShardKey, *, worker: str, at: datetime, result: dict[str, Any] | None, claimed: bool
) -> None:
    """Record success (in the transaction holding the effect); an unclaimed run counts its attempt here."""
    c = t.job_shards.c
    values: dict[str, Any] = {
        "status": ShardStatus.DONE.value,
        "worker": worker,
        "finished_at": at,
        "error": None,
        "result": result,
    }
    if not claimed:
        values.update(attempts=c.attempts + 1, started_at=at)
    session.execute(update(t.job_shards).where(key.where()).values(**values))


def mark_failed(session: Session, key: ShardKey, *, at: datetime, error: str) -> None:
    """Record a failed attempt with its error, unless another attempt meanwhile finished the shard."""
    session.execute(
        update(t.job_shards)
        .where(key.where(), t.job_shards.c.status != ShardStatus.DONE.value)
        .values(status=ShardStatus.FAILED.value, finished_at=at, error=error)
    )


def counts(session: Session, job: str | None = None, business_date: date | None = None) -> list[dict[str, Any]]:
    """Shards per status for each run (``job_runs``, so runs without shards show too), newest date first."""
    r, c = t.job_runs.c, t.job_shards.c
    joined = t.job_runs.outerjoin(t.job_shards, and_(c.job == r.job, c.business_date == r.business_date))
    query = (
        select(r.job, r.business_date, c.status, func.count(c.id))
        .select_from(joined)
        .group_by(r.job, r.business_date, c.status)
    )
    if job is not None:
        query = query.where(r.job == job)
    if business_date is not None:
        query = query.where(r.business_date == business_date)
    runs: dict[tuple[str, date], dict[str, Any]] = {}
    for name, day, status, n in session.execute(query):
        row = runs.setdefault(
            (name, day), {"job": name, "business_date": day, "total": 0, **{s.value: 0 for s in ShardStatus}}
        )
        if status is not None:
            row[status] = n
            row["total"] += n
    return [runs[k] for k in sorted(runs, key=lambda k: (-k[1].toordinal(), k[0]))]


def states(session: Session, job: str, business_date: date) -> dict[str, int]:
    """One run's shard counts: ``total`` and one entry per status (``{"total": 0}`` for an unknown run)."""
    rows = counts(session, job, business_date)
    return {k: v for k, v in rows[0].items() if k not in ("job", "business_date")} if rows else {"total": 0}


def shards(session: Session, job: str, business_date: date) -> list[dict[str, Any]]:
    """Every shard of one run with its state, attempts, worker, error and result, in key order."""
    c = t.job_shards.c
    query = (
        select(c.shard, c.status, c.attempts, c.worker, c.started_at, c.finished_at, c.error, c.result)
        .where(c.job == job, c.business_date == business_date)
        .order_by(c.shard)
    )
    return [dict(row._mapping) for row in session.execute(query)]
