"""A customer's collections account: open items, disputes, promises, activities, letters and holds, with forms to
log a call or note and to record a promise to pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.dunning.account_queries import account_view
from cashtrail.dunning.activities import ActivityKind
from cashtrail.dunning.work_services import make_promise, record_activity
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/collections/accounts/{customer}")
def account(request: Request, user: CurrentUser, customer: str) -> Response:
    app = cashtrail_app(request)
    view = account_view(app.uow(), user.actor, customer)
    return render(
        request,
        "collections/account.html",
        {"view": view, "today": _today(request).isoformat(), "kinds": [k for k in ActivityKind if k != "promise"]},
    )


@router.post("/collections/accounts/{customer}/activities")
def log_activity(
    request: Request,
    user: CurrentUser,
    customer: str,
    kind: Annotated[str, Form(max_length=16)],
    summary: Annotated[str, Form(max_length=2000)],
    escalate_to: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Log a call, e-mail, note or escalation dated today."""
    app = cashtrail_app(request)
    if kind not in {k.value for k in ActivityKind} - {"promise"}:
        raise ValidationFailed(f"unknown activity {kind!r}", code="activity.unknown_kind")
    record_activity(
        app.uow(), app.clock, user.actor, customer, ActivityKind(kind), summary, on=_today(request),
        escalate_to=escalate_to or None,
    )  # fmt: skip
    flash(request, "success", f"{kind.capitalize()} logged on {customer}.")
    return RedirectResponse(f"/collections/accounts/{customer}", status_code=303)


@router.post("/collections/accounts/{customer}/promises")
def record_promise(
    request: Request,
    user: CurrentUser,
    customer: str,
    amount: Annotated[str, Form(max_length=24)],
    promised_on: Annotated[str, Form(max_length=10)],
) -> Response:
    """A promise to pay the account by a date (taken today)."""
    app = cashtrail_app(request)
    try:
        value, by = Decimal(amount), date.fromisoformat(promised_on)
    except (InvalidOperation, ValueError):
        raise ValidationFailed("a promise needs an amount and a date", code="promise.bad_input") from None
    view = account_view(app.uow(), user.actor, customer)
    money = Money(value, view.customer.currency)
    make_promise(app.uow(), app.clock, user.actor, customer, money, by, on=_today(request))
    flash(request, "success", f"{customer} promised {money} by {by}.")
    return RedirectResponse(f"/collections/accounts/{customer}", status_code=303)
