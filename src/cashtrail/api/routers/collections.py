"""Collections: AR metrics as of a date, dunning runs, disputes and the collector's worklist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, status

from cashtrail.analytics.queries import Scope, refresh_read_model, report
from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.collections import (
    DisputeIn,
    DisputeOut,
    DunningRunIn,
    DunningRunOut,
    ReportOut,
    ResolveIn,
    WorklistEntryOut,
)
from cashtrail.disputes.services import list_disputes, open_dispute, resolve_dispute
from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.run_services import run_dunning
from cashtrail.dunning.work_services import collector_worklist
from cashtrail.errors import NotFound
from cashtrail.money import Money

router = APIRouter(prefix="/v1", tags=["collections"], responses=COMMON_PROBLEMS)


@router.get("/reports/{metric}", summary="An AR metric as of a date")
def metric_report(
    metric: str,
    app: CashtrailApp,
    actor: CurrentActor,
    as_of: Annotated[date, Query()],
    days: Annotated[int, Query(ge=1, le=3660)] = 90,
    collector: Annotated[str | None, Query(max_length=64)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    customer: Annotated[str | None, Query(max_length=32)] = None,
) -> ReportOut:
    """DSO (period-end, count-back), best possible DSO, ADD, CEI, percent current, aging, provision, promise-kept
    rate, dispute cycle time, unapplied cash, open deductions; per currency, over a scope."""
    refresh_read_model(app.uow())
    data = report(app.uow(), actor, metric, as_of, days=days, scope=Scope(collector, country, customer))
    return ReportOut(**data)


@router.post("/dunning/runs", summary="Run (or preview) dunning as of a date")
def dunning_run(body: DunningRunIn, app: CashtrailApp, actor: CurrentActor) -> DunningRunOut:
    """Idempotent per date: a second run of the same date returns ``already_run`` and sends nothing."""
    renderer = None if body.preview else WeasyLetterRenderer()
    result = run_dunning(app.uow(), app.clock, actor, body.as_of, preview=body.preview, renderer=renderer)
    return DunningRunOut(**result.as_dict())


@router.get("/disputes", summary="Disputes, newest first")
def disputes(
    app: CashtrailApp,
    actor: CurrentActor,
    state: Annotated[str | None, Query(max_length=32)] = None,
    customer: Annotated[str | None, Query(max_length=32)] = None,
) -> list[DisputeOut]:
    return [DisputeOut.of(d) for d in list_disputes(app.uow(), actor, state=state, customer=customer)]


@router.post("/disputes", status_code=status.HTTP_201_CREATED, summary="Dispute an invoice or one of its lines")
def create_dispute(body: DisputeIn, app: CashtrailApp, actor: CurrentActor) -> DisputeOut:
    amount = None
    if body.amount is not None:
        with app.uow() as uow:
            doc = uow.invoices.get_by_number(body.invoice_number)
        if doc is None:
            raise NotFound(f"no issued invoice {body.invoice_number}", code="dispute.invoice_not_found")
        amount = Money(Decimal(body.amount), doc.currency)
    dispute = open_dispute(
        app.uow(),
        app.clock,
        actor,
        body.invoice_number,
        body.reason,
        body.department,
        on=body.opened_on,
        amount=amount,
        line_number=body.line_number,
        description=body.description,
    )
    return DisputeOut.of(dispute)


@router.post("/disputes/{dispute_id}/resolve", summary="Resolve a dispute (credit note, rebill, rejected)")
def resolve(dispute_id: int, body: ResolveIn, app: CashtrailApp, actor: CurrentActor) -> DisputeOut:
    dispute = resolve_dispute(
        app.uow(), app.clock, actor, dispute_id, body.resolution, on=body.resolved_on, note=body.note
    )
    return DisputeOut.of(dispute)


@router.get("/worklist", summary="The collector's worklist, highest priority first")
def worklist(
    app: CashtrailApp,
    actor: CurrentActor,
    as_of: Annotated[date, Query()],
    collector: Annotated[str | None, Query(max_length=64)] = None,
) -> list[WorklistEntryOut]:
    return [
        WorklistEntryOut(
            customer_number=e.facts.customer_number,
            score=str(e.score),
            overdue=str(e.facts.overdue),
            broken_promises=e.facts.broken_promises,
            promise_pending=e.facts.promise_pending,
            risk=e.facts.risk,
            disputes_past_sla=e.facts.disputes_past_sla,
        )
        for e in collector_worklist(app.uow(), actor, collector, as_of)
    ]
