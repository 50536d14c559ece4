"""Toner pages: the huddle board, one reconciliation with the rows behind its figures, findings and trends."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from cashtrail.errors import InvalidState, NotFound, ValidationFailed
from cashtrail.files.toner_trend import trend_html, trend_png
from cashtrail.files.toner_xlsx import country_file
from cashtrail.toner.board import TRANSITIONS, BoardStatus
from cashtrail.toner.board_services import decide_finding, move_record
from cashtrail.toner.country_data import country_data
from cashtrail.toner.queries import (
    FINDING_CODES,
    FINDING_STATES,
    SEVERITIES,
    BoardFilter,
    FindingFilter,
    board,
    by_status,
    detail,
    findings_list,
    grouped,
    trend,
)
from cashtrail.toner.records import ReconciliationRecord, StoredFinding, rows_summary
from cashtrail.toner.shipment_services import void_shipments
from cashtrail.web.export import XLSX_MEDIA_TYPE, Column, xlsx_response
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()
Text = Annotated[str, Query(max_length=32)]

BOARD_COLUMNS: tuple[Column[ReconciliationRecord], ...] = (
    Column("Agreement", lambda r: r.agreement, width=14),
    Column("Period", lambda r: r.period_label, width=10),
    Column("Country", lambda r: r.country, width=8),
    Column("Customer", lambda r: r.customer_number, width=12),
    Column("Status", lambda r: r.status.value, width=16),
    Column("Owner", lambda r: r.owner, width=14),
    Column("Due on", lambda r: r.due_on, kind="date"),
    Column("Status since", lambda r: r.status_since, kind="datetime"),
    Column("Excess charge", lambda r: r.total_charge, kind="amount"),
    Column("Currency", lambda r: r.currency, width=8),
    Column("Open errors", lambda r: r.errors_open, kind="integer"),
    Column("Open warnings", lambda r: r.warnings_open, kind="integer"),
)
FINDING_COLUMNS: tuple[Column[tuple[ReconciliationRecord, StoredFinding]], ...] = (
    Column("Agreement", lambda p: p[0].agreement, width=14),
    Column("Period", lambda p: p[0].period_label, width=10),
    Column("Code", lambda p: p[1].code, width=24),
    Column("Severity", lambda p: p[1].severity, width=9),
    Column("State", lambda p: p[1].state.value, width=9),
    Column("Serial", lambda p: p[1].serial or "", width=14),
    Column("Message", lambda p: p[1].message, width=60),
    Column("Rows", lambda p: rows_summary(p[1].rows), width=60),
    Column("Suggested fix", lambda p: p[1].suggested_fix, width=50),
)


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/toner")
def board_page(
    request: Request, user: CurrentUser, period: Text = "", status: Text = "", country: Text = "", owner: Text = ""
) -> Response:
    """The huddle board: one column per status, one card per agreement and period."""
    app = cashtrail_app(request)
    wanted = BoardFilter(period, status, country, owner)
    every = board(app.uow(), user.actor, BoardFilter(period=period))
    shown = board(app.uow(), user.actor, wanted)
    context = {
        "columns": by_status(shown),
        "transitions": {s.value: sorted(t.value for t in TRANSITIONS[s]) for s in BoardStatus},
        "filters": wanted,
        "countries": sorted({r.country for r in every if r.country}),
        "owners": sorted({r.owner for r in every}),
        "statuses": [s.value for s in BoardStatus],
        "today": _today(request),
        "total": len(shown),
    }
    return render(request, "toner/board.html", context)


@router.get("/toner.xlsx")
def board_export(
    request: Request, user: CurrentUser, period: Text = "", status: Text = "", country: Text = "", owner: Text = ""
) -> Response:
    """The board as an XLSX workbook (with the filters applied)."""
    app = cashtrail_app(request)
    rows = board(app.uow(), user.actor, BoardFilter(period, status, country, owner))
    return xlsx_response("toner-board", BOARD_COLUMNS, rows, day=_today(request), sheet_title="Toner board")


def _finding_filter(
    period: Text = "",
    code: Text = "",
    state: Text = "open",
    agreement: Text = "",
    country: Text = "",
    owner: Text = "",
    severity: Text = "",
) -> FindingFilter:
    """The findings filters from the query string (the page's form, a bookmark or the export link)."""
    return FindingFilter(period, code, state, agreement, country, owner, severity)


Findings = Annotated[FindingFilter, Depends(_finding_filter)]


def _findings_query(wanted: FindingFilter) -> str:
    """The query string of ``wanted``; ``state`` is kept even when blank (all), since it defaults to open."""
    return urlencode({k: v for k, v in asdict(wanted).items() if v or k == "state"})


@router.get("/toner/findings")
def findings_page(request: Request, user: CurrentUser, wanted: Findings) -> Response:
    """Findings across reconciliations, with severity, rows and suggested fix; a record's run of one-per-line
    findings (``no_toner_contract``) is one row that expands to its lines."""
    app = cashtrail_app(request)
    found = findings_list(app.uow(), user.actor, wanted)
    every = board(app.uow(), user.actor, BoardFilter(period=wanted.period))
    context = {
        "groups": grouped(found),
        "total": len(found),
        "filters": wanted,
        "query": _findings_query(wanted),
        "codes": FINDING_CODES,
        "severities": SEVERITIES,
        "states": FINDING_STATES,
        "agreements": sorted({r.agreement for r in every}),
        "countries": sorted({r.country for r in every if r.country}),
        "owners": sorted({r.owner for r in every}),
    }
    return render(request, "toner/findings.html", context)


@router.get("/toner/findings.xlsx")
def findings_export(request: Request, user: CurrentUser, wanted: Findings) -> Response:
    """The findings matching the page's filters as an XLSX workbook, every row of each finding."""
    app = cashtrail_app(request)
    found = findings_list(app.uow(), user.actor, wanted)
    return xlsx_response("toner-findings", FINDING_COLUMNS, found, day=_today(request), sheet_title="Toner findings")


def _back_to_findings(back: str) -> RedirectResponse:
    """Back to the page a findings form came from (only pages of the toner workbench; the list otherwise)."""
    return RedirectResponse(back if back.startswith("/toner") else "/toner/findings", status_code=303)


@router.post("/toner/findings/{finding_id}/decide")
def decide(
    request: Request,
    user: CurrentUser,
    finding_id: int,
    state: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=500)],
    back: Annotated[str, Form(max_length=400)] = "/toner/findings",
) -> Response:
    """Accept or reopen a finding, with a note."""
    app = cashtrail_app(request)
    try:
        finding = decide_finding(app.uow(), app.clock, user.actor, finding_id, state, note)
        flash(request, "success", f"Finding {finding.id} is now {finding.state.value}.")
    except (InvalidState, ValidationFailed) as exc:
        flash(request, "error", exc.detail)
    return _back_to_findings(back)


