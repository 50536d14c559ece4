"""Invoicing pages: the invoice list, the approval queue, an invoice's detail with its actions, the credit-note form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.documents.pdf import render_progress_pdf
from cashtrail.documents.preview import first_page_png
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.invoicing.approval_services import (
    approval_queue,
    approve_invoice,
    release_invoice,
    stop_invoice,
)
from cashtrail.invoicing.issue_services import credit_invoice, issue_invoice
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.progress_services import progress_statement
from cashtrail.invoicing.queries import count_invoices, invoice_detail, list_invoices
from cashtrail.invoicing.send_services import export_document, send_invoice
from cashtrail.invoicing.summary import InvoiceFilter, InvoiceSummary
from cashtrail.money import Money
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.paging import PAGE_SIZE, cut
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()

INVOICE_COLUMNS: tuple[Column[InvoiceSummary], ...] = (
    Column("Id", lambda r: r.id, kind="integer", width=8),
    Column("Kind", lambda r: r.kind, width=12),
    Column("Status", lambda r: r.status, width=10),
    Column("Number", lambda r: r.number, width=24),
    Column("Customer", lambda r: r.customer_number, width=12),
    Column("Entity", lambda r: r.legal_entity, width=8),
    Column("Currency", lambda r: r.currency, width=8),
    Column("Net", lambda r: r.net, kind="amount"),
    Column("VAT", lambda r: r.vat, kind="amount"),
    Column("Total", lambda r: r.gross, kind="amount"),
    Column("Issued", lambda r: r.issue_date, kind="date"),
    Column("Due", lambda r: r.due_date, kind="date"),
    Column("Needs approval", lambda r: r.approval_reason, width=30),
)


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


def _filters(status: str, kind: str, customer: str, search: str) -> InvoiceFilter:
    return InvoiceFilter(status or None, kind or None, customer or None, search or None)


@router.get("/invoices")
def invoices(
    request: Request,
    user: CurrentUser,
    status: Annotated[str, Query(max_length=16)] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
    customer: Annotated[str, Query(max_length=32)] = "",
    search: Annotated[str, Query(max_length=40)] = "",
    after: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Invoices and credit notes, newest first, with filters."""
    app = cashtrail_app(request)
    filters = _filters(status, kind, customer, search)
    rows = list_invoices(app.uow(), user.actor, filters, after_id=after, limit=PAGE_SIZE + 1)
    page, next_after = cut(rows, PAGE_SIZE, lambda r: r.id)
    context = {
        "rows": page,
        "next_after": next_after,
        "total": count_invoices(app.uow(), user.actor, filters),
        "filters": {"status": status, "kind": kind, "customer": customer, "search": search},
    }
    return render(request, "invoicing/list.html", context)


