"""Cash application and accounts receivable: import a bank statement (multipart), run matching, work the
suggestion and suspense worklists (accept, reject, change or split, apply from suspense), reverse an application,
a bank entry's detail, the ledger check, a customer's open items, statements of account and aging as of a date.
POSTs that move money accept ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, File, Header, Path, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from cashtrail.analytics.account_statement import bucket_scheme
from cashtrail.analytics.receivables import book_aging, printable_statement, statement_of_account
from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.idempotency import idempotent
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.cashapp import (
    AccountStatementOut,
    AgingOut,
    ApplyIn,
    EntryDetailOut,
    LedgerCheckOut,
    MatchOut,
    MatchRunIn,
    MatchRunOut,
    OpenItemList,
    OpenItemOut,
    ReasonIn,
    ReceiptOut,
    StatementImportOut,
    StatementsOut,
    StatementUpload,
    SuggestionOut,
    SuggestionPage,
    SuspensePage,
)
from cashtrail.api.schemas.common import money_text
from cashtrail.cashapp.application_services import (
    accept_suggestion,
    apply_receipt,
    reject_suggestion,
    reverse_match,
    run_matching,
)
from cashtrail.cashapp.matching import Policy
from cashtrail.cashapp.model import MatchStatus
from cashtrail.cashapp.queries import entry_detail, suspense, worklist
from cashtrail.cashapp.services import import_statements
from cashtrail.clock import business_date
from cashtrail.documents.pdf import render_statement_pdf
from cashtrail.errors import ValidationFailed
from cashtrail.files.statements import detect_and_parse
from cashtrail.ledger.checks import ledger_problems
from cashtrail.ledger.queries import customer_open_items
from cashtrail.money import Money

router = APIRouter(prefix="/v1", tags=["cash application"], responses=COMMON_PROBLEMS)
Id = Annotated[int, Path(ge=1)]
IdempotencyKey = Annotated[
    str | None, Header(max_length=200, description="Retry-safe key: a repeated request gets the first response.")
]
AsOf = Annotated[date | None, Query(description="The date (YYYY-MM-DD); today when omitted.")]
Buckets = Annotated[str, Query(max_length=100, description="Upper limits of the buckets in days past due.")]
MAX_STATEMENT_BYTES = 50 * 1024 * 1024


@router.post(
    "/cash/statements",
    response_model=StatementImportOut,
    status_code=201,
    summary="Import a bank statement file",
    responses=problem_responses(413, 422),
)
async def upload_statement(
    app: CashtrailApp,
    actor: CurrentActor,
    file: Annotated[UploadFile, File(description="camt.053/054, MT940/MT942, BAI2 or Cashtrail CSV")],
    dry_run: Annotated[bool, Query(description="Check against what is stored; write nothing.")] = False,
    idempotency_key: IdempotencyKey = None,
) -> StatementImportOut | JSONResponse:
    """The whole file is imported or refused with every problem (file, position, reason); a re-import adds nothing."""
    data = await file.read(MAX_STATEMENT_BYTES + 1)
    name = file.filename or "statement"
    if len(data) > MAX_STATEMENT_BYTES:
        raise ValidationFailed(
            f"{name} is larger than {MAX_STATEMENT_BYTES} bytes", code="statement.too_large", source=name
        )
    digest = hashlib.sha256(data).hexdigest()

    def run() -> StatementImportOut:
        statements, findings = detect_and_parse(data, name)
        report = import_statements(
            app.uow(), app.clock, actor, statements, name, digest, findings=findings, dry_run=dry_run
        )
        return StatementImportOut.model_validate(report.as_dict())

    upload = StatementUpload(file_name=name, file_sha256=digest, dry_run=dry_run)
    return idempotent(app, actor, idempotency_key, "cash.import", upload, run, status_code=201)


@router.post("/cash/matching-runs", response_model=MatchRunOut, summary="Match every new receipt")
def match(
    app: CashtrailApp, actor: CurrentActor, body: MatchRunIn | None = None, idempotency_key: IdempotencyKey = None
) -> MatchRunOut | JSONResponse:
    """Book every new receipt, apply the sure ones, suggest the rest, park the unidentified in suspense."""
    request = body or MatchRunIn()
    policy = Policy() if request.threshold is None else Policy(auto_threshold=request.threshold)

    def run() -> MatchRunOut:
        report = run_matching(app.uow(), app.clock, actor, policy=policy, limit=request.limit)
        return MatchRunOut.model_validate(report.as_dict())

    return idempotent(app, actor, idempotency_key, "cash.match", request, run)


@router.get("/cash/suggestions", summary="The suggestions worklist")
def suggestions(app: CashtrailApp, actor: CurrentActor, page: PageParams) -> SuggestionPage:
    """Proposals waiting for a person, with confidence, reasons and the receipt, in the order they were made."""
    rows = worklist(app.uow(), actor, MatchStatus.SUGGESTED, after_id=page.after_id, limit=page.fetch_size)
    items, next_cursor = page.cut(rows, lambda r: r[0].id)
    return SuggestionPage(items=[SuggestionOut.of_pair(m, r) for m, r in items], next_cursor=next_cursor)


@router.get("/cash/suspense", summary="The suspense worklist")
def suspense_list(app: CashtrailApp, actor: CurrentActor, page: PageParams) -> SuspensePage:
    """Receipts nobody could identify, or whose suggestion was rejected or application reversed."""
    rows = suspense(app.uow(), actor, after_id=page.after_id, limit=page.fetch_size)
    items, next_cursor = page.cut(rows, lambda r: r.entry_id)
    return SuspensePage(items=[ReceiptOut.of(r) for r in items], next_cursor=next_cursor)


@router.get("/cash/entries/{entry_id}", summary="A bank entry", responses=problem_responses(404))
def entry(entry_id: Id, app: CashtrailApp, actor: CurrentActor) -> EntryDetailOut:
    """Remittance, references, counterparty, every decision with confidence and reasons, and its applications."""
    return EntryDetailOut.of(entry_detail(app.uow(), actor, entry_id))


@router.post(
    "/cash/suggestions/{match_id}/accept",
    response_model=MatchOut,
    summary="Accept a suggestion",
    responses=problem_responses(404, 409),
)
def accept(
    match_id: Id, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> MatchOut | JSONResponse:
    """Apply the suggestion as proposed."""
    run = lambda: MatchOut.of(accept_suggestion(app.uow(), app.clock, actor, match_id))  # noqa: E731
    return idempotent(app, actor, idempotency_key, f"cash.accept:{match_id}", None, run)


@router.post(
    "/cash/suggestions/{match_id}/reject", summary="Reject a suggestion", responses=problem_responses(404, 409)
)
def reject(match_id: Id, body: ReasonIn, app: CashtrailApp, actor: CurrentActor) -> MatchOut:
    """Refuse the suggestion with a reason; the receipt goes to suspense."""
    return MatchOut.of(reject_suggestion(app.uow(), app.clock, actor, match_id, body.reason))


@router.post(
    "/cash/entries/{entry_id}/apply",
    response_model=MatchOut,
    status_code=201,
    summary="Apply a receipt yourself (change, split, or from suspense)",
    responses=problem_responses(404, 409),
)
def apply(
    entry_id: Id, body: ApplyIn, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> MatchOut | JSONResponse:
    """The given lines to the customer's open invoices; the rest on account, or as a deduction, bank fee or discount."""

    def run() -> MatchOut:
        receipt = entry_detail(app.uow(), actor, entry_id).receipt
        currency = receipt.amount.currency
        done = apply_receipt(
            app.uow(), app.clock, actor, entry_id, customer_number=body.customer_number,
            lines=[(line.item_id, Money(line.amount, currency)) for line in body.lines],
            remainder_kind=body.rest, reason_code=body.reason_code,
        )  # fmt: skip
        return MatchOut.of(done)

    return idempotent(app, actor, idempotency_key, f"cash.apply:{entry_id}", body, run, status_code=201)


