"""Use cases of billing blocks: stop billing by hand, release, and the worklist."""

from __future__ import annotations

from datetime import date

from cashtrail.audit.services import record
from cashtrail.billing.blocks import Block, BlockReason, Scope
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


class BlockNotFound(NotFound):
    code = "block.not_found"


def place_block(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    scope: str,
    target: str,
    reason: str,
    owner: str,
    release_on: date | None = None,
) -> Block:
    """Stop billing of a charge, contract or customer by hand (a "stop invoice" instruction)."""
    actor.require(Permission.BILLING_BLOCK)
    errors = []
    if scope not in Scope.__members__.values():
        errors.append(FieldError("scope", f"must be one of {', '.join(Scope)}", value=scope))
    if not reason.strip():
        errors.append(FieldError("reason", "is required"))
    if not target.strip():
        errors.append(FieldError("target", "is required"))
    if errors:
        raise ValidationFailed("invalid billing block", code="billing_block.invalid", errors=errors)
    block = Block(
        scope,
        target.strip(),
        BlockReason.MANUAL,
        reason.strip(),
        owner or actor.username,
        clock.now(),
        actor.username,
        release_on=release_on,
    )
    with uow:
        uow.blocks.add(block)
        record(
            uow,
            clock,
            actor,
            "billing_block.placed",
            "billing_block",
            block.id,
            after={
                "scope": scope,
                "target": block.target,
                "reason": block.reason,
                "detail": block.detail,
                "owner": block.owner,
                "release_on": release_on,
            },
            reason=block.detail,
        )
        uow.commit()
    return block


def release_block(uow: UnitOfWork, clock: Clock, actor: Actor, block_id: int, reason: str) -> Block:
    """Release a block with a reason; its charges flow into the next run."""
    actor.require(Permission.BILLING_BLOCK)
    with uow:
        block = uow.blocks.get(block_id)
        if block is None:
            raise BlockNotFound(f"billing block {block_id} not found", block_id=block_id)
        block.release(actor.username, reason, clock.now())
        uow.blocks.save(block)
        record(
            uow,
            clock,
            actor,
            "billing_block.released",
            "billing_block",
            block_id,
            before={"released": False},
            after={"released": True},
            reason=block.release_reason,
        )
        uow.commit()
    return block


def open_blocks(uow: UnitOfWork, actor: Actor) -> list[Block]:
    """The billing-blocks worklist: every block not released yet."""
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        return uow.blocks.unreleased()
