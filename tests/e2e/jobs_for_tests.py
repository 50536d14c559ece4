"""Jobs for the end-to-end worker test, loaded by workers through ``CASHTRAIL_JOB_MODULES``.

``e2e.slow_effects`` has 40 shards; each inserts one row into ``e2e_shard_effects`` (unique per business date and
shard, created by the test) and then sleeps, so a worker killed mid-shard dies holding an uncommitted effect.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text

from cashtrail.jobs import RunContext, ShardContext, job

SHARD_COUNT = 40
EFFECTS_TABLE = "e2e_shard_effects"
SECONDS_PER_SHARD = float(os.environ.get("CASHTRAIL_E2E_SHARD_SECONDS", "0.3"))


def forty_shards(_ctx: RunContext, _business_date: date) -> Sequence[str]:
    return [f"s{n:02d}" for n in range(SHARD_COUNT)]


@job("e2e.slow_effects", planner=forty_shards)
def slow_effects(ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any]:
    """Write one effect row for the shard, then take a while (the test kills a worker in this window)."""
    ctx.connection.execute(
        text(f"INSERT INTO {EFFECTS_TABLE} (business_date, shard, worker) VALUES (:day, :shard, :worker)"),
        {"day": business_date, "shard": shard, "worker": ctx.worker},
    )
    time.sleep(SECONDS_PER_SHARD)
    return {"worker": ctx.worker}
