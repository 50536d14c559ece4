"""Invoices and credit notes: list, detail, prepare from the bill run, the approval queue, approve, stop and
release, issue and credit (both accept ``Idempotency-Key``), stops of customers and contracts, legal entities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response
from fastapi.responses import JSONResponse

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.idempotency import idempotent
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.invoicing import (
    ApprovalQueueOut,
    CreditIn,
    InvoiceOut,
    InvoicePage,
    InvoiceSummaryOut,
    IssueIn,
    LegalEntityList,
    LegalEntityOut,
    PrepareOut,
    ReasonIn,
    SendIn,
    SendOut,
    StopIn,
    StopList,
    StopOut,
    WaitingOut,
)
from cashtrail.documents.pdf import render_progress_pdf
from cashtrail.invoicing.approval_services import (
    active_stops,
    approval_queue,
    approve_invoice,
    release_invoice,
    release_stop,
    stop_invoice,
    stop_invoices_of,
)
from cashtrail.invoicing.issue_services import credit_invoice, issue_invoice
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.progress_services import progress_statement
from cashtrail.invoicing.queries import find_invoice, invoice_detail, list_invoices
from cashtrail.invoicing.send_services import export_document, send_invoice
from cashtrail.invoicing.summary import InvoiceFilter
from cashtrail.money import Money
from cashtrail.parties.entity_services import legal_entities

router = APIRouter(prefix="/v1", tags=["invoicing"], responses=COMMON_PROBLEMS)
InvoiceId = Annotated[int, Path(ge=1)]
IdempotencyKey = Annotated[
    str | None, Header(max_length=200, description="Retry-safe key: a repeated request gets the first response.")
]


@router.get("/invoices", summary="List invoices and credit notes")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    status: Annotated[str | None, Query(pattern="^(draft|approved|issued|sent)$")] = None,
    kind: Annotated[str | None, Query(pattern="^(invoice|credit_note)$")] = None,
    customer: Annotated[str | None, Query(max_length=32)] = None,
    search: Annotated[str | None, Query(max_length=40, description="Part of a document number.")] = None,
) -> InvoicePage:
    """Documents newest first, one page at a time."""
    rows = list_invoices(
        app.uow(), actor, InvoiceFilter(status, kind, customer, search), after_id=page.after_id, limit=page.fetch_size
    )
    items, next_cursor = page.cut(rows, lambda r: r.id)
    return InvoicePage(items=[InvoiceSummaryOut.of(r) for r in items], next_cursor=next_cursor)


@router.get("/invoices/approval-queue", summary="The approval monitor")
def queue(app: CashtrailApp, actor: CurrentActor) -> ApprovalQueueOut:
    """Drafts waiting for a second person's approval: since when, why, and who may approve them."""
    return ApprovalQueueOut(items=[WaitingOut.of(w) for w in approval_queue(app.uow(), app.clock, actor)])


@router.post("/invoices/prepare", summary="Draft documents from the bill run's drafts")
def prepare(app: CashtrailApp, actor: CurrentActor) -> PrepareOut:
    """Every billing draft not prepared yet becomes a draft invoice (or credit note) with VAT per line."""
    result = prepare_invoices(app.uow(), app.clock, actor)
    return PrepareOut(
        invoices=result.invoices,
        credit_notes=result.credit_notes,
        needing_approval=result.needing_approval,
        ids=result.document_ids,
    )


@router.get("/invoices/{invoice_id}", summary="Get a document", responses=problem_responses(404))
def get(invoice_id: InvoiceId, app: CashtrailApp, actor: CurrentActor) -> InvoiceOut:
    """One document with its lines, VAT breakdown, totals, files, e-mails and credit notes."""
    detail = invoice_detail(app.uow(), actor, invoice_id)
    return InvoiceOut.of_document(detail.document, detail)


@router.get("/invoices/by-number/{number}", summary="Get a document by its number", responses=problem_responses(404))
def get_by_number(number: str, app: CashtrailApp, actor: CurrentActor) -> InvoiceOut:
    """One issued document by its number."""
    doc = find_invoice(app.uow(), actor, number)
    assert doc.id is not None
    detail = invoice_detail(app.uow(), actor, doc.id)
    return InvoiceOut.of_document(detail.document, detail)


@router.post("/invoices/{invoice_id}/approve", summary="Approve a draft", responses=problem_responses(404, 409))
def approve(invoice_id: InvoiceId, app: CashtrailApp, actor: CurrentActor) -> InvoiceOut:
    """Approve as a second person (the preparer may not)."""
    return InvoiceOut.of_document(approve_invoice(app.uow(), app.clock, actor, invoice_id))


@router.post("/invoices/{invoice_id}/stop", summary="Stop a draft", responses=problem_responses(404, 409))
def stop(invoice_id: InvoiceId, body: ReasonIn, app: CashtrailApp, actor: CurrentActor) -> InvoiceOut:
    """Hold the draft from approval and issue until released."""
    return InvoiceOut.of_document(stop_invoice(app.uow(), app.clock, actor, invoice_id, body.reason))


