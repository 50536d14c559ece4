"""The collector's work over the API: activities, promises to pay, and write-offs (prepared by one person, decided
by another; the decision posts to the ledger and accepts an ``Idempotency-Key``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Path, status
from fastapi.responses import JSONResponse

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.idempotency import idempotent
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.collections import (
    ActivityIn,
    CreatedOut,
    DecisionIn,
    PromiseIn,
    WriteOffIn,
    WriteOffOut,
)
from cashtrail.dunning.activities import ActivityKind
from cashtrail.dunning.work_services import make_promise, record_activity
from cashtrail.dunning.write_off_services import decide_write_off, list_write_offs, prepare_write_off
from cashtrail.dunning.write_offs import WriteOff
from cashtrail.money import Money

router = APIRouter(prefix="/v1", tags=["collections"], responses=COMMON_PROBLEMS)
IdempotencyKey = Annotated[
    str | None, Header(max_length=200, description="Retry-safe key: a repeated request gets the first response.")
]


@router.post("/activities", status_code=status.HTTP_201_CREATED, summary="Log a call, e-mail, note or escalation")
def activity(body: ActivityIn, app: CashtrailApp, actor: CurrentActor) -> CreatedOut:
    activity_id = record_activity(
        app.uow(),
        app.clock,
        actor,
        body.customer_number,
        ActivityKind(body.kind),
        body.summary,
        on=body.occurred_on,
        escalate_to=body.escalate_to,
    )
    return CreatedOut(id=activity_id)


@router.post("/promises", status_code=status.HTTP_201_CREATED, summary="Record a promise to pay")
def promise(body: PromiseIn, app: CashtrailApp, actor: CurrentActor) -> CreatedOut:
    """Its items (or the account) leave dunning until its date; cash application decides whether it was kept."""
    amount = Money(Decimal(body.amount), body.currency.upper())
    promise_id = make_promise(
        app.uow(),
        app.clock,
        actor,
        body.customer_number,
        amount,
        body.promised_on,
        on=body.made_on,
        item_ids=body.item_ids,
    )
    return CreatedOut(id=promise_id)


def _out(w: WriteOff) -> WriteOffOut:
    assert w.id is not None
    return WriteOffOut(
        id=w.id,
        item_id=w.item_id,
        customer_number=w.customer_number,
        amount=str(w.amount.amount),
        currency=w.amount.currency,
        status=w.status,
        prepared_by=w.prepared_by,
        decided_by=w.decided_by,
        posted_on=w.posted_on,
        recovered=str((w.recovered or Money.zero(w.amount.currency)).amount),
    )


@router.get("/write-offs", summary="Write-offs, newest first")
def write_offs(app: CashtrailApp, actor: CurrentActor, status: str | None = None) -> list[WriteOffOut]:
    return [_out(w) for w in list_write_offs(app.uow(), actor, status)]


@router.post("/write-offs", status_code=status.HTTP_201_CREATED, summary="Prepare a write-off")
def prepare(body: WriteOffIn, app: CashtrailApp, actor: CurrentActor) -> WriteOffOut:
    """Of all that is open on the receivable, or of an amount; another person approves it."""
    with app.uow() as uow:
        item = uow.ledger.items([body.item_id]).get(body.item_id)
    currency = item.amount.currency if item is not None else "EUR"
    amount = Money(Decimal(body.amount), currency) if body.amount is not None else None
    return _out(prepare_write_off(app.uow(), app.clock, actor, body.item_id, body.reason, amount=amount))


@router.post(
    "/write-offs/{write_off_id}/decision",
    response_model=WriteOffOut,
    summary="Approve (and post) or reject a write-off",
)
def decide(
    write_off_id: Annotated[int, Path(ge=1)],
    body: DecisionIn,
    app: CashtrailApp,
    actor: CurrentActor,
    idempotency_key: IdempotencyKey = None,
) -> WriteOffOut | JSONResponse:
    """Never by its preparer (segregation of duties); approval posts Dr write-offs / Cr AR."""
    return idempotent(
        app,
        actor,
        idempotency_key,
        f"write-off-decision:{write_off_id}",
        body,
        lambda: _out(
            decide_write_off(app.uow(), app.clock, actor, write_off_id, approve=body.approve, on=body.posted_on)
        ),
    )