@router.post("/toner/findings/accept-all")
def accept_all(
    request: Request,
    user: CurrentUser,
    ids: Annotated[list[int], Form(max_length=1000)],
    note: Annotated[str, Form(max_length=500)],
    back: Annotated[str, Form(max_length=400)] = "/toner/findings",
) -> Response:
    """Accept a group's open findings with one note: one decision per finding, each audited, as if accepted one
    by one; when one is refused, the ones before it stay accepted and the message says how many."""
    app = cashtrail_app(request)
    done = 0
    try:
        for finding_id in ids:
            decide_finding(app.uow(), app.clock, user.actor, finding_id, "accepted", note)
            done += 1
        flash(request, "success", f"{done} findings accepted.")
    except (InvalidState, ValidationFailed, NotFound) as exc:
        flash(request, "error", f"{done} of {len(ids)} findings accepted: {exc.detail}")
    return _back_to_findings(back)


@router.post("/toner/shipments/void")
def void_line(
    request: Request,
    user: CurrentUser,
    upload: Annotated[str, Form(max_length=200)],
    shipment_id: Annotated[str, Form(max_length=64)],
    line: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=500)],
    back: Annotated[str, Form(max_length=400)] = "/toner/findings",
) -> Response:
    """Void one shipment line (a duplicate), audited; it says which reconciliations to run again."""
    app = cashtrail_app(request)
    try:
        result = void_shipments(
            app.uow(), app.clock, user.actor, upload_id=upload, shipment_ids=[(shipment_id, line)], reason=reason
        )
        done = f"Shipment {shipment_id}/{line} of {upload} is void" if result.voided else "Already void"
        frozen = ", ".join(result.frozen_records)
        frozen = f"; move {frozen} back to data pending first" if frozen else ""
        flash(request, "success", f"{done}. Run the period again to update the figures{frozen}.")
    except (InvalidState, ValidationFailed, NotFound) as exc:
        flash(request, "error", exc.detail)
    return _back_to_findings(back)


