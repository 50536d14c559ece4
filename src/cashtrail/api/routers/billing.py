"""Billing: bill runs (with preview) and the billing-blocks worklist with stop and release."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, status

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.billing import (
    BillRunIn,
    BillRunOut,
    BlockIn,
    BlockList,
    BlockOut,
    ChargeOut,
    CorrectionIn,
    CorrectionOut,
    ReleaseIn,
)
from cashtrail.billing.block_services import open_blocks, place_block, release_block
from cashtrail.billing.blocks import BlockPolicy
from cashtrail.billing.services import correct_billed_period, run_bill_run

router = APIRouter(prefix="/v1/billing", tags=["billing"], responses=COMMON_PROBLEMS)


@router.post("/runs", summary="Run (or preview) the bill run of a month")
def bill_run(body: BillRunIn, app: CashtrailApp, actor: CurrentActor) -> BillRunOut:
    """Bill every charge due in the month; with ``preview`` nothing is written. Re-running bills nothing twice."""
    policy = BlockPolicy(
        allow_estimates=not body.real_reads_only,
        max_amount_per_customer=Decimal(body.max_amount_per_customer) if body.max_amount_per_customer else None,
    )
    return BillRunOut.of(run_bill_run(app.uow(), app.clock, actor, body.period, preview=body.preview, policy=policy))


@router.post("/corrections", summary="Credit and rebill a billed month after a contract amendment")
def correct(body: CorrectionIn, app: CashtrailApp, actor: CurrentActor) -> CorrectionOut:
    """Re-rate the month under the contract's current version; returns the reversal and rebill lines written."""
    lines = correct_billed_period(app.uow(), app.clock, actor, body.contract, body.period)
    return CorrectionOut(lines=[ChargeOut.of(c) for c in lines])


@router.get("/blocks", summary="The billing-blocks worklist")
def blocks(app: CashtrailApp, actor: CurrentActor) -> BlockList:
    """Every block not released yet, automatic and manual."""
    return BlockList(items=[BlockOut.of(b) for b in open_blocks(app.uow(), actor)])


@router.post("/blocks", status_code=status.HTTP_201_CREATED, summary="Stop billing of a charge, contract or customer")
def block(body: BlockIn, app: CashtrailApp, actor: CurrentActor) -> BlockOut:
    """Place a manual block with a reason and an owner, optionally releasing itself on ``release_on``."""
    return BlockOut.of(
        place_block(
            app.uow(),
            app.clock,
            actor,
            scope=body.scope,
            target=body.target,
            reason=body.reason,
            owner=body.owner,
            release_on=body.release_on,
        )
    )


@router.post("/blocks/{block_id}/release", summary="Release a billing block")
def release(block_id: Annotated[int, Path(ge=1)], body: ReleaseIn, app: CashtrailApp, actor: CurrentActor) -> BlockOut:
    """Release the block; its charges flow into the next bill run."""
    return BlockOut.of(release_block(app.uow(), app.clock, actor, block_id, body.reason))
