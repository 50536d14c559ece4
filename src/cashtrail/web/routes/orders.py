"""Order pages: the order list (with XLSX export), order entry, and the order review with its findings,
acceptance checklist, documents, events, billing charges, notes and RMAs. The review's actions are in
:mod:`cashtrail.web.routes.order_actions`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.orders.checklist import ChecklistItem
from cashtrail.orders.entry_services import enter_order
from cashtrail.orders.model import Order, Trigger, parse_milestones
from cashtrail.orders.monitoring import NoteKind
from cashtrail.orders.pricing import LineDraft
from cashtrail.orders.queries import list_orders, order_document, order_view
from cashtrail.orders.triggers import EventKind
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.paging import PAGE_SIZE, cut
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()
ENTRY_LINES = 8
TRIGGERS = [t.value for t in Trigger if t != Trigger.NONE]
ORDER_COLUMNS: tuple[Column[Order], ...] = (
    Column("Order", lambda o: o.number, width=16),
    Column("Customer", lambda o: o.customer_number, width=12),
    Column("Bill-to", lambda o: o.invoiced_customer, width=12),
    Column("Status", lambda o: o.status, width=10),
    Column("Order date", lambda o: o.order_date, kind="date"),
    Column("PO", lambda o: o.po_number, width=16),
    Column("Contract", lambda o: o.contract_number, width=14),
    Column("Sales rep", lambda o: o.sales_rep, width=12),
    Column("Currency", lambda o: o.currency, width=8),
    Column("Total", lambda o: o.total().amount, kind="amount"),
    Column("Expected ship", lambda o: o.expected_ship_date, kind="date"),
)


def today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/orders")
def orders(
    request: Request,
    user: CurrentUser,
    status: Annotated[str, Query(max_length=16)] = "",
    customer: Annotated[str, Query(max_length=32)] = "",
    search: Annotated[str, Query(max_length=64)] = "",
    after: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Orders, oldest first, filtered by status, customer or order/PO number."""
    app = cashtrail_app(request)
    rows = list_orders(
        app.uow(),
        user.actor,
        after_id=after,
        limit=PAGE_SIZE + 1,
        status=status or None,
        customer=customer or None,
        search=search or None,
    )
    page, next_after = cut(rows, PAGE_SIZE, lambda o: o.id)
    filters = {"status": status, "customer": customer, "search": search}
    return render(request, "orders/list.html", {"orders": page, "next_after": next_after, "filters": filters})


@router.get("/orders.xlsx")
def orders_export(
    request: Request,
    user: CurrentUser,
    status: Annotated[str, Query(max_length=16)] = "",
    customer: Annotated[str, Query(max_length=32)] = "",
    search: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The filtered order list as an XLSX workbook."""
    app = cashtrail_app(request)
    rows = list_orders(
        app.uow(), user.actor, limit=100_000, status=status or None, customer=customer or None, search=search or None
    )
    return xlsx_response("orders", ORDER_COLUMNS, rows, day=today(request), sheet_title="Orders")


@router.get("/orders/new")
def new_order(request: Request, user: CurrentUser) -> Response:
    """The order entry form."""
    return _entry_form(request, {"order_date": today(request).isoformat(), "currency": "EUR"}, [])


def _entry_form(request: Request, values: dict[str, Any], errors: list[FieldError], status: int = 200) -> Response:
    context = {"values": values, "errors": errors, "lines": range(1, ENTRY_LINES + 1), "triggers": TRIGGERS}
    return render(request, "orders/new.html", context, status_code=status)


@router.post("/orders/new")
async def enter(request: Request, user: CurrentUser) -> Response:
    """Enter the order; problems show on the form with what was typed."""
    app = cashtrail_app(request)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        header, drafts = _parse_entry(form)
        order = enter_order(app.uow(), app.clock, user.actor, header, drafts)
    except ValidationFailed as refused:
        return _entry_form(request, values, refused.errors or [FieldError("order", refused.detail)], status=422)
    flash(request, "success", f"Order {order.number} entered; {len(order.lines)} line(s) checked against the contract.")
    return RedirectResponse(f"/orders/{order.number}", status_code=303)


def _parse_entry(form: FormData) -> tuple[Order, list[LineDraft]]:
    errors: list[FieldError] = []

    def text(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def day(name: str, required: bool = False) -> date | None:
        raw = text(name)
        if not raw:
            if required:
                errors.append(FieldError(name, "is required"))
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(FieldError(name, "is not a date (YYYY-MM-DD)", value=raw))
            return None

    def number(name: str) -> Decimal | None:
        raw = text(name).replace(",", ".")
        if not raw:
            return None
        try:
            return Decimal(raw)
        except InvalidOperation:
            errors.append(FieldError(name, "is not a number", value=raw))
            return None

    header = Order(
        number=text("number"),
        customer_number=text("customer_number"),
        currency=text("currency").upper(),
        order_date=day("order_date", required=True) or date.min,
        bill_to=text("bill_to"),
        ship_to=text("ship_to"),
        po_number=text("po_number"),
        po_date=day("po_date"),
        contract_number=text("contract_number") or None,
        sales_rep=text("sales_rep"),
        requested_ship_date=day("requested_ship_date"),
        expected_ship_date=day("expected_ship_date"),
        tax_exemption_claimed=bool(text("tax_exemption_claimed")),
    )
    drafts = []
    for n in range(1, ENTRY_LINES + 1):
        sku = text(f"sku_{n}")
        if not sku:
            continue
        try:
            milestones = parse_milestones(text(f"milestones_{n}"))
        except ValueError as exc:
            errors.append(FieldError(f"milestones_{n}", str(exc)))
            milestones = ()
        drafts.append(
            LineDraft(
                n,
                sku,
                number(f"quantity_{n}") or Decimal(0),
                number(f"unit_price_{n}"),
                number(f"discount_{n}"),
                trigger=text(f"trigger_{n}") or None,
                start_date=day(f"start_{n}"),
                milestones=milestones,
            )
        )
    if errors:
        raise ValidationFailed("the order form has problems", errors=errors)
    return header, drafts


@router.get("/orders/{number}")
def order(request: Request, user: CurrentUser, number: str) -> Response:
    """The order review: lines, findings, checklist, documents, events, charges, RMAs and notes."""
    app = cashtrail_app(request)
    view = order_view(app.uow(), app.clock, user.actor, number)
    context = {
        "v": view,
        "o": view.order,
        "items": [i.value for i in ChecklistItem],
        "event_kinds": [k.value for k in EventKind],
        "note_kinds": [k.value for k in NoteKind],
        "today": today(request),
    }
    return render(request, "orders/detail.html", context)


@router.get("/orders/{number}/documents/{document_id}")
def document(request: Request, user: CurrentUser, number: str, document_id: int) -> Response:
    """Download a stored document of the order."""
    app = cashtrail_app(request)
    stored, content = order_document(app.uow(), user.actor, number, document_id)
    headers = {"Content-Disposition": f'attachment; filename="{stored.filename}"', "Cache-Control": "no-store"}
    return Response(content, media_type=stored.content_type, headers=headers)
