"""Customer cases: list them (past their SLA first to see), take one by chat or ticket, answer, close or link one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.cases import CaseIn, CaseOut, CaseUpdateIn
from cashtrail.disputes.case_services import list_cases, open_case, update_case
from cashtrail.disputes.cases import CaseState, Channel

router = APIRouter(prefix="/v1", tags=["collections"], responses=COMMON_PROBLEMS)


@router.get("/cases", summary="Customer cases, newest first")
def cases(
    app: CashtrailApp,
    actor: CurrentActor,
    state: Annotated[str | None, Query(pattern="^(open|answered|closed)$")] = None,
    customer: Annotated[str | None, Query(max_length=32)] = None,
) -> list[CaseOut]:
    now = app.clock.now()
    return [CaseOut.of(c, now) for c in list_cases(app.uow(), actor, state=state, customer=customer)]


@router.post(
    "/cases",
    status_code=status.HTTP_201_CREATED,
    summary="Open a case taken by chat or ticket",
    responses=problem_responses(404),
)
def open_(body: CaseIn, app: CashtrailApp, actor: CurrentActor) -> CaseOut:
    """The invoice numbers named in the subject or body are linked; the SLA runs from now."""
    case = open_case(app.uow(), app.clock, actor, body.customer_number, Channel(body.channel), body.subject, body.body)
    return CaseOut.of(case, app.clock.now())


@router.post("/cases/{case_id}", summary="Answer, close or link a case", responses=problem_responses(404, 409))
def update(case_id: int, body: CaseUpdateIn, app: CashtrailApp, actor: CurrentActor) -> CaseOut:
    case = update_case(
        app.uow(),
        app.clock,
        actor,
        case_id,
        state=CaseState(body.state) if body.state else None,
        dispute_id=body.dispute_id,
        customer_number=body.customer_number,
    )
    return CaseOut.of(case, app.clock.now())
