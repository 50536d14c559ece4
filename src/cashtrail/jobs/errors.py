"""Errors of the job runner, in the shared families (so every door maps them the usual way)."""

from __future__ import annotations

from cashtrail.errors import Conflict, InvalidState, NotFound, ValidationFailed


class UnknownJob(NotFound):
    """No job of that name is registered (is its module listed in ``CASHTRAIL_JOB_MODULES``?)."""

    code = "job.unknown"


class JobAlreadyRegistered(Conflict):
    """Two different handlers claim the same job name."""

    code = "job.already_registered"


class InvalidShards(ValidationFailed):
    """A planner or caller gave empty, duplicate or over-long shard keys."""

    code = "job.invalid_shards"


class ShardNotRegistered(InvalidState):
    """A worker was asked to run a shard that no run registered (its ledger row is missing)."""

    code = "job.shard_not_registered"


class ShardFailed(InvalidState):
    """A shard's handler raised; the error is recorded on the shard and the next submit retries it."""

    code = "job.shard_failed"
