"""The job registry: named batch jobs, each a *planner* (which shards a run has) and a *shard handler*.

A run of a job is keyed by ``(job, business_date)`` and split into shards keyed by ``(job, business_date, shard)``;
a shard key is a short string chosen by the planner (a customer-number range such as ``C0001..C0500``, an entity
type, ``all``). Invariants a handler must keep:

- it does its whole effect through ``ctx.uow`` / ``ctx.connection`` and never commits: the runner commits the
  effect in the same transaction that marks the shard ``done``, so a shard delivered twice changes data once;
- it is deterministic for its key: re-running a failed or interrupted shard recomputes the same effect;
- anything outside the database (mail, files, HTTP) goes out only after that commit (house style I3).

Register with the decorator; modules listed in ``CASHTRAIL_JOB_MODULES`` are imported by workers and the CLI::

    @job("audit.daily_digest", planner=entity_types_with_events)
    def daily_digest(ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any] | None: ...
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from cashtrail.clock import Clock
from cashtrail.db import tables as t
from cashtrail.db.uow import SqlUnitOfWork
from cashtrail.jobs.errors import InvalidShards, JobAlreadyRegistered, UnknownJob

#: The procrastinate queue shards go to unless a job names its own (workers may listen to a subset).
DEFAULT_QUEUE = "cashtrail"
#: Modules that ship with Cashtrail and are always imported.
BUILTIN_JOB_MODULES = ("cashtrail.jobs.audit_digest", "cashtrail.jobs.bill_run", "cashtrail.jobs.dunning_run")
MAX_SHARD_KEY = 100


@dataclass(frozen=True)
class RunContext:
    """What a planner gets: the run's unit of work (already entered), the clock and the business timezone."""

    uow: SqlUnitOfWork
    clock: Clock
    timezone: str

    @property
    def session(self) -> Session:
        return self.uow.session

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection of the current transaction, for set-based Core statements."""
        return self.uow.session.connection()


@dataclass(frozen=True)
class ShardContext(RunContext):
    """What a shard handler gets: the run context plus the shard's identity and the worker running it."""

    job: str
    business_date: date
    shard: str
    worker: str


ShardHandler = Callable[[ShardContext, date, str], dict[str, Any] | None]
Planner = Callable[[RunContext, date], Sequence[str]]


def single_shard(_ctx: RunContext, _business_date: date) -> Sequence[str]:
    """The planner of a job that is not split: one shard called ``all``."""
    return ["all"]


def customer_ranges(size: int = 500) -> Planner:
    """A planner splitting the customers, by number order, into ranges of ``size`` (shard ``C0001..C0500``)."""

    def plan(ctx: RunContext, _business_date: date) -> Sequence[str]:
        numbers = list(ctx.session.scalars(select(t.customers.c.number).order_by(t.customers.c.number)))
        return [f"{chunk[0]}..{chunk[-1]}" for chunk in _chunks(numbers, size)]

    return plan


def shard_range(shard: str) -> tuple[str, str]:
    """The inclusive ``(first, last)`` customer numbers of a ``customer_ranges`` shard key.

    >>> shard_range("C0001..C0500")
    ('C0001', 'C0500')
    """
    first, sep, last = shard.partition("..")
    if not sep or not first or not last:
        raise InvalidShards(f"{shard!r} is not a range shard like C0001..C0500", shard=shard)
    return first, last


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class JobSpec:
    """A registered job."""

    name: str
    handler: ShardHandler
    planner: Planner = single_shard
    queue: str = DEFAULT_QUEUE
    description: str = ""

    def plan(self, ctx: RunContext, business_date: date) -> list[str]:
        """The shard keys of a run, checked: non-empty, unique and at most 100 characters."""
        return checked_shards(self.planner(ctx, business_date))


def checked_shards(shards: Sequence[str]) -> list[str]:
    """``shards`` as a list, refusing empty, over-long or duplicate keys."""
    keys = list(shards)
    bad = [k for k in keys if not isinstance(k, str) or not k or len(k) > MAX_SHARD_KEY]
    if bad:
        raise InvalidShards(f"shard keys must be 1 to {MAX_SHARD_KEY} characters: {bad[:5]!r}", shards=bad[:20])
    if len(set(keys)) != len(keys):
        raise InvalidShards(
            "shard keys must be unique within a run", shards=sorted({k for k in keys if keys.count(k) > 1})
        )
    return keys


@dataclass
class JobRegistry:
    """Jobs by name. Re-importing a module re-registers the same handler harmlessly; a different one is refused."""

    jobs: dict[str, JobSpec] = field(default_factory=dict)

    def register(self, spec: JobSpec) -> JobSpec:
        known = self.jobs.get(spec.name)
        if known is not None and _origin(known.handler) != _origin(spec.handler):
            raise JobAlreadyRegistered(
                f"job {spec.name} is already registered by {_origin(known.handler)}", job=spec.name
            )
        self.jobs[spec.name] = spec
        return spec

    def job(
        self, name: str, *, planner: Planner = single_shard, queue: str = DEFAULT_QUEUE, description: str = ""
    ) -> Callable[[ShardHandler], ShardHandler]:
        """Decorator registering a shard handler under ``name``."""

        def register(handler: ShardHandler) -> ShardHandler:
            summary = description or next(iter((handler.__doc__ or "").strip().splitlines()), "")
            self.register(JobSpec(name=name, handler=handler, planner=planner, queue=queue, description=summary))
            return handler

        return register

    def get(self, name: str) -> JobSpec:
        """The job called ``name``, or :class:`UnknownJob`."""
        try:
            return self.jobs[name]
        except KeyError:
            raise UnknownJob(
                f"no job called {name!r}; known: {', '.join(sorted(self.jobs)) or 'none'}", job=name
            ) from None

    def all(self) -> list[JobSpec]:
        return [self.jobs[name] for name in sorted(self.jobs)]


def _origin(handler: Callable[..., Any]) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


#: The process-wide registry the ``@job`` decorator writes to.
registry = JobRegistry()
job = registry.job


def load_job_modules(extra: str = "") -> list[str]:
    """Import the built-in job modules and those in ``extra`` (comma-separated); returns the module names."""
    names = [*BUILTIN_JOB_MODULES, *(m.strip() for m in extra.split(",") if m.strip())]
    for name in names:
        importlib.import_module(name)
    return names