@router.get("/invoices.xlsx")
def invoices_export(
    request: Request,
    user: CurrentUser,
    status: Annotated[str, Query(max_length=16)] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
    customer: Annotated[str, Query(max_length=32)] = "",
    search: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The filtered list as an XLSX workbook (up to 100,000 rows)."""
    app = cashtrail_app(request)
    rows = list_invoices(app.uow(), user.actor, _filters(status, kind, customer, search), limit=100_000)
    return xlsx_response("invoices", INVOICE_COLUMNS, rows, day=_today(request), sheet_title="Invoices")


@router.post("/invoices/prepare")
def prepare(request: Request, user: CurrentUser) -> Response:
    """Draft documents from the bill run's drafts."""
    app = cashtrail_app(request)
    result = prepare_invoices(app.uow(), app.clock, user.actor)
    flash(
        request,
        "success",
        f"Prepared {result.invoices} invoices and {result.credit_notes} credit notes; "
        f"{result.needing_approval} wait for approval.",
    )
    return RedirectResponse("/invoices/queue", status_code=303)


@router.get("/invoices/queue")
def queue(request: Request, user: CurrentUser) -> Response:
    """The approval monitor: what waits, how long, why, and for whom."""
    app = cashtrail_app(request)
    waiting = approval_queue(app.uow(), app.clock, user.actor)
    return render(request, "invoicing/queue.html", {"waiting": waiting, "me": user.actor.username})


@router.get("/invoices/{invoice_id}")
def invoice(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """One document: header, lines, VAT breakdown, totals, actions, files, e-mails, credit notes."""
    app = cashtrail_app(request)
    detail = invoice_detail(app.uow(), user.actor, invoice_id)
    return render(
        request, "invoicing/detail.html", {"d": detail, "doc": detail.document, "totals": detail.document.totals()}
    )


def _back(invoice_id: int) -> RedirectResponse:
    return RedirectResponse(f"/invoices/{invoice_id}", status_code=303)


@router.post("/invoices/{invoice_id}/approve")
def approve(request: Request, user: CurrentUser, invoice_id: int, back: Annotated[str, Form()] = "") -> Response:
    """Approve a draft as a second person."""
    app = cashtrail_app(request)
    approve_invoice(app.uow(), app.clock, user.actor, invoice_id)
    flash(request, "success", f"Draft {invoice_id} approved.")
    return RedirectResponse("/invoices/queue", status_code=303) if back == "queue" else _back(invoice_id)


@router.post("/invoices/{invoice_id}/stop")
def stop(request: Request, user: CurrentUser, invoice_id: int, reason: Annotated[str, Form()]) -> Response:
    """Stop a draft."""
    app = cashtrail_app(request)
    stop_invoice(app.uow(), app.clock, user.actor, invoice_id, reason)
    flash(request, "success", f"Draft {invoice_id} stopped.")
    return _back(invoice_id)


@router.post("/invoices/{invoice_id}/release")
def release(request: Request, user: CurrentUser, invoice_id: int, reason: Annotated[str, Form()]) -> Response:
    """Release a stopped draft."""
    app = cashtrail_app(request)
    release_invoice(app.uow(), app.clock, user.actor, invoice_id, reason)
    flash(request, "success", f"Draft {invoice_id} released.")
    return _back(invoice_id)


@router.post("/invoices/{invoice_id}/issue")
def issue(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """Issue a draft today."""
    app = cashtrail_app(request)
    doc = issue_invoice(app.uow(), app.clock, user.actor, invoice_id)
    flash(request, "success", f"Issued {doc.number}.")
    return _back(invoice_id)


@router.get("/invoices/{invoice_id}/file/{fmt}")
def download(request: Request, user: CurrentUser, invoice_id: int, fmt: str) -> Response:
    """The PDF (shown inline, for the preview) or the UBL file (downloaded)."""
    app = cashtrail_app(request)
    name, media_type, content = export_document(app.uow(), app.clock, user.actor, app.renderer(), invoice_id, fmt)
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'{disposition}; filename="{name}"'}
    )


@router.get("/invoices/{invoice_id}/preview.png")
def preview(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """The first page of the PDF as an image."""
    app = cashtrail_app(request)
    _, _, content = export_document(app.uow(), app.clock, user.actor, app.renderer(), invoice_id, "pdf")
    return Response(first_page_png(content), media_type="image/png")


@router.get("/invoices/{invoice_id}/progress.pdf")
def progress_pdf(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """The progress statement of a project's stage invoice."""
    app = cashtrail_app(request)
    progress = progress_statement(app.uow(), user.actor, invoice_id)
    pdf = render_progress_pdf(progress.statement, progress.seller, progress.buyer, progress.language)
    name = f"{progress.statement.number}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/invoices/{invoice_id}/send")
def send(request: Request, user: CurrentUser, invoice_id: int, recipient: Annotated[str, Form()] = "") -> Response:
    """Queue the e-mail to the billing contact (delivered by the outbox)."""
    app = cashtrail_app(request)
    message = send_invoice(app.uow(), app.clock, user.actor, app.renderer(), invoice_id, recipient=recipient or None)
    flash(request, "success", f"E-mail to {message.recipient} queued in the outbox.")
    return _back(invoice_id)


@router.get("/invoices/{invoice_id}/credit")
def credit_form(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """The credit-note form: whole invoice, chosen lines, part of lines' quantities, or an amount."""
    app = cashtrail_app(request)
    detail = invoice_detail(app.uow(), user.actor, invoice_id)
    return render(request, "invoicing/credit.html", {"doc": detail.document, "totals": detail.document.totals()})


@router.post("/invoices/{invoice_id}/credit")
async def credit(request: Request, user: CurrentUser, invoice_id: int) -> Response:
    """Draft the credit note and open it."""
    app = cashtrail_app(request)
    form = await request.form()
    original = invoice_detail(app.uow(), user.actor, invoice_id).document
    how, reason = str(form.get("how", "full")), str(form.get("reason", ""))
    lines = [int(str(v)) for v in form.getlist("line")] if how == "lines" else None
    amount = _amount(str(form.get("amount", "")), original.currency) if how == "amount" else None
    quantities = _quantities(form) if how == "quantities" else None
    if how == "lines" and not lines:
        raise ValidationFailed("choose at least one line to credit", errors=[FieldError("line", "none chosen")])
    note = credit_invoice(
        app.uow(),
        app.clock,
        user.actor,
        original.number or "",
        reason=reason,
        lines=lines,
        amount=amount,
        quantities=quantities,
    )
    flash(request, "success", f"Credit note drafted for {original.number}; it waits for approval.")
    return RedirectResponse(f"/invoices/{note.id}", status_code=303)


def _quantities(form: Any) -> dict[int, Decimal]:
    """The non-empty ``qty_N`` fields of the credit form, by 0-based line index."""
    quantities, errors = {}, []
    for name, raw in form.items():
        if not name.startswith("qty_") or not str(raw).strip():
            continue
        try:
            quantities[int(name[4:])] = Decimal(str(raw).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            errors.append(FieldError(name, "not a number", value=str(raw)))
    if errors:
        raise ValidationFailed("a quantity to credit is not a number", errors=errors)
    if not quantities:
        raise ValidationFailed("enter the quantity to credit on at least one line", errors=[FieldError("qty", "none")])
    return quantities


def _amount(raw: str, currency: str) -> Money:
    try:
        return Money(Decimal(raw.strip().replace(",", ".")), currency)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "the amount is not a number", errors=[FieldError("amount", "not a number", value=raw)]
        ) from None
