"""Order worklists: late lines (with notes and new expected dates), RMAs with their SLA status and actions, and
the discrepancy trend (a chart drawn by Chart.js from data the page carries, plus tables and XLSX)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.orders.monitoring_services import move_expected_date
from cashtrail.orders.queries import LateLineRow, discrepancy_trend, late_line_worklist
from cashtrail.orders.rma import Rma, RmaType, SlaState
from cashtrail.orders.rma_services import (
    RmaRequest,
    close_rma,
    decide_rma,
    get_rma,
    list_rmas,
    receive_rma,
    request_rma,
)
from cashtrail.orders.trends import DIMENSIONS, TrendRow, series, totals_by
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.routes.order_actions import decimal_or_none, line_or_error
from cashtrail.web.routes.orders import today
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()
LATE_COLUMNS: tuple[Column[LateLineRow], ...] = (
    Column("Order", lambda r: r.line.order_number, width=16),
    Column("Line", lambda r: r.line.label, width=6),
    Column("Customer", lambda r: r.line.customer_number, width=12),
    Column("Sales rep", lambda r: r.line.sales_rep, width=12),
    Column("SKU", lambda r: r.line.sku, width=16),
    Column("Description", lambda r: r.line.description, width=36),
    Column("Open quantity", lambda r: r.line.open_quantity, kind="decimal"),
    Column("Expected", lambda r: r.line.expected, kind="date"),
    Column("Days late", lambda r: r.line.days_late, kind="integer"),
    Column("Notes", lambda r: " | ".join(f"{n.kind}: {n.text}" for n in r.notes), width=50),
)
RMA_COLUMNS: tuple[Column[tuple[Rma, SlaState]], ...] = (
    Column("RMA", lambda p: p[0].number, width=12),
    Column("Order", lambda p: p[0].order_number, width=16),
    Column("Line", lambda p: p[0].line_label, width=6),
    Column("Type", lambda p: p[0].rma_type, width=18),
    Column("Status", lambda p: p[0].status, width=10),
    Column("Quantity", lambda p: p[0].quantity, kind="decimal"),
    Column("Disposition", lambda p: p[0].disposition, width=10),
    Column("Requested", lambda p: p[0].requested_at, kind="datetime"),
    Column("SLA due", lambda p: p[1].due_at, kind="datetime"),
    Column("SLA breached", lambda p: "yes" if p[1].breached else "no", width=12),
)
TREND_COLUMNS: tuple[Column[TrendRow], ...] = (
    Column("Month", lambda r: r.month, width=10),
    Column("Finding", lambda r: r.code, width=26),
    Column("Customer", lambda r: r.customer, width=12),
    Column("Sales rep", lambda r: r.sales_rep, width=14),
    Column("Findings", lambda r: r.count, kind="integer"),
)


@router.get("/late-lines")
def late_lines(request: Request, user: CurrentUser) -> Response:
    """Lines past their expected ship date with quantity still open, most overdue first."""
    app = cashtrail_app(request)
    rows = late_line_worklist(app.uow(), app.clock, user.actor, today=today(request))
    return render(request, "orders/late.html", {"rows": rows, "today": today(request)})


@router.get("/late-lines.xlsx")
def late_lines_export(request: Request, user: CurrentUser) -> Response:
    app = cashtrail_app(request)
    rows = late_line_worklist(app.uow(), app.clock, user.actor, today=today(request))
    return xlsx_response("late-lines", LATE_COLUMNS, rows, day=today(request), sheet_title="Late lines")


@router.post("/late-lines/expected")
def move_expected(
    request: Request,
    user: CurrentUser,
    order: Annotated[str, Form()],
    line: Annotated[str, Form()],
    expected: Annotated[date, Form()],
    note: Annotated[str, Form()],
) -> Response:
    """Set a line's new expected ship date (the supplier's), with the note why."""
    app = cashtrail_app(request)
    move_expected_date(app.uow(), app.clock, user.actor, order, line_or_error(line), expected, note=note)
    flash(request, "success", f"{order} line {line}: expected on {expected}.")
    return RedirectResponse("/late-lines", status_code=303)


def _window(start: str, end: str, day: date) -> tuple[date, date]:
    last = date.fromisoformat(end) if end else day
    first = date.fromisoformat(start) if start else date(last.year - 1, last.month, 1)
    return first, last


@router.get("/order-trends")
def trends(
    request: Request,
    user: CurrentUser,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    by: Annotated[str, Query(max_length=16)] = "code",
) -> Response:
    """Order discrepancies per month by type, customer or sales rep: a chart, totals and the XLSX export."""
    app = cashtrail_app(request)
    first, last = _window(start, end, today(request))
    dimension = by if by in DIMENSIONS else "code"
    trend = discrepancy_trend(app.uow(), user.actor, first, last)
    chart = {"labels": trend.months, "series": series(trend.rows, trend.months, dimension)}
    context = {
        "chart": chart,
        "by": dimension,
        "dimensions": DIMENSIONS,
        "start": first,
        "end": last,
        "totals": {d: totals_by(trend.rows, d) for d in DIMENSIONS},
        "rows": trend.rows,
    }
    return render(request, "orders/trends.html", context)


@router.get("/order-trends.xlsx")
def trends_export(
    request: Request,
    user: CurrentUser,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    app = cashtrail_app(request)
    first, last = _window(start, end, today(request))
    rows = discrepancy_trend(app.uow(), user.actor, first, last).rows
    return xlsx_response("order-discrepancies", TREND_COLUMNS, rows, day=today(request), sheet_title="Discrepancies")


@router.get("/rmas")
def rmas(request: Request, user: CurrentUser, status: Annotated[str, Query(max_length=16)] = "") -> Response:
    """The RMA worklist with each SLA's status; breaches first."""
    app = cashtrail_app(request)
    found = list_rmas(app.uow(), app.clock, user.actor, status=[status] if status else [])
    found.sort(key=lambda p: (not p[1].breached, not p[1].at_risk, p[1].due_at))
    context = {
        "rows": found,
        "status": status,
        "types": [t.value for t in RmaType],
        "breaches": sum(1 for _, s in found if s.breached),
    }
    return render(request, "orders/rmas.html", context)