@router.post(
    "/cash/matches/{match_id}/reverse",
    response_model=MatchOut,
    summary="Reverse an application",
    responses=problem_responses(404, 409),
)
def reverse(
    match_id: Id, body: ReasonIn, app: CashtrailApp, actor: CurrentActor, idempotency_key: IdempotencyKey = None
) -> MatchOut | JSONResponse:
    """Reversing entries undo the application; the receipt goes back to suspense."""
    run = lambda: MatchOut.of(reverse_match(app.uow(), app.clock, actor, match_id, body.reason))  # noqa: E731
    return idempotent(app, actor, idempotency_key, f"cash.reverse:{match_id}", body, run)


@router.get("/ledger/check", summary="Check the AR ledger")
def ledger_check(app: CashtrailApp, actor: CurrentActor) -> LedgerCheckOut:
    """Every currency's journal balances and AR control equals the open items; problems are listed, not raised."""
    balances, problems = ledger_problems(app.uow(), actor)
    shown = {c: {k: money_text(Decimal(v), c) for k, v in figures.items()} for c, figures in balances.items()}
    return LedgerCheckOut(balances=shown, problems=problems)


@router.get("/ar/customers/{number}/open-items", summary="A customer's open items", responses=problem_responses(404))
def open_items(number: str, app: CashtrailApp, actor: CurrentActor) -> OpenItemList:
    """Invoices, credit notes, payments on account and deductions open now, oldest due first."""
    items = customer_open_items(app.uow(), actor, number)
    return OpenItemList(customer_number=number, items=[OpenItemOut.of(i) for i in items])


@router.get(
    "/ar/customers/{number}/statement", summary="Statement of account as of a date", responses=problem_responses(404)
)
def statement(
    number: str, app: CashtrailApp, actor: CurrentActor, as_of: AsOf = None, buckets: Buckets = "30,60,90,120"
) -> StatementsOut:
    """What was open on the customer's account on ``as_of`` (an invoice paid later is still open), one per currency."""
    found = statement_of_account(app.uow(), actor, number, as_of or _today(app), scheme=bucket_scheme(buckets))
    return StatementsOut(statements=[AccountStatementOut.of(s) for s in found])


@router.get(
    "/ar/customers/{number}/statement.pdf",
    summary="Statement of account as a PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problem_responses(404)},
)
def statement_pdf(
    number: str,
    app: CashtrailApp,
    actor: CurrentActor,
    as_of: AsOf = None,
    currency: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
) -> Response:
    """The statement in the customer's language with the standard buckets (the documents' PDF renderer)."""
    day = as_of or _today(app)
    printable = printable_statement(app.uow(), actor, number, day, currency=currency)
    pdf = render_statement_pdf(printable.statement, printable.seller, printable.buyer, printable.language)
    name = f"statement-{number}-{day.isoformat()}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/ar/aging", summary="Aging as of a date")
def aging(
    app: CashtrailApp,
    actor: CurrentActor,
    as_of: AsOf = None,
    by: Annotated[str, Query(pattern="^(customer|country|book)$")] = "customer",
    buckets: Buckets = "30,60,90,120",
) -> AgingOut:
    """Open items on ``as_of`` in buckets of days past due, by customer, country or for the whole book."""
    report = book_aging(app.uow(), actor, as_of or _today(app), by=by, scheme=bucket_scheme(buckets))
    return AgingOut.of(report)


def _today(app: CashtrailApp) -> date:
    return business_date(app.clock.now(), app.settings.timezone)
