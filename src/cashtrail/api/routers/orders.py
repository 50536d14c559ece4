"""Orders: list, enter, review, correct lines, check, override findings, checklist (documents, waivers, credit
check), accept, record trigger events, notes, cancel; the late-lines worklist and the discrepancy trend.

Accepting an order and recording an event move money (they hand charges to billing): both accept an
``Idempotency-Key``; an event is moreover recorded once per (line, kind, reference), so a replay without the key
changes nothing either.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.idempotency import idempotent
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.orders import (
    AcceptOut,
    CreditCheckOut,
    DocumentOut,
    EventIn,
    EventOut,
    EventResultOut,
    LateLineList,
    LateLineOut,
    LineChangeIn,
    NoteIn,
    OrderCreate,
    OrderOut,
    OrderPage,
    OrderSummaryOut,
    OverrideIn,
    ReasonIn,
    TrendOut,
)
from cashtrail.orders.acceptance_services import accept_order, attach_document, run_credit_check, waive_item
from cashtrail.orders.check_services import check_order, override_findings
from cashtrail.orders.entry_services import LineChange, cancel_order, change_line, enter_order
from cashtrail.orders.model import parse_line_label
from cashtrail.orders.monitoring_services import add_note
from cashtrail.orders.queries import discrepancy_trend, late_line_worklist, list_orders, order_document, order_view
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import OrderEvent

router = APIRouter(prefix="/v1", tags=["orders"], responses=COMMON_PROBLEMS)
Number = Annotated[str, Path(min_length=1, max_length=24)]
IdempotencyKey = Annotated[
    str | None, Header(max_length=200, description="Retry-safe key: a repeated request gets the first response.")
]


def _view(app: CashtrailApp, actor: CurrentActor, number: str) -> OrderOut:
    return OrderOut.of_view(order_view(app.uow(), app.clock, actor, number))


def _line(label: str) -> int:
    return parse_line_label(label) or 0


@router.get("/orders", summary="List orders")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    status_: Annotated[str | None, Query(alias="status", pattern="^(entered|accepted|cancelled)$")] = None,
    customer: Annotated[str | None, Query(max_length=32)] = None,
    search: Annotated[str | None, Query(max_length=64, description="Part of the order or PO number.")] = None,
) -> OrderPage:
    """Orders by creation, one page at a time."""
    rows = list_orders(
        app.uow(),
        actor,
        after_id=page.after_id,
        limit=page.fetch_size,
        status=status_,
        customer=customer,
        search=search,
    )
    items, next_cursor = page.cut(rows, lambda o: o.id)
    return OrderPage(items=[OrderSummaryOut.of(o) for o in items], next_cursor=next_cursor)


@router.post("/orders", status_code=201, summary="Enter an order", responses=problem_responses(409))
def create(body: OrderCreate, app: CashtrailApp, actor: CurrentActor, request: Request, response: Response) -> OrderOut:
    """Price the lines from the contract and price list (blank prices), expand bundles, check; 409 if it exists."""
    order = enter_order(app.uow(), app.clock, actor, body.header(), [line.to_draft() for line in body.lines])
    response.headers["Location"] = str(request.url_for("get_order", number=order.number))
    return _view(app, actor, order.number)


@router.get("/orders/{number}", name="get_order", summary="Review an order", responses=problem_responses(404))
def get(number: Number, app: CashtrailApp, actor: CurrentActor) -> OrderOut:
    """The order with its lines, findings, checklist, documents, events and billing charges."""
    return _view(app, actor, number)


@router.patch("/orders/{number}/lines/{line}", summary="Correct a line of an entered order")
def correct(
    number: Number, line: Annotated[int, Path(ge=1, le=999)], body: LineChangeIn, app: CashtrailApp, actor: CurrentActor
) -> OrderOut:
    """Change quantity, price, discount or expected date; the order is checked again."""
    change = LineChange(body.quantity, body.unit_price, body.discount_percent, body.expected_ship_date)
    change_line(app.uow(), app.clock, actor, number, line, change, reason=body.reason)
    return _view(app, actor, number)


@router.post("/orders/{number}/check", summary="Check an order against its contract again")
def check(number: Number, app: CashtrailApp, actor: CurrentActor) -> OrderOut:
    check_order(app.uow(), app.clock, actor, number)
    return _view(app, actor, number)


@router.post("/orders/{number}/overrides", summary="Override findings (supervisor)", responses=problem_responses(409))
def override(number: Number, body: OverrideIn, app: CashtrailApp, actor: CurrentActor) -> OrderOut:
    """Accept open deviations with a reason (audited); not on an order the supervisor entered."""
    override_findings(app.uow(), app.clock, actor, number, body.finding_ids, body.reason)
    return _view(app, actor, number)


@router.post("/orders/{number}/checklist/{item}/waiver", summary="Waive a checklist item")
def waive(
    number: Number,
    item: Annotated[str, Path(pattern="^[a-z_]{1,32}$")],
    body: ReasonIn,
    app: CashtrailApp,
    actor: CurrentActor,
) -> OrderOut:
    waive_item(app.uow(), app.clock, actor, number, item, body.reason)
    return _view(app, actor, number)


@router.post("/orders/{number}/credit-check", summary="Run the credit check")
def credit_check(number: Number, app: CashtrailApp, actor: CurrentActor) -> CreditCheckOut:
    """Open receivables plus this order against the customer's credit limit; a pass completes the checklist item."""
    result = run_credit_check(app.uow(), app.clock, actor, number)
    return CreditCheckOut(passed=result.passed, message=result.message)


