"""Cash application pages: statement upload with row-level feedback, the suggestion and suspense worklists
(keyboard review, XLSX export), a bank entry's detail with change / split / apply and reverse, and running matching.

Actions are plain forms that redirect back (they work without JavaScript); ``static/js/worklist.js`` sends the same
forms with ``fetch`` and an ``HX-Request`` header, for which the routes answer 204 so the row just leaves the list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from cashtrail.cashapp.application_services import (
    accept_suggestion,
    apply_receipt,
    reject_suggestion,
    reverse_match,
    run_matching,
)
from cashtrail.cashapp.model import BankReceipt, CashMatch, MatchStatus
from cashtrail.cashapp.queries import entry_detail, suspense, worklist
from cashtrail.cashapp.services import import_statements
from cashtrail.errors import FieldError, NotFound, ValidationFailed
from cashtrail.files.statements import detect_and_parse
from cashtrail.ledger.cash import DEDUCTION_REASONS
from cashtrail.ledger.queries import customer_open_items
from cashtrail.money import Money
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.paging import PAGE_SIZE, cut
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
Pair = tuple[CashMatch, BankReceipt]

SUGGESTION_COLUMNS: tuple[Column[Pair], ...] = (
    Column("Suggestion", lambda p: p[0].id, kind="integer", width=10),
    Column("Bank entry", lambda p: p[1].entry_id, kind="integer", width=10),
    Column("Booked", lambda p: p[1].booked_on, kind="date"),
    Column("Currency", lambda p: p[1].amount.currency, width=8),
    Column("Amount", lambda p: p[1].amount.amount, kind="amount"),
    Column("Payer", lambda p: p[1].counterparty_name, width=28),
    Column("Payer IBAN", lambda p: p[1].counterparty_iban, width=24),
    Column("Text", lambda p: p[1].text, width=40),
    Column("Customer", lambda p: p[0].customer_number, width=12),
    Column("Items", lambda p: ", ".join(x.number for x in p[0].lines), width=30),
    Column("Outcome", lambda p: p[0].outcome, width=12),
    Column("Confidence", lambda p: p[0].confidence, kind="decimal"),
    Column("Rest", lambda p: None if p[0].remainder is None else p[0].remainder.amount, kind="amount"),
    Column("Rest is", lambda p: p[0].remainder_kind, width=12),
    Column("Reasons", lambda p: "; ".join(p[0].reasons), width=60),
)
SUSPENSE_COLUMNS: tuple[Column[BankReceipt], ...] = (
    Column("Bank entry", lambda r: r.entry_id, kind="integer", width=10),
    Column("Booked", lambda r: r.booked_on, kind="date"),
    Column("Currency", lambda r: r.amount.currency, width=8),
    Column("Amount", lambda r: r.amount.amount, kind="amount"),
    Column("Payer", lambda r: r.counterparty_name, width=28),
    Column("Payer IBAN", lambda r: r.counterparty_iban, width=24),
    Column("Bank reference", lambda r: r.bank_reference, width=20),
    Column("Text", lambda r: r.text, width=50),
)


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


def _done(request: Request, target: str, message: str) -> Response:
    """204 for the worklist script (the row leaves the list), else a flash message and a redirect."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Trigger": "cash-done"})
    flash(request, "success", message)
    return RedirectResponse(target, status_code=303)


