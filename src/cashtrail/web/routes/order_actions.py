"""The actions of the order review: check, override findings, correct a line, attach documents, waive a checklist
item, run the credit check, accept, record a trigger event, keep a note, cancel. Each redirects back to the order
with a flash message; refusals become the workbench's error page (or an htmx flash)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.orders.acceptance_services import accept_order, attach_document, run_credit_check, waive_item
from cashtrail.orders.check_services import check_order, override_findings
from cashtrail.orders.entry_services import LineChange, cancel_order, change_line
from cashtrail.orders.model import line_label, parse_line_label
from cashtrail.orders.monitoring_services import add_note
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import OrderEvent
from cashtrail.web.security import CurrentUser, cashtrail_app, flash

router = APIRouter()


def _back(number: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/orders/{number}{'#' + anchor if anchor else ''}", status_code=303)


def decimal_or_none(raw: str, name: str) -> Decimal | None:
    """A typed number (comma or dot), None when blank, a ValidationFailed naming the field otherwise."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(
            f"{name} is not a number", errors=[FieldError(name, "not a number", value=raw)]
        ) from None


def line_or_error(raw: str) -> int:
    number = parse_line_label(raw)
    if number is None:
        raise ValidationFailed("choose a line", errors=[FieldError("line", "is not a line (3, or 3.2)", value=raw)])
    return number


@router.post("/orders/{number}/check")
def check(request: Request, user: CurrentUser, number: str) -> Response:
    app = cashtrail_app(request)
    findings = check_order(app.uow(), app.clock, user.actor, number)
    flash(request, "success", f"Checked: {sum(1 for f in findings if f.is_open)} open finding(s).")
    return _back(number, "findings")


@router.post("/orders/{number}/override")
async def override(request: Request, user: CurrentUser, number: str) -> Response:
    """Override the ticked findings (all open ones when none is ticked) with a reason."""
    app = cashtrail_app(request)
    form = await request.form()
    ids = [int(str(v)) for v in form.getlist("finding") if str(v).isdigit()]
    reason = str(form.get("reason", ""))
    found = override_findings(app.uow(), app.clock, user.actor, number, ids or None, reason)
    flash(request, "success", f"{sum(1 for f in found if f.status == 'overridden')} finding(s) overridden.")
    return _back(number, "findings")


@router.post("/orders/{number}/lines/correct")
def correct(
    request: Request,
    user: CurrentUser,
    number: str,
    line_no: Annotated[int, Form()],
    reason: Annotated[str, Form()],
    quantity: Annotated[str, Form()] = "",
    unit_price: Annotated[str, Form()] = "",
    discount_percent: Annotated[str, Form()] = "",
) -> Response:
    """Correct a line's quantity, price or discount; the order is checked again."""
    app = cashtrail_app(request)
    change = LineChange(
        decimal_or_none(quantity, "quantity"),
        decimal_or_none(unit_price, "unit_price"),
        decimal_or_none(discount_percent, "discount_percent"),
    )
    change_line(app.uow(), app.clock, user.actor, number, line_no, change, reason=reason)
    flash(request, "success", f"Line {line_label(line_no)} corrected and the order checked again.")
    return _back(number, "findings")


@router.post("/orders/{number}/documents")
async def upload(
    request: Request,
    user: CurrentUser,
    number: str,
    file: Annotated[UploadFile, File()],
    item: Annotated[str, Form()] = "",
) -> Response:
    """Attach a document (for a checklist item, or just listed on the order)."""
    app = cashtrail_app(request)
    content = await file.read()
    stored = attach_document(
        app.uow(),
        app.clock,
        user.actor,
        number,
        filename=file.filename or "document",
        content=content,
        content_type=file.content_type or "application/octet-stream",
        item=item or None,
    )
    flash(request, "success", f"{stored.filename} attached.")
    return _back(number, "checklist")


@router.post("/orders/{number}/waive")
def waive(
    request: Request, user: CurrentUser, number: str, item: Annotated[str, Form()], reason: Annotated[str, Form()]
) -> Response:
    app = cashtrail_app(request)
    waive_item(app.uow(), app.clock, user.actor, number, item, reason)
    flash(request, "success", f"{item.replace('_', ' ')} waived.")
    return _back(number, "checklist")


@router.post("/orders/{number}/credit-check")
def credit_check(request: Request, user: CurrentUser, number: str) -> Response:
    app = cashtrail_app(request)
    result = run_credit_check(app.uow(), app.clock, user.actor, number)
    flash(
        request,
        "success" if result.passed else "warning",
        f"Credit check {'passed' if result.passed else 'not passed'}: {result.message}",
    )
    return _back(number, "checklist")


@router.post("/orders/{number}/accept")
def accept(request: Request, user: CurrentUser, number: str) -> Response:
    app = cashtrail_app(request)
    result = accept_order(app.uow(), app.clock, user.actor, number)
    handed = f"; scheduled lines handed to {', '.join(result.contracts)}" if result.contracts else ""
    flash(request, "success", f"Order {number} accepted{handed}; {len(result.charges)} charge(s) fired.")
    return _back(number)


@router.post("/orders/{number}/events")
def event(
    request: Request,
    user: CurrentUser,
    number: str,
    line: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    reference: Annotated[str, Form()],
    occurred_on: Annotated[date, Form()],
    quantity: Annotated[str, Form()] = "",
    serials: Annotated[str, Form()] = "",
) -> Response:
    """Record a shipment, activation, milestone acceptance or manual release on a line."""
    app = cashtrail_app(request)
    recorded = OrderEvent(
        line_or_error(line),
        kind,
        reference.strip(),
        occurred_on,
        decimal_or_none(quantity, "quantity"),
        serials=tuple(s.strip() for s in serials.split(";") if s.strip()),
    )
    outcome = record_event(app.uow(), app.clock, user.actor, number, recorded)
    if outcome.replay:
        message = f"{kind} {reference} was recorded before; nothing changed."
    elif outcome.charge is not None:
        message = f"{kind} {reference} recorded; charge {outcome.charge.amount} handed to billing."
    else:
        message = f"{kind} {reference} recorded; it does not invoice the line (not its trigger, or not accepted yet)."
    flash(request, "success", message)
    return _back(number, "events")


@router.post("/orders/{number}/notes")
def note(
    request: Request,
    user: CurrentUser,
    number: str,
    text: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "general",
    line: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    app = cashtrail_app(request)
    add_note(
        app.uow(), app.clock, user.actor, number, text=text, kind=kind, line_no=line_or_error(line) if line else None
    )
    flash(request, "success", "Note kept.")
    return RedirectResponse("/late-lines", status_code=303) if back == "late" else _back(number, "notes")


@router.post("/orders/{number}/cancel")
def cancel(request: Request, user: CurrentUser, number: str, reason: Annotated[str, Form()]) -> Response:
    app = cashtrail_app(request)
    cancel_order(app.uow(), app.clock, user.actor, number, reason=reason)
    flash(request, "success", f"Order {number} cancelled.")
    return _back(number)