@router.get("/rmas.xlsx")
def rmas_export(request: Request, user: CurrentUser, status: Annotated[str, Query(max_length=16)] = "") -> Response:
    app = cashtrail_app(request)
    found = list_rmas(app.uow(), app.clock, user.actor, status=[status] if status else [])
    return xlsx_response("rmas", RMA_COLUMNS, found, day=today(request), sheet_title="RMAs")


@router.post("/rmas")
def request_return(
    request: Request,
    user: CurrentUser,
    order: Annotated[str, Form()],
    line: Annotated[str, Form()],
    rma_type: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    quantity: Annotated[str, Form()] = "1",
    disposition: Annotated[str, Form()] = "credit",
    serials: Annotated[str, Form()] = "",
) -> Response:
    app = cashtrail_app(request)
    rma = request_rma(
        app.uow(),
        app.clock,
        user.actor,
        RmaRequest(
            order.strip(),
            line_or_error(line),
            rma_type,
            reason,
            decimal_or_none(quantity, "quantity") or Decimal(0),
            disposition,
            tuple(s.strip() for s in serials.split(";") if s.strip()),
        ),
    )
    flash(request, "success", f"{rma.number} requested.")
    return RedirectResponse(f"/rmas/{rma.number}", status_code=303)


@router.get("/rmas/{number}")
def rma(request: Request, user: CurrentUser, number: str) -> Response:
    app = cashtrail_app(request)
    found, sla = get_rma(app.uow(), app.clock, user.actor, number)
    return render(request, "orders/rma.html", {"r": found, "sla": sla})


@router.post("/rmas/{number}/decide")
def decide(
    request: Request,
    user: CurrentUser,
    number: str,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    app = cashtrail_app(request)
    decided = decide_rma(app.uow(), app.clock, user.actor, number, approve=decision == "approve", note=note)
    flash(request, "success", f"{number} {decided.status}.")
    return RedirectResponse(f"/rmas/{number}", status_code=303)


@router.post("/rmas/{number}/receive")
def receive(request: Request, user: CurrentUser, number: str, quantity: Annotated[str, Form()] = "") -> Response:
    app = cashtrail_app(request)
    receive_rma(app.uow(), app.clock, user.actor, number, decimal_or_none(quantity, "quantity"))
    flash(request, "success", f"{number} received.")
    return RedirectResponse(f"/rmas/{number}", status_code=303)


@router.post("/rmas/{number}/close")
def close(
    request: Request,
    user: CurrentUser,
    number: str,
    disposition: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    app = cashtrail_app(request)
    closed = close_rma(app.uow(), app.clock, user.actor, number, disposition, note)
    credit = f"; credit note(s) {', '.join(map(str, closed.credit_note_ids))} drafted" if closed.credit_note_ids else ""
    flash(request, "success", f"{number} closed ({disposition}){credit}.")
    return RedirectResponse(f"/rmas/{number}", status_code=303)
