"""Customer cases in the workbench: the queries received by e-mail, chat or ticket, those past their SLA first, with
buttons to answer or close one and a field to name the customer of an e-mail no customer was found for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.disputes.case_services import list_cases, update_case
from cashtrail.disputes.cases import CaseState
from cashtrail.errors import ValidationFailed
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()
STATES = ("open", "answered", "closed")


@router.get("/collections/cases")
def cases_page(
    request: Request,
    user: CurrentUser,
    state: Annotated[str, Query(max_length=16)] = "open",
    customer: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    app = cashtrail_app(request)
    if state and state not in STATES:
        raise ValidationFailed(f"state is one of {', '.join(STATES)}", code="case.bad_state")
    now = app.clock.now()
    cases = list_cases(app.uow(), user.actor, state=state or None, customer=customer or None)
    rows = sorted(cases, key=lambda c: (not c.past_sla(now), c.sla_due_at or now))  # late first, then by due time
    context = {"cases": rows, "late": {c.id for c in cases if c.past_sla(now)}, "state": state, "customer": customer}
    return render(request, "collections/cases.html", {**context, "states": STATES})


@router.post("/collections/cases/{case_id}")
def update(
    request: Request,
    user: CurrentUser,
    case_id: int,
    action: Annotated[str, Form(max_length=16)] = "",
    customer: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Answer or close the case, or link it to its customer."""
    app = cashtrail_app(request)
    if action not in ("", "answered", "closed"):
        raise ValidationFailed("a case is answered or closed", code="case.bad_state")
    if not action and not customer.strip():
        raise ValidationFailed("choose answer or close, or name the customer", code="case.nothing_to_do")
    case = update_case(
        app.uow(),
        app.clock,
        user.actor,
        case_id,
        state=CaseState(action) if action else None,
        customer_number=customer.strip() or None,
    )
    linked = f", for {case.customer_number}" if customer.strip() else ""
    flash(request, "success", f"Case {case.id} is {case.state}{linked}.")
    return RedirectResponse("/collections/cases", status_code=303)
