"""Use cases of legal entities: define (create or update) one, and list them."""

from __future__ import annotations

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.entities import LegalEntity, check_legal_entity
from cashtrail.ports import UnitOfWork


def define_legal_entity(uow: UnitOfWork, clock: Clock, actor: Actor, entity: LegalEntity) -> LegalEntity:
    """Create the entity, or update the one with the same code (an unchanged entity writes nothing); at most one
    entity is the default."""
    actor.require(Permission.ENTITIES_MANAGE)
    errors = check_legal_entity(entity)
    if errors:
        raise ValidationFailed(f"legal entity {entity.code} is invalid", code="legal_entity.invalid", errors=errors)
    with uow:
        existing = uow.legal_entities.get_by_code(entity.code)
        if entity.is_default:
            for other in uow.legal_entities.all():
                if other.is_default and other.code != entity.code:
                    other.is_default = False
                    uow.legal_entities.save(other)
        if existing is not None:
            entity.id = existing.id
        if existing is None:
            uow.legal_entities.add(entity)
            record(uow, clock, actor, "legal_entity.created", "legal_entity", entity.code, after=entity.snapshot())
        elif existing.snapshot() != entity.snapshot():
            uow.legal_entities.save(entity)
            record(
                uow,
                clock,
                actor,
                "legal_entity.updated",
                "legal_entity",
                entity.code,
                before=existing.snapshot(),
                after=entity.snapshot(),
            )
        uow.commit()
        return entity


def legal_entities(uow: UnitOfWork, actor: Actor) -> list[LegalEntity]:
    """Every legal entity, by code."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        return uow.legal_entities.all()
