"""Batch jobs split into idempotent shards keyed by ``(job, business_date, shard)``.

One interface, two engines: :func:`runner_for` gives an in-process runner on SQLite and a procrastinate queue
runner on PostgreSQL (executed by ``cashtrail worker`` processes). Exactly-once *effect* under at-least-once
delivery comes from the shard ledger: a handler's effect commits in the same transaction that marks its shard
``done`` (see :mod:`cashtrail.jobs.execute` and ``docs/jobs.md``).
"""

from __future__ import annotations

from cashtrail.jobs.execute import JobRuntime, Outcome, ShardOutcome
from cashtrail.jobs.ledger import ShardKey, ShardStatus
from cashtrail.jobs.registry import (
    JobRegistry,
    JobSpec,
    RunContext,
    ShardContext,
    customer_ranges,
    job,
    registry,
    shard_range,
    single_shard,
)
from cashtrail.jobs.runners import InProcessRunner, JobRunner, QueueRunner, RunSummary, runner_for, runtime_for

__all__ = [
    "InProcessRunner",
    "JobRegistry",
    "JobRunner",
    "JobRuntime",
    "JobSpec",
    "Outcome",
    "QueueRunner",
    "RunContext",
    "RunSummary",
    "ShardContext",
    "ShardKey",
    "ShardOutcome",
    "ShardStatus",
    "customer_ranges",
    "job",
    "registry",
    "runner_for",
    "runtime_for",
    "shard_range",
    "single_shard",
]
