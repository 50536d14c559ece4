"""Read-side queries over the audit trail; nothing here writes.

Events are listed newest first. The cursor ``before_id`` is the id of the last event of the previous page, so a
page is every event with a smaller id; ids only grow, so pages never repeat or skip an event.
"""

from __future__ import annotations

from cashtrail.audit.model import AuditEvent
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def list_audit_events(
    uow: UnitOfWork,
    actor: Actor,
    *,
    before_id: int | None = None,
    limit: int = 50,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> list[AuditEvent]:
    """A page of audit events, newest first, optionally of one entity type or one entity."""
    actor.require(Permission.AUDIT_READ)
    if entity_id is not None and not entity_type:
        raise ValidationFailed(
            "filtering by entity_id needs entity_type too",
            code="audit.entity_type_required",
            errors=[FieldError("entity_type", "is required when entity_id is given")],
        )
    with uow:
        if entity_type and entity_id is not None:
            # One entity's history is short, so its whole trail is read through the existing port and paged here.
            history = reversed(uow.audit.for_entity(entity_type, entity_id))
            return [e for e in history if before_id is None or (e.id is not None and e.id < before_id)][:limit]
        return list(uow.audit.page(after_id=before_id, limit=limit, entity_type=entity_type))