@router.get("/cash")
def suggestions_page(request: Request, user: CurrentUser, after: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The suggestions worklist, reviewed with the keyboard."""
    app = cashtrail_app(request)
    rows = worklist(app.uow(), user.actor, MatchStatus.SUGGESTED, after_id=after, limit=PAGE_SIZE + 1)
    page, next_after = cut(rows, PAGE_SIZE, lambda r: r[0].id)
    return render(request, "cashapp/suggestions.html", {"rows": page, "next_after": next_after})


@router.get("/cash/suggestions.xlsx")
def suggestions_export(request: Request, user: CurrentUser) -> Response:
    """Every open suggestion as an XLSX workbook."""
    app = cashtrail_app(request)
    rows = worklist(app.uow(), user.actor, MatchStatus.SUGGESTED, limit=100_000)
    return xlsx_response("cash-suggestions", SUGGESTION_COLUMNS, rows, day=_today(request), sheet_title="Suggestions")


@router.get("/cash/suspense")
def suspense_page(request: Request, user: CurrentUser, after: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """Receipts nobody could identify."""
    app = cashtrail_app(request)
    rows = suspense(app.uow(), user.actor, after_id=after, limit=PAGE_SIZE + 1)
    page, next_after = cut(rows, PAGE_SIZE, lambda r: r.entry_id)
    return render(request, "cashapp/suspense.html", {"rows": page, "next_after": next_after})


@router.get("/cash/suspense.xlsx")
def suspense_export(request: Request, user: CurrentUser) -> Response:
    """Every receipt in suspense as an XLSX workbook."""
    app = cashtrail_app(request)
    rows = suspense(app.uow(), user.actor, limit=100_000)
    return xlsx_response("cash-suspense", SUSPENSE_COLUMNS, rows, day=_today(request), sheet_title="Suspense")


@router.post("/cash/match")
def match(request: Request, user: CurrentUser) -> Response:
    """Match every new receipt."""
    app = cashtrail_app(request)
    report = run_matching(app.uow(), app.clock, user.actor)
    message = (
        f"Matched {report.receipts} receipts: {report.applied} applied, {report.suggested} suggested, "
        f"{report.suspense} in suspense."
    )
    flash(request, "success", message)
    return RedirectResponse("/cash", status_code=303)


@router.post("/cash/suggestions/{match_id}/accept")
def accept(request: Request, user: CurrentUser, match_id: int) -> Response:
    """Apply a suggestion as proposed."""
    app = cashtrail_app(request)
    done = accept_suggestion(app.uow(), app.clock, user.actor, match_id)
    return _done(request, "/cash", f"Suggestion {match_id} applied to {done.customer_number}.")


@router.post("/cash/suggestions/{match_id}/reject")
def reject(request: Request, user: CurrentUser, match_id: int, reason: Annotated[str, Form()]) -> Response:
    """Refuse a suggestion; the receipt goes to suspense."""
    app = cashtrail_app(request)
    reject_suggestion(app.uow(), app.clock, user.actor, match_id, reason)
    return _done(request, "/cash", f"Suggestion {match_id} rejected; the receipt is in suspense.")


@router.post("/cash/matches/{match_id}/reverse")
def reverse(
    request: Request, user: CurrentUser, match_id: int, reason: Annotated[str, Form()], entry: Annotated[int, Form()]
) -> Response:
    """Undo an application with reversing entries."""
    app = cashtrail_app(request)
    reverse_match(app.uow(), app.clock, user.actor, match_id, reason)
    flash(request, "success", f"Application {match_id} reversed; the receipt is in suspense.")
    return RedirectResponse(f"/cash/entries/{entry}", status_code=303)


@router.get("/cash/entries/{entry_id}")
def entry(
    request: Request, user: CurrentUser, entry_id: int, customer: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    """A bank entry: what the bank sent, the proposal with its reasons, applications, and the apply form."""
    app = cashtrail_app(request)
    detail = entry_detail(app.uow(), user.actor, entry_id)
    pending = next((m for m in detail.matches if m.status == MatchStatus.SUGGESTED), None)
    chosen = customer or (pending.customer_number if pending else "") or ""
    items, missing = [], False
    if chosen:
        try:
            items = [i for i in customer_open_items(app.uow(), user.actor, chosen) if i.is_debit]
        except NotFound:
            missing = True
    proposed = (
        {x.item_id: x.amount.amount for x in pending.lines} if pending and pending.customer_number == chosen else {}
    )
    context = {
        "d": detail, "pending": pending, "customer": chosen, "items": items, "missing": missing,
        "proposed": proposed, "reasons": DEDUCTION_REASONS,
    }  # fmt: skip
    return render(request, "cashapp/entry.html", context)


@router.post("/cash/entries/{entry_id}/apply")
async def apply(request: Request, user: CurrentUser, entry_id: int) -> Response:
    """A person's application: the amounts typed per open item; the rest as chosen."""
    app = cashtrail_app(request)
    form = await request.form()
    receipt = entry_detail(app.uow(), user.actor, entry_id).receipt
    lines = _lines(form.multi_items(), receipt.amount.currency)
    done = apply_receipt(
        app.uow(), app.clock, user.actor, entry_id, customer_number=str(form.get("customer", "")).strip(),
        lines=lines, remainder_kind=str(form.get("rest", "on_account")),
        reason_code=str(form.get("reason_code", "")) or None,
    )  # fmt: skip
    flash(request, "success", f"Bank entry {entry_id} applied to {done.customer_number}.")
    return RedirectResponse(f"/cash/entries/{entry_id}", status_code=303)


def _lines(fields: Sequence[tuple[str, object]], currency: str) -> list[tuple[int, Money]]:
    """``amount-<item id>`` fields with a value, as (item id, amount); a bad number is a row-level error."""
    lines, errors = [], []
    for name, raw in fields:
        text = str(raw).strip().replace(",", ".")
        if not name.startswith("amount-") or not text:
            continue
        try:
            amount = Decimal(text)
        except InvalidOperation:
            errors.append(FieldError(name, "is not an amount", value=raw))
            continue
        if amount:
            lines.append((int(name.removeprefix("amount-")), Money(amount, currency)))
    if errors:
        raise ValidationFailed("some amounts are not numbers", code="cash.bad_amount", errors=errors)
    return lines


@router.get("/cash/upload")
def upload_form(request: Request, user: CurrentUser) -> Response:
    """The statement upload form."""
    return render(request, "cashapp/upload.html", {"problems": [], "report": None, "name": ""})


@router.post("/cash/upload")
async def upload(
    request: Request,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    """Import a statement; a refused file is shown with every problem, by position."""
    app = cashtrail_app(request)
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    name = file.filename or "statement"
    context: dict[str, object] = {"problems": [], "report": None, "name": name}
    if len(data) > MAX_UPLOAD_BYTES:
        context["problems"] = [FieldError("file", f"is larger than {MAX_UPLOAD_BYTES} bytes", source=name)]
        return render(request, "cashapp/upload.html", context, status_code=422)
    statements, findings = detect_and_parse(data, name)
    digest = hashlib.sha256(data).hexdigest()
    try:
        report = import_statements(
            app.uow(), app.clock, user.actor, statements, name, digest, findings=findings, dry_run=dry_run
        )
    except ValidationFailed as exc:
        context["problems"] = exc.errors
        return render(request, "cashapp/upload.html", context, status_code=422)
    context["report"] = report
    return render(request, "cashapp/upload.html", context)
