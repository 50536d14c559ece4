"""Toner reconciliation: runs, the board, one reconciliation with its rows, moves, findings, voids, exports, trends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.toner import (
    DecisionIn,
    DetailOut,
    FindingList,
    FindingOut,
    MoveIn,
    PartCorrectionIn,
    PartOut,
    RecordList,
    RecordOut,
    ReportIn,
    ReportOut,
    RunIn,
    RunOut,
    TrendList,
    TrendOut,
    VoidIn,
    VoidOut,
)
from cashtrail.files.toner_trend import trend_html, trend_png
from cashtrail.files.toner_xlsx import country_file
from cashtrail.toner.bill_run_report import report_from_bill_runs
from cashtrail.toner.board_services import decide_finding, move_record
from cashtrail.toner.catalog_services import correct_part
from cashtrail.toner.country_data import country_data
from cashtrail.toner.queries import BoardFilter, FindingFilter, board, detail, findings_list, trend
from cashtrail.toner.run_services import run_reconciliation
from cashtrail.toner.shipment_services import void_shipments

router = APIRouter(prefix="/v1/toner", tags=["toner"], responses=COMMON_PROBLEMS)
Filter = Annotated[str, Query(max_length=32)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/runs", summary="Reconcile every agreement's toner periods inside a span")
def run(body: RunIn, app: CashtrailApp, actor: CurrentActor) -> RunOut:
    """Calculate, check and put on the board; records under review or later are left alone. Safe to repeat."""
    if body.from_bill_runs:
        report_from_bill_runs(app.uow(), app.clock, actor, body.period)
    return RunOut.of(run_reconciliation(app.uow(), app.clock, actor, body.period, agreements=body.agreements))


@router.post("/billing-reports", summary="Build the billing report of a span from our own bill runs")
def billing_report(body: ReportIn, app: CashtrailApp, actor: CurrentActor) -> ReportOut:
    """One line per device and month from the usage lines our bill runs billed (ERP imports are left alone)."""
    return ReportOut(lines=report_from_bill_runs(app.uow(), app.clock, actor, body.period))


@router.get("/reconciliations", summary="The huddle board")
def reconciliations(
    app: CashtrailApp,
    actor: CurrentActor,
    period: Filter = "",
    status: Filter = "",
    country: Filter = "",
    owner: Filter = "",
) -> RecordList:
    """Every reconciliation record matching the filters, by agreement and period."""
    found = board(app.uow(), actor, BoardFilter(period, status, country, owner))
    return RecordList(items=[RecordOut.of(r) for r in found])


@router.get("/reconciliations/{agreement}/{period}", summary="One reconciliation with the rows behind its figures")
def reconciliation(
    agreement: Annotated[str, Path(max_length=40)], period: Annotated[str, Path(max_length=32)], app: CashtrailApp,
    actor: CurrentActor,
) -> DetailOut:  # fmt: skip
    """Per colour the figures and the shipment and billing rows they came from; findings; audit trail; billing."""
    return DetailOut.of(detail(app.uow(), actor, agreement, period))


@router.post("/reconciliations/{agreement}/{period}/moves", summary="Move a reconciliation on the board")
def move(
    agreement: Annotated[str, Path(max_length=40)], period: Annotated[str, Path(max_length=32)], body: MoveIn,
    app: CashtrailApp, actor: CurrentActor,
) -> RecordOut:  # fmt: skip
    """Audited with actor, time and reason; approval with open errors is refused (``toner.open_findings``)."""
    return RecordOut.of(move_record(app.uow(), app.clock, actor, agreement, period, body.status, body.reason))


@router.get("/findings", summary="Findings of the reconciliations")
def findings(
    app: CashtrailApp,
    actor: CurrentActor,
    period: Filter = "",
    code: Filter = "",
    state: Filter = "open",
    agreement: Filter = "",
    country: Filter = "",
    owner: Filter = "",
    severity: Filter = "",
) -> FindingList:
    """Typed findings with severity, rows and a suggested fix; an unknown code, severity or state is a 422
    (``toner.bad_finding_filter``), never an empty list."""
    wanted = FindingFilter(period, code, state, agreement, country, owner, severity)
    found = findings_list(app.uow(), actor, wanted)
    return FindingList(items=[FindingOut.of(r, f) for r, f in found])


@router.post("/findings/{finding_id}/decision", summary="Accept or reopen a finding")
def decide(
    finding_id: Annotated[int, Path(ge=1)], body: DecisionIn, app: CashtrailApp, actor: CurrentActor
) -> dict[str, object]:
    """An accepted finding no longer blocks approval; the note is kept with the finding and in the audit trail."""
    finding = decide_finding(app.uow(), app.clock, actor, finding_id, body.state, body.note)
    return {"id": finding.id, "state": finding.state.value, "note": finding.note}


@router.post("/parts/{part_number}/correction", summary="Correct a cartridge part's colour or rated yield")
def correct(
    part_number: Annotated[str, Path(max_length=64)], body: PartCorrectionIn, app: CashtrailApp, actor: CurrentActor
) -> PartOut:
    """Every cost row of the part takes the corrected facts (audited with the reason); run the periods again."""
    rows = correct_part(
        app.uow(), app.clock, actor, part_number, colour=body.colour, rated_yield=body.rated_yield, reason=body.reason
    )
    return PartOut(part_number=part_number, colour=rows[0].colour.value, rated_yield=rows[0].rated_yield,
                   cost_rows=len(rows))  # fmt: skip


@router.post(
    "/uploads/{upload_id}/void",
    summary="Void shipment lines of an upload (kept, no longer counted)",
    responses=problem_responses(404),
)
def void(
    upload_id: Annotated[str, Path(max_length=200)], body: VoidIn, app: CashtrailApp, actor: CurrentActor
) -> VoidOut:
    """Void the named lines, or the whole upload when ``lines`` is null; voiding again voids nothing. Records are not
    recalculated here: run the periods again (move records under review or later back to data pending first)."""
    lines = None if body.lines is None else [(x.shipment_id, x.line) for x in body.lines]
    return VoidOut.of(
        void_shipments(app.uow(), app.clock, actor, upload_id=upload_id, shipment_ids=lines, reason=body.reason)
    )


@router.get("/exports/country", summary="The country file (XLSX)", response_class=Response)
def country_export(
    app: CashtrailApp, actor: CurrentActor, country: Annotated[str, Query(min_length=2, max_length=2)], period: Filter
) -> Response:
    """Summary, details, findings, shipment and billing rows sheets of one country and period."""
    data = country_data(app.uow(), actor, country, period)
    body = country_file(country.upper(), period, data, made_on=app.clock.now().date())
    name = f"toner-{country.upper()}-{period}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/trend", summary="Expected vs shipped, excess, charge and coverage per period")
def trend_data(app: CashtrailApp, actor: CurrentActor, by: Filter = "country", value: Filter = "") -> TrendList:
    return TrendList(items=[TrendOut.of(p) for p in trend(app.uow(), actor, by=by, value=value)])


@router.get("/trend.png", summary="The trend chart as PNG", response_class=Response)
def trend_chart(app: CashtrailApp, actor: CurrentActor, by: Filter = "country", value: Filter = "") -> Response:
    points = trend(app.uow(), actor, by=by, value=value)
    return Response(trend_png(f"Toner trend {by} {value}", points), media_type="image/png")


@router.get("/trend.html", summary="The trend as a standalone HTML page (chart and figures)", response_class=Response)
def trend_page(app: CashtrailApp, actor: CurrentActor, by: Filter = "country", value: Filter = "") -> Response:
    points = trend(app.uow(), actor, by=by, value=value)
    return Response(trend_html(f"Toner trend {by} {value}", points), media_type="text/html; charset=utf-8")