@router.post("/invoices/{invoice_id}/release", summary="Release a stopped draft", responses=problem_responses(404, 409))
def release(invoice_id: InvoiceId, body: ReasonIn, app: CashtrailApp, actor: CurrentActor) -> InvoiceOut:
    """Lift the draft's own stop."""
    return InvoiceOut.of_document(release_invoice(app.uow(), app.clock, actor, invoice_id, body.reason))


@router.post(
    "/invoices/{invoice_id}/issue",
    response_model=InvoiceOut,
    summary="Issue a draft",
    responses=problem_responses(404, 409),
)
def issue(
    invoice_id: InvoiceId, body: IssueIn, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> InvoiceOut | JSONResponse:
    """Give the draft its gapless number, due date and payment reference and post it to the AR ledger."""
    return idempotent(
        app,
        actor,
        idempotency_key,
        f"issue:{invoice_id}",
        body,
        lambda: InvoiceOut.of_document(
            issue_invoice(app.uow(), app.clock, actor, invoice_id, issue_date=body.issue_date)
        ),
    )


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response_model=InvoiceOut,
    status_code=201,
    summary="Draft a credit note for an issued invoice",
    responses=problem_responses(404, 409),
)
def credit(
    invoice_id: InvoiceId,
    body: CreditIn,
    app: CashtrailApp,
    actor: CurrentActor,
    idempotency_key: IdempotencyKey = None,
) -> InvoiceOut | JSONResponse:
    """In full, for some lines, for part of some lines' quantities, or for an amount; never more than what is left
    to credit."""

    def run() -> InvoiceOut:
        original = invoice_detail(app.uow(), actor, invoice_id).document
        amount = Money(body.amount, original.currency) if body.amount is not None else None
        lines = [i - 1 for i in body.lines] if body.lines else None
        quantities = {i - 1: q for i, q in body.quantities.items()} if body.quantities is not None else None
        number = original.number or ""
        return InvoiceOut.of_document(
            credit_invoice(
                app.uow(),
                app.clock,
                actor,
                number,
                reason=body.reason,
                lines=lines,
                amount=amount,
                quantities=quantities,
            )
        )

    return idempotent(app, actor, idempotency_key, f"credit:{invoice_id}", body, run, status_code=201)


@router.get(
    "/invoices/{invoice_id}/progress-statement",
    summary="The progress statement of a project's stage invoice (PDF)",
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(404, 409)},
    response_class=Response,
)
def progress(invoice_id: InvoiceId, app: CashtrailApp, actor: CurrentActor) -> Response:
    """Every stage billed so far against the contract value, in the customer's language."""
    doc = progress_statement(app.uow(), actor, invoice_id)
    pdf = render_progress_pdf(doc.statement, doc.seller, doc.buyer, doc.language)
    name = f"{doc.statement.number}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/invoices/{invoice_id}/{fmt}",
    summary="Download an issued document's PDF or Peppol UBL",
    responses={200: {"content": {"application/pdf": {}, "application/xml": {}}}, **problem_responses(404, 409)},
    response_class=Response,
)
def download(
    invoice_id: InvoiceId, fmt: Annotated[str, Path(pattern="^(pdf|ubl)$")], app: CashtrailApp, actor: CurrentActor
) -> Response:
    """The file rendered once at first use and kept: what the customer received, byte for byte."""
    name, media_type, content = export_document(app.uow(), app.clock, actor, app.renderer(), invoice_id, fmt)
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/invoices/{invoice_id}/send", summary="E-mail an issued document", responses=problem_responses(404, 409))
def send(invoice_id: InvoiceId, body: SendIn, app: CashtrailApp, actor: CurrentActor) -> SendOut:
    """Queue the e-mail with the PDF and UBL to the billing contact (or ``recipient``); sending twice queues once."""
    message = send_invoice(app.uow(), app.clock, actor, app.renderer(), invoice_id, recipient=body.recipient)
    return SendOut(key=message.key, recipient=message.recipient, status=message.status)


@router.get("/invoice-stops", summary="Customer and contract stops in force")
def stops(app: CashtrailApp, actor: CurrentActor) -> StopList:
    """Every stop instruction not released."""
    return StopList(items=[StopOut(**{k: s[k] for k in StopOut.model_fields}) for s in active_stops(app.uow(), actor)])


@router.post("/invoice-stops", status_code=201, summary="Stop every draft of a customer or contract")
def place_stop(body: StopIn, app: CashtrailApp, actor: CurrentActor) -> StopList:
    """Drafts of the customer or contract, present and future, wait until the stop is released."""
    stop_invoices_of(app.uow(), app.clock, actor, body.scope, body.target, body.reason)
    return stops(app, actor)


@router.post("/invoice-stops/{stop_id}/release", summary="Release a stop", responses=problem_responses(404))
def lift_stop(stop_id: Annotated[int, Path(ge=1)], body: ReasonIn, app: CashtrailApp, actor: CurrentActor) -> StopList:
    """The customer's or contract's drafts can be approved and issued again."""
    release_stop(app.uow(), app.clock, actor, stop_id, body.reason)
    return stops(app, actor)


@router.get("/legal-entities", summary="Legal entities")
def entities(app: CashtrailApp, actor: CurrentActor) -> LegalEntityList:
    """The group companies that sell, with their approval rules."""
    return LegalEntityList(items=[LegalEntityOut.of(e) for e in legal_entities(app.uow(), actor)])