@router.get("/toner/country.xlsx")
def country_export(
    request: Request, user: CurrentUser, country: Annotated[str, Query(min_length=2, max_length=2)], period: Text
) -> Response:
    """The country file of ``country`` and ``period`` (summary, details, findings, shipment and billing rows)."""
    app = cashtrail_app(request)
    data = country_data(app.uow(), user.actor, country, period)
    body = country_file(country.upper(), period, data, made_on=_today(request))
    name = f"toner-{country.upper()}-{period}.xlsx"
    return Response(body, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/toner/trend")
def trend_page(request: Request, user: CurrentUser, by: Text = "country", value: Text = "") -> Response:
    """Expected vs shipped, excess and coverage over periods for a country or an agreement, with a chart."""
    app = cashtrail_app(request)
    points = trend(app.uow(), user.actor, by=by, value=value) if value else []
    countries = sorted({r.country for r in board(app.uow(), user.actor) if r.country})
    chart = {
        "labels": [p.period for p in points],
        "expected": [str(p.expected) for p in points],
        "shipped": [p.shipped for p in points],
        "excess": [str(p.excess) for p in points],
        "coverage": [None if p.coverage_black is None else str(p.coverage_black) for p in points],
    }
    context = {"points": points, "by": by, "value": value, "countries": countries, "chart": chart}
    return render(request, "toner/trend.html", context)


@router.get("/toner/trend.png")
def trend_png_export(request: Request, user: CurrentUser, by: Text = "country", value: Text = "") -> Response:
    app = cashtrail_app(request)
    points = trend(app.uow(), user.actor, by=by, value=value)
    return Response(trend_png(f"Toner trend {by} {value}", points), media_type="image/png")


@router.get("/toner/trend.html")
def trend_html_export(request: Request, user: CurrentUser, by: Text = "country", value: Text = "") -> Response:
    app = cashtrail_app(request)
    points = trend(app.uow(), user.actor, by=by, value=value)
    page = trend_html(f"Toner trend {by} {value}", points)
    name = f"toner-trend-{by}-{value}.html"
    return HTMLResponse(page, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/toner/{agreement}/{period}")
def detail_page(request: Request, user: CurrentUser, agreement: str, period: str) -> Response:
    """One reconciliation: per colour the figures and the rows behind them, findings, audit trail, billing link."""
    app = cashtrail_app(request)
    found = detail(app.uow(), user.actor, agreement, period)
    targets = sorted(t.value for t in TRANSITIONS[found.record.status])
    return render(request, "toner/detail.html", {"d": found, "targets": targets, "today": _today(request)})


@router.post("/toner/{agreement}/{period}/move")
def move(
    request: Request,
    user: CurrentUser,
    agreement: str,
    period: str,
    target: Annotated[str, Form(max_length=24)],
    reason: Annotated[str, Form(max_length=500)],
    back: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Move a card (from the board's buttons, a drag and drop, or the detail page); audited with the reason."""
    app = cashtrail_app(request)
    try:
        record = move_record(app.uow(), app.clock, user.actor, agreement, period, target, reason)
        flash(request, "success", f"{record.key} moved to {record.status.value.replace('_', ' ')}.")
    except (InvalidState, ValidationFailed) as exc:  # refused moves go back to the board with the reason why
        flash(request, "error", exc.detail)
    return RedirectResponse(back if back.startswith("/toner") else "/toner", status_code=303)