@router.post("/orders/{number}/documents", status_code=201, summary="Attach a document")
async def upload(
    number: Number,
    app: CashtrailApp,
    actor: CurrentActor,
    file: Annotated[UploadFile, File(description="The document (at most 10 MB).")],
    item: Annotated[str | None, Form(pattern="^[a-z_]{1,32}$")] = None,
) -> DocumentOut:
    """Store a document on the order, for a checklist item or just listed on it."""
    content = await file.read()
    document = attach_document(
        app.uow(),
        app.clock,
        actor,
        number,
        filename=file.filename or "document",
        content=content,
        content_type=file.content_type or "application/octet-stream",
        item=item,
    )
    return DocumentOut(**vars(document))


@router.get("/orders/{number}/documents/{document_id}", summary="Download a document", responses=problem_responses(404))
def download(
    number: Number, document_id: Annotated[int, Path(ge=1)], app: CashtrailApp, actor: CurrentActor
) -> Response:
    document, content = order_document(app.uow(), actor, number, document_id)
    disposition = f'attachment; filename="{document.filename}"'
    return Response(content, media_type=document.content_type, headers={"Content-Disposition": disposition})


@router.post(
    "/orders/{number}/accept",
    response_model=AcceptOut,
    summary="Accept an order",
    responses=problem_responses(404, 409),
)
def accept(
    number: Number, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> AcceptOut | JSONResponse:
    """Only a complete order without open findings; scheduled lines go to contract billing, waiting events fire."""

    def run() -> AcceptOut:
        result = accept_order(app.uow(), app.clock, actor, number)
        charges = [c.key for c in result.charges]
        return AcceptOut(number=number, status=result.order.status, contracts=result.contracts, charges=charges)

    return idempotent(app, actor, idempotency_key, f"accept:{number}", None, run)


@router.post(
    "/orders/{number}/events",
    response_model=EventResultOut,
    status_code=201,
    summary="Record a trigger event",
    responses=problem_responses(404, 409),
)
def event(
    number: Number,
    body: EventIn,
    app: CashtrailApp,
    actor: CurrentActor,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> EventResultOut | JSONResponse:
    """A shipment, activation, milestone or manual release; it invoices the line when it is the line's trigger."""

    def run() -> EventResultOut:
        recorded = OrderEvent(
            _line(body.line),
            body.kind,
            body.reference,
            body.occurred_on,
            body.quantity,
            serials=tuple(body.serials),
            delivered_on=body.delivered_on,
            carrier=body.carrier,
            tracking=body.tracking,
        )
        outcome = record_event(app.uow(), app.clock, actor, number, recorded)
        if outcome.replay:
            response.status_code = status.HTTP_200_OK
        order = order_view(app.uow(), app.clock, actor, number).order
        return EventResultOut(
            order=number,
            event=EventOut.of(outcome.event, order.currency),
            charge_key=outcome.charge.key if outcome.charge else None,
            replay=outcome.replay,
        )

    return idempotent(app, actor, idempotency_key, f"event:{number}", body, run, status_code=201)


@router.post("/orders/{number}/notes", status_code=201, summary="Keep a supplier or logistics note")
def note(number: Number, body: NoteIn, app: CashtrailApp, actor: CurrentActor) -> OrderOut:
    add_note(
        app.uow(),
        app.clock,
        actor,
        number,
        text=body.text,
        kind=body.kind,
        line_no=_line(body.line) if body.line else None,
    )
    return _view(app, actor, number)


@router.post("/orders/{number}/cancel", summary="Cancel an entered order")
def cancel(number: Number, body: ReasonIn, app: CashtrailApp, actor: CurrentActor) -> OrderOut:
    cancel_order(app.uow(), app.clock, actor, number, reason=body.reason)
    return _view(app, actor, number)


@router.get("/late-lines", summary="The late-lines worklist")
def late(app: CashtrailApp, actor: CurrentActor) -> LateLineList:
    """Lines past their expected ship date with quantity still open, most overdue first, with their notes."""
    rows = late_line_worklist(app.uow(), app.clock, actor, timezone=app.settings.timezone)
    return LateLineList(items=[LateLineOut.of(r) for r in rows])


@router.get("/order-discrepancies", summary="Order discrepancies over time")
def trends(
    app: CashtrailApp,
    actor: CurrentActor,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> TrendOut:
    """Findings per month, type, customer and sales rep for orders dated in the window."""
    return TrendOut.of(discrepancy_trend(app.uow(), actor, start, end))
