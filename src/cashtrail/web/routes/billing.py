"""Billing pages: contracts, the bill-run preview of a month, and the billing-blocks worklist with stop and release."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.billing.block_services import open_blocks, place_block, release_block
from cashtrail.billing.blocks import Block
from cashtrail.billing.services import run_bill_run
from cashtrail.contracts.services import get_contract, list_contracts
from cashtrail.contracts.terms import add_months
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.paging import PAGE_SIZE, cut
from cashtrail.web.security import CurrentUser, cashtrail_app, flash
from cashtrail.web.templating import render

router = APIRouter()

BLOCK_COLUMNS: tuple[Column[Block], ...] = (
    Column("Id", lambda b: b.id, kind="integer", width=8),
    Column("Scope", lambda b: b.scope, width=10),
    Column("Target", lambda b: b.target, width=40),
    Column("Reason", lambda b: b.reason, width=22),
    Column("Detail", lambda b: b.detail, width=50),
    Column("Contract", lambda b: b.contract_number, width=14),
    Column("Owner", lambda b: b.owner, width=12),
    Column("Automatic", lambda b: "yes" if b.automatic else "no", width=10),
    Column("Created", lambda b: b.created_at, kind="datetime"),
    Column("Release on", lambda b: b.release_on, kind="date"),
)


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/contracts")
def contracts(
    request: Request,
    user: CurrentUser,
    customer: Annotated[str, Query(max_length=32)] = "",
    after: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Contracts, newest last, optionally of one customer."""
    app = cashtrail_app(request)
    rows = list_contracts(app.uow(), user.actor, after_id=after, limit=PAGE_SIZE + 1, customer=customer or None)
    page, next_after = cut(rows, PAGE_SIZE, lambda c: c.id)
    return render(
        request,
        "billing/contracts.html",
        {"contracts": page, "customer": customer, "after": after, "next_after": next_after},
    )


@router.get("/contracts/{number}")
def contract(request: Request, user: CurrentUser, number: str) -> Response:
    """One contract: terms, devices and meter plans, units and callout terms, fee lines."""
    app = cashtrail_app(request)
    return render(request, "billing/contract.html", {"contract": get_contract(app.uow(), user.actor, number)})


@router.get("/billing/preview")
def preview(request: Request, user: CurrentUser, period: Annotated[str, Query(max_length=7)] = "") -> Response:
    """The bill run of a month as it would be now: totals, draft invoices, held charges and changes; writes nothing."""
    app = cashtrail_app(request)
    period = period or add_months(_today(request).replace(day=1), -1).strftime("%Y-%m")
    result = run_bill_run(app.uow(), app.clock, user.actor, period, preview=True)
    return render(request, "billing/preview.html", {"result": result, "period": period})


@router.get("/billing/blocks")
def blocks(request: Request, user: CurrentUser, reason: Annotated[str, Query(max_length=32)] = "") -> Response:
    """The billing-blocks worklist: every open block, filterable by reason, with release actions."""
    app = cashtrail_app(request)
    found = open_blocks(app.uow(), user.actor)
    reasons = sorted({b.reason for b in found})
    shown = [b for b in found if not reason or b.reason == reason]
    return render(
        request, "billing/blocks.html", {"blocks": shown, "reasons": reasons, "reason": reason, "total": len(found)}
    )


@router.get("/billing/blocks.xlsx")
def blocks_export(request: Request, user: CurrentUser, reason: Annotated[str, Query(max_length=32)] = "") -> Response:
    """The worklist as an XLSX workbook."""
    app = cashtrail_app(request)
    rows = [b for b in open_blocks(app.uow(), user.actor) if not reason or b.reason == reason]
    return xlsx_response("billing-blocks", BLOCK_COLUMNS, rows, day=_today(request), sheet_title="Billing blocks")


@router.post("/billing/blocks")
def block(
    request: Request,
    user: CurrentUser,
    scope: Annotated[str, Form()],
    target: Annotated[str, Form()],
    reason: Annotated[str, Form()],
    release_on: Annotated[str, Form()] = "",
) -> Response:
    """Stop billing of a charge, contract or customer."""
    app = cashtrail_app(request)
    day = date.fromisoformat(release_on) if release_on else None
    placed = place_block(
        app.uow(),
        app.clock,
        user.actor,
        scope=scope,
        target=target,
        reason=reason,
        owner=user.actor.username,
        release_on=day,
    )
    flash(request, "success", f"Billing stopped for {placed.scope} {placed.target}.")
    return RedirectResponse("/billing/blocks", status_code=303)


@router.post("/billing/blocks/{block_id}/release")
def release(request: Request, user: CurrentUser, block_id: int, reason: Annotated[str, Form()]) -> Response:
    """Release one block with a reason; its charges flow into the next run."""
    app = cashtrail_app(request)
    released = release_block(app.uow(), app.clock, user.actor, block_id, reason)
    flash(request, "success", f"Block {released.id} on {released.target} released.")
    return RedirectResponse("/billing/blocks", status_code=303)
