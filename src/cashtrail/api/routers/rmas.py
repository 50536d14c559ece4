"""RMAs: list (with SLA status), request against an invoiced order line, approve, reject, receive, close (a
credit drafts the credit note; ``Idempotency-Key`` accepted), and the SLA breaches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.idempotency import idempotent
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.rmas import CloseIn, DecisionIn, ReceiptIn, RmaIn, RmaList, RmaOut
from cashtrail.orders.model import parse_line_label
from cashtrail.orders.rma_services import (
    RmaRequest,
    close_rma,
    decide_rma,
    get_rma,
    list_rmas,
    receive_rma,
    request_rma,
    rma_breaches,
)

router = APIRouter(prefix="/v1", tags=["rmas"], responses=COMMON_PROBLEMS)
Number = Annotated[str, Path(min_length=1, max_length=24)]
IdempotencyKey = Annotated[
    str | None, Header(max_length=200, description="Retry-safe key: a repeated request gets the first response.")
]


def _out(app: CashtrailApp, actor: CurrentActor, number: str) -> RmaOut:
    return RmaOut.of(*get_rma(app.uow(), app.clock, actor, number))


@router.get("/rmas", summary="List RMAs with their SLA status")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    status: Annotated[str | None, Query(pattern="^(requested|approved|rejected|received|closed)$")] = None,
    order: Annotated[str | None, Query(max_length=24)] = None,
) -> RmaList:
    found = list_rmas(app.uow(), app.clock, actor, status=[status] if status else [], order=order)
    return RmaList(items=[RmaOut.of(r, s) for r, s in found])


@router.get("/rma-breaches", summary="RMAs in breach of their SLA")
def breaches(app: CashtrailApp, actor: CurrentActor) -> RmaList:
    """Resolved late or open past due, most overdue first."""
    return RmaList(items=[RmaOut.of(r, s) for r, s in rma_breaches(app.uow(), app.clock, actor)])


@router.post("/rmas", status_code=201, summary="Request an RMA", responses=problem_responses(404))
def create(body: RmaIn, app: CashtrailApp, actor: CurrentActor, request: Request, response: Response) -> RmaOut:
    """Only for what an issued invoice billed and is not returned yet."""
    rma = request_rma(
        app.uow(),
        app.clock,
        actor,
        RmaRequest(
            body.order,
            parse_line_label(body.line) or 0,
            body.rma_type,
            body.reason,
            body.quantity,
            body.disposition,
            tuple(body.serials),
        ),
    )
    response.headers["Location"] = str(request.url_for("get_rma", number=rma.number))
    return _out(app, actor, rma.number)


@router.get("/rmas/{number}", name="get_rma", summary="Get an RMA", responses=problem_responses(404))
def get(number: Number, app: CashtrailApp, actor: CurrentActor) -> RmaOut:
    return _out(app, actor, number)


@router.post("/rmas/{number}/approve", summary="Approve an RMA", responses=problem_responses(404, 409))
def approve(number: Number, body: DecisionIn, app: CashtrailApp, actor: CurrentActor) -> RmaOut:
    """Not by the person who requested it."""
    decide_rma(app.uow(), app.clock, actor, number, approve=True, note=body.note)
    return _out(app, actor, number)


@router.post("/rmas/{number}/reject", summary="Reject an RMA", responses=problem_responses(404, 409))
def reject(number: Number, body: DecisionIn, app: CashtrailApp, actor: CurrentActor) -> RmaOut:
    """With a reason; stops the SLA clock."""
    decide_rma(app.uow(), app.clock, actor, number, approve=False, note=body.note)
    return _out(app, actor, number)


@router.post("/rmas/{number}/receive", summary="Record the return's receipt", responses=problem_responses(404, 409))
def receive(number: Number, body: ReceiptIn, app: CashtrailApp, actor: CurrentActor) -> RmaOut:
    receive_rma(app.uow(), app.clock, actor, number, body.quantity)
    return _out(app, actor, number)


@router.post(
    "/rmas/{number}/close",
    response_model=RmaOut,
    summary="Close an RMA with its disposition",
    responses=problem_responses(404, 409),
)
def close(
    number: Number, body: CloseIn, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> RmaOut | JSONResponse:
    """credit (a credit note on the invoice that billed the line), replace or repair."""

    def run() -> RmaOut:
        close_rma(app.uow(), app.clock, actor, number, body.disposition, body.note)
        return _out(app, actor, number)

    return idempotent(app, actor, idempotency_key, f"rma-close:{number}", body, run)
