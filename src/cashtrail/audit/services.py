"""Recording audit events from use cases, inside the caller's unit of work."""

from __future__ import annotations

from cashtrail.audit.model import AuditEvent, diff
from cashtrail.clock import Clock
from cashtrail.identity.model import Actor
from cashtrail.ports import UnitOfWork


def record(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    *,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append an audit event for a change; commits with the caller's transaction."""
    event = AuditEvent(
        occurred_at=clock.now(),
        actor=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=diff(before, after),
        reason=reason,
    )
    uow.audit.append(event)
    return event
