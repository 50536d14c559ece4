"""``audit.daily_digest``: what changed on a business date, one shard per entity type that changed.

The business date is a calendar day in the business timezone (``CASHTRAIL_TIMEZONE``); its events are those whose
UTC instant falls inside that local day. Each shard stores its digest as the shard's result (events, counts per
action, the actors), read back with ``cashtrail job status --job audit.daily_digest --date D --shards``. The
digest reads the append-only audit log only, so recomputing a shard gives the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from cashtrail.db import tables as t
from cashtrail.jobs.registry import RunContext, ShardContext, job

MAX_ACTORS = 50


def day_bounds(business_date: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of ``business_date`` in ``timezone``.

    >>> day_bounds(date(2026, 11, 23), "Europe/Brussels")[0].isoformat()
    '2026-11-22T23:00:00+00:00'
    """
    start = datetime.combine(business_date, time(), ZoneInfo(timezone))
    end = datetime.combine(business_date + timedelta(days=1), time(), ZoneInfo(timezone))
    return start.astimezone(UTC), end.astimezone(UTC)


def entity_types_changed(ctx: RunContext, business_date: date) -> Sequence[str]:
    """Planner: the entity types with at least one audit event on the business date."""
    start, end = day_bounds(business_date, ctx.timezone)
    c = t.audit_events.c
    query = select(c.entity_type).where(c.occurred_at >= start, c.occurred_at < end).distinct()
    return sorted(ctx.session.scalars(query))


@job("audit.daily_digest", planner=entity_types_changed)
def daily_digest(ctx: ShardContext, business_date: date, shard: str) -> dict[str, Any]:
    """Per entity type: how many changes on the business date, by action, and by whom."""
    start, end = day_bounds(business_date, ctx.timezone)
    c = t.audit_events.c
    query = (
        select(c.action, c.actor, func.count())
        .where(c.entity_type == shard, c.occurred_at >= start, c.occurred_at < end)
        .group_by(c.action, c.actor)
    )
    by_action: dict[str, int] = {}
    actors: set[str] = set()
    for action, actor, count in ctx.session.execute(query):
        by_action[action] = by_action.get(action, 0) + count
        actors.add(actor)
    return {
        "entity_type": shard,
        "events": sum(by_action.values()),
        "by_action": dict(sorted(by_action.items())),
        "actors": sorted(actors)[:MAX_ACTORS],
        "actor_count": len(actors),
    }
