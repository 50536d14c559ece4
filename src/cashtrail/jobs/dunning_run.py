"""``dunning.run``: the day's dunning run split into shards of customers, for the job runner.

Each shard runs :func:`cashtrail.dunning.run_services.run_dunning` for its customer range inside the shard's
transaction (letters, their PDFs and the outbox e-mails commit with the shard's ``done`` mark), so a shard
delivered twice sends once, and a crashed run resumes with the shards not done. Customers lettered on the date
by another scope (a direct ``cashtrail dunning run``) are skipped. Shards run as the system actor.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.run_services import run_dunning
from cashtrail.identity.model import Actor
from cashtrail.jobs.registry import ShardContext, customer_ranges, job, shard_range

SHARD_SIZE = 500


@job("dunning.run", planner=customer_ranges(SHARD_SIZE))
def dunning_run(ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any]:
    """Dun the customers of ``shard`` as of ``business_date``."""
    result = run_dunning(
        ctx.uow, ctx.clock, Actor.system(), business_date, renderer=WeasyLetterRenderer(), customers=shard_range(shard)
    )
    return {"letters": len(result.letters), "already_run": result.already_run, "held": result.held}
