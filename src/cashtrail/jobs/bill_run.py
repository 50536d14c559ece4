"""``billing.bill_run``: the monthly bill run split into shards of customers, for the job runner.

The business date names the month (any day of it; use the 1st). Each shard bills the contracts of a range of
customer numbers through the same use case as ``cashtrail bill run``, inside the shard's transaction, so its effect
commits with the shard's ``done`` mark: a shard delivered twice bills once, and a crashed run resumes with the
shards not done. The shard's result is its run summary. Shards run as the system actor.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cashtrail.billing.services import run_bill_run
from cashtrail.identity.model import Actor
from cashtrail.jobs.registry import ShardContext, customer_ranges, job, shard_range

SHARD_SIZE = 500


@job("billing.bill_run", planner=customer_ranges(SHARD_SIZE))
def bill_run(ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any]:
    """Bill the month of ``business_date`` for the customers of ``shard``."""
    result = run_bill_run(ctx.uow, ctx.clock, Actor.system(), f"{business_date:%Y-%m}", customers=shard_range(shard))
    return result.summary()
