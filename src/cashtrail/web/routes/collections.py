"""Collections pages: the dashboard (headline metrics and monthly trends per collector, country or customer), the
worklist, disputes and the dunning letters (PDF download)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response

from cashtrail.analytics.dashboard import dashboard
from cashtrail.analytics.queries import METRIC_LABELS, Scope, refresh_read_model
from cashtrail.disputes.services import list_disputes
from cashtrail.dunning.work_services import collector_worklist
from cashtrail.errors import NotFound, ValidationFailed
from cashtrail.identity.model import Permission
from cashtrail.web.security import CurrentUser, cashtrail_app
from cashtrail.web.templating import render

router = APIRouter()


def _as_of(request: Request, value: str) -> date:
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed("as of is a date, YYYY-MM-DD", code="web.bad_date") from None
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/collections")
def collections_dashboard(
    request: Request,
    user: CurrentUser,
    as_of: Annotated[str, Query(max_length=10)] = "",
    collector: Annotated[str, Query(max_length=64)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
    customer: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    """Metrics as of a date with their trend over the last twelve month ends."""
    user.actor.require(Permission.AR_READ)
    app = cashtrail_app(request)
    day = _as_of(request, as_of)
    refresh_read_model(app.uow())
    scope = Scope(collector or None, country.upper() or None, customer or None)
    data = dashboard(app.uow(), user.actor, day, scope=scope)
    with app.uow() as uow:
        collectors = sorted({p.collector for p in uow.dunning.profiles().values() if p.collector})
    context = {
        "data": data,
        "chart_json": json.dumps({"months": data["months"], "trend": data["trend"]}),
        "as_of": day.isoformat(),
        "collector": collector,
        "country": country,
        "customer": customer,
        "collectors": collectors,
        "labels": METRIC_LABELS,
    }
    return render(request, "collections/dashboard.html", context)


@router.get("/collections/worklist")
def worklist_page(
    request: Request,
    user: CurrentUser,
    as_of: Annotated[str, Query(max_length=10)] = "",
    collector: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The accounts to work, highest priority first; a collector sees their own by default."""
    app = cashtrail_app(request)
    day = _as_of(request, as_of)
    mine = collector or (user.actor.username if user.actor.can(Permission.COLLECTIONS_WORK) else "")
    entries = collector_worklist(app.uow(), user.actor, mine or None, day)
    return render(
        request, "collections/worklist.html", {"entries": entries, "as_of": day.isoformat(), "collector": mine}
    )


@router.get("/collections/disputes")
def disputes_page(request: Request, user: CurrentUser, state: Annotated[str, Query(max_length=32)] = "") -> Response:
    app = cashtrail_app(request)
    disputes = list_disputes(app.uow(), user.actor, state=state or None)
    return render(request, "collections/disputes.html", {"disputes": disputes, "state": state})


@router.get("/collections/letters")
def letters_page(request: Request, user: CurrentUser, customer: Annotated[str, Query(max_length=32)] = "") -> Response:
    user.actor.require(Permission.AR_READ)
    app = cashtrail_app(request)
    with app.uow() as uow:
        letters = uow.dunning.letters(customer=customer or None)
    return render(request, "collections/letters.html", {"letters": letters, "customer": customer})


@router.get("/collections/letters/{letter_id}.pdf")
def letter_pdf(request: Request, user: CurrentUser, letter_id: int) -> Response:
    user.actor.require(Permission.AR_READ)
    app = cashtrail_app(request)
    with app.uow() as uow:
        found = uow.dunning.letter_pdf(letter_id)
    if found is None:
        raise NotFound(f"no PDF for letter {letter_id}", code="dunning.letter_not_found")
    name, content = found
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
