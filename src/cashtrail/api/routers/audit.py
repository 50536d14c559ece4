"""Audit events: the append-only trail, newest first, filtered by entity; needs ``audit:read``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.audit import AuditEventOut, AuditEventPage
from cashtrail.audit.queries import list_audit_events

router = APIRouter(prefix="/v1/audit-events", tags=["audit"], responses=COMMON_PROBLEMS)


@router.get("", summary="List audit events")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    entity_type: Annotated[str | None, Query(max_length=32, description="e.g. `customer`.")] = None,
    entity_id: Annotated[
        str | None, Query(max_length=64, description="e.g. a customer number; needs `entity_type`.")
    ] = None,
) -> AuditEventPage:
    """Audit events, newest first, one page at a time."""
    rows = list_audit_events(
        app.uow(),
        actor,
        before_id=page.after_id,
        limit=page.fetch_size,
        entity_type=entity_type,
        entity_id=entity_id,
    )
    items, next_cursor = page.cut(rows, lambda e: e.id)
    return AuditEventPage(items=[AuditEventOut.of(e) for e in items], next_cursor=next_cursor)
