"""Audit-event schemas; ``changes`` is ``{field: [before, after]}`` with decimals and dates as strings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cashtrail.api.schemas.common import Page
from cashtrail.audit.model import AuditEvent


class AuditEventOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any] = Field(description="`{field: [before, after]}`; a creation has `before` null.")
    reason: str | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        """The API view of an audit event."""
        return cls(
            id=event.id or 0,
            occurred_at=event.occurred_at,
            actor=event.actor,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            changes=event.changes,
            reason=event.reason,
        )


class AuditEventPage(Page[AuditEventOut]):
    """A page of audit events, newest first."""
