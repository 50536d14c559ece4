"""Invoice commands: list, show, prepare from the bill run, approve, stop and release, issue, credit, export, render,
send;
the approval queue; the outbox; legal entities."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
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
from cashtrail.invoicing.issue_services import credit_invoice, issue_invoice, issue_ready
from cashtrail.invoicing.lifecycle import Document
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.progress_services import progress_statement
from cashtrail.invoicing.queries import find_invoice, invoice_detail, list_invoices
from cashtrail.invoicing.send_services import deliver_outbox, export_document, send_invoice, send_issued
from cashtrail.invoicing.summary import InvoiceFilter
from cashtrail.jobs.document_render import render_pending
from cashtrail.money import D, Money
from cashtrail.parties.entity_services import legal_entities

invoice_app = typer.Typer(
    help="Invoices and credit notes: prepare, approve, issue, credit, export, send.", no_args_is_help=True
)
outbox_app = typer.Typer(help="The outbox of e-mails to customers.", no_args_is_help=True)
entity_app = typer.Typer(help="Legal entities (sellers).", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(invoice_app, name="invoice")
    app.add_typer(outbox_app, name="outbox")
    app.add_typer(entity_app, name="entity")


def _id(ref: str) -> int:
    cashtrail = get_app()
    doc = find_invoice(cashtrail.uow(), actor(cashtrail), ref)
    assert doc.id is not None
    return doc.id


def document_data(doc: Document) -> dict[str, Any]:
    """A document as JSON-friendly data: header, lines with VAT, breakdown and totals."""
    totals = doc.totals()
    return {
        "id": doc.id,
        "kind": doc.kind,
        "status": doc.status,
        "number": doc.number,
        "legal_entity": doc.legal_entity,
        "customer": doc.customer_number,
        "currency": doc.currency,
        "issue_date": doc.issue_date,
        "due_date": doc.due_date,
        "payment_reference": doc.snapshot.payment_reference_display if doc.snapshot else doc.payment_reference,
        "buyer_reference": doc.buyer_reference,
        "contracts": doc.contract_numbers,
        "approval_reason": doc.approval_reason,
        "approved_by": doc.approved_by,
        "prepared_by": doc.prepared_by,
        "stopped_reason": doc.stopped_reason,
        "credits": doc.credits,
        "reason": doc.reason,
        "lines": [
            {
                "description": la.line.description,
                "quantity": la.line.quantity,
                "unit_price": la.line.unit_price.amount,
                "net": la.net.amount,
                "vat_category": la.line.vat.category,
                "vat_rate": la.line.vat.rate,
                "period": [la.line.period_start, la.line.period_end],
            }
            for la in totals.lines
        ],
        "vat_breakdown": [
            {"category": b.category, "rate": b.rate, "taxable": b.taxable.amount, "tax": b.tax.amount}
            for b in totals.breakdown
        ],
        "net": totals.net.amount,
        "vat": totals.vat.amount,
        "gross": totals.gross.amount,
    }


@invoice_app.command("list")
def invoice_list(
    status: str = typer.Option(None, help="draft, approved, issued or sent."),
    kind: str = typer.Option(None, help="invoice or credit_note."),
    customer: str = typer.Option(None, help="A customer number."),
    search: str = typer.Option(None, help="Part of a document number."),
    limit: int = typer.Option(50, min=1, max=1000),
    as_json: bool = JSON,
) -> None:
    """Documents, newest first."""
    cashtrail = get_app()
    with handled():
        rows = list_invoices(
            cashtrail.uow(), actor(cashtrail), InvoiceFilter(status, kind, customer, search), limit=limit
        )
    emit(
        [vars(r) for r in rows],
        as_json=as_json,
        render=lambda _: table(
            "Invoices",
            ["id", "kind", "status", "number", "customer", "entity", "gross", "issued", "due", "waits for"],
            [
                [
                    r.id,
                    r.kind,
                    r.status,
                    r.number,
                    r.customer_number,
                    r.legal_entity,
                    f"{r.gross} {r.currency}",
                    r.issue_date,
                    r.due_date,
                    r.stopped_reason or (r.approval_reason if r.status == "draft" else ""),
                ]
                for r in rows
            ],
        ),
    )


@invoice_app.command("show")
def invoice_show(ref: str = typer.Argument(..., help="Document id or number."), as_json: bool = JSON) -> None:
    """One document with its lines, VAT breakdown, totals, files and e-mails."""
    cashtrail = get_app()
    with handled():
        detail = invoice_detail(cashtrail.uow(), actor(cashtrail), _id(ref))
    data = document_data(detail.document) | {
        "files": [{"format": f.format, "name": f.file_name, "bytes": f.size} for f in detail.files],
        "messages": [{"to": m.recipient, "status": m.status, "attempts": m.attempts} for m in detail.messages],
    }
    emit(data, as_json=as_json, render=_render_document)


def _render_document(data: dict[str, Any]) -> None:
    title = f"{data['kind']} {data['number'] or '(draft ' + str(data['id']) + ')'} — {data['status']}"
    out.print(f"[bold]{title}[/]  customer {data['customer']}  entity {data['legal_entity']}")
    if data["payment_reference"]:
        out.print(f"issued {data['issue_date']}, due {data['due_date']}, pay with {data['payment_reference']}")
    if data["approval_reason"] and data["status"] == "draft":
        out.print(f"[yellow]needs approval:[/] {data['approval_reason']}")
    table(
        "Lines",
        ["description", "qty", "price", "net", "VAT"],
        [
            [ln["description"], ln["quantity"], ln["unit_price"], ln["net"], f"{ln['vat_category']} {ln['vat_rate']} %"]
            for ln in data["lines"]
        ],
    )
    out.print(f"net {data['net']}  VAT {data['vat']}  [bold]total {data['gross']} {data['currency']}[/]")


@invoice_app.command("prepare")
def invoice_prepare(as_json: bool = JSON) -> None:
    """Draft a document from every bill-run draft not prepared yet (VAT per line, approval rules applied)."""
    cashtrail = get_app()
    with handled():
        result = prepare_invoices(cashtrail.uow(), cashtrail.clock, actor(cashtrail))
    data = {
        "invoices": result.invoices,
        "credit_notes": result.credit_notes,
        "needing_approval": result.needing_approval,
        "ids": result.document_ids,
    }
    emit(
        data,
        as_json=as_json,
        render=lambda d: out.print(
            f"prepared {d['invoices']} invoices and {d['credit_notes']} credit notes; "
            f"{d['needing_approval']} need approval"
        ),
    )


@invoice_app.command("queue")
def invoice_queue(as_json: bool = JSON) -> None:
    """The approval monitor: what waits for approval, since when, why, and who may approve it."""
    cashtrail = get_app()
    with handled():
        waiting = approval_queue(cashtrail.uow(), cashtrail.clock, actor(cashtrail))
    emit(
        [vars(w) | {"gross": w.gross.amount, "currency": w.gross.currency} for w in waiting],
        as_json=as_json,
        render=lambda _: table(
            f"Approval queue ({len(waiting)})",
            ["id", "kind", "customer", "gross", "why", "prepared by", "days", "approvers", "stopped"],
            [
                [
                    w.invoice_id,
                    w.kind,
                    w.customer_number,
                    w.gross,
                    w.reason,
                    w.prepared_by,
                    w.age_days,
                    ", ".join(w.approvers),
                    w.stopped or "",
                ]
                for w in waiting
            ],
        ),
    )


@invoice_app.command("approve")
def invoice_approve(refs: list[str] = typer.Argument(..., help="Document ids or numbers.")) -> None:
    """Approve drafts (not your own)."""
    cashtrail = get_app()
    with handled():
        for ref in refs:
            doc = approve_invoice(cashtrail.uow(), cashtrail.clock, actor(cashtrail), _id(ref))
            out.print(f"approved {doc.kind} {doc.id} of {doc.customer_number}")


@invoice_app.command("stop")
def invoice_stop(
    ref: str = typer.Argument(None, help="A draft's id (or use --customer / --contract)."),
    customer: str = typer.Option(None, help="Stop every draft of this customer until released."),
    contract: str = typer.Option(None, help="Stop every draft of this contract until released."),
    reason: str = typer.Option(..., help="Why (e.g. the salesperson's instruction)."),
) -> None:
    """Stop a draft, or every draft of a customer or contract, from approval and issue."""
    cashtrail = get_app()
    with handled():
        if ref:
            stop_invoice(cashtrail.uow(), cashtrail.clock, actor(cashtrail), _id(ref), reason)
            out.print(f"stopped draft {ref}")
            return
        scope, target = ("customer", customer) if customer else ("contract", contract)
        if not target:
            raise typer.BadParameter("give a draft, --customer or --contract")
        stop_id = stop_invoices_of(cashtrail.uow(), cashtrail.clock, actor(cashtrail), scope, target, reason)
        out.print(f"stop {stop_id}: drafts of {scope} {target} are held")


@invoice_app.command("release")
def invoice_release(
    ref: str = typer.Argument(None, help="A stopped draft's id (or use --stop)."),
    stop: int = typer.Option(None, help="The id of a customer or contract stop."),
    reason: str = typer.Option(..., help="Why the stop is lifted."),
) -> None:
    """Lift a draft's stop, or a customer or contract stop."""
    cashtrail = get_app()
    with handled():
        if stop is not None:
            release_stop(cashtrail.uow(), cashtrail.clock, actor(cashtrail), stop, reason)
        else:
            release_invoice(cashtrail.uow(), cashtrail.clock, actor(cashtrail), _id(ref), reason)
    out.print("released")


@invoice_app.command("stops")
def invoice_stops(as_json: bool = JSON) -> None:
    """Customer and contract stops in force."""
    cashtrail = get_app()
    with handled():
        stops = active_stops(cashtrail.uow(), actor(cashtrail))
    emit(
        stops,
        as_json=as_json,
        render=lambda _: table(
            "Invoice stops",
            ["id", "scope", "target", "reason", "by", "since"],
            [[s["id"], s["scope"], s["target"], s["reason"], s["created_by"], s["created_at"]] for s in stops],
        ),
    )


@invoice_app.command("issue")
def invoice_issue(
    refs: list[str] = typer.Argument(None, help="Document ids (omit with --ready)."),
    ready: bool = typer.Option(False, "--ready", help="Issue every draft that may be issued."),
    on: str = typer.Option(None, "--date", help="Issue date YYYY-MM-DD (default: today in the entity's zone)."),
    as_json: bool = JSON,
) -> None:
    """Issue drafts: gapless number, due date, payment reference, ledger posting."""
    cashtrail = get_app()
    day = date.fromisoformat(on) if on else None
    with handled():
        who = actor(cashtrail)
        if ready:
            result = issue_ready(cashtrail.uow(), cashtrail.clock, who, issue_date=day)
            issued, skipped = result.issued, result.skipped
        else:
            issued = [issue_invoice(cashtrail.uow(), cashtrail.clock, who, _id(r), issue_date=day) for r in refs or []]
            skipped = []
    data = {
        "issued": [{"id": d.id, "number": d.number, "gross": d.totals().gross.amount} for d in issued],
        "waiting": [{"id": i, "why": why} for i, why in skipped],
    }
    emit(data, as_json=as_json, render=_render_issue)


def _render_issue(data: dict[str, Any]) -> None:
    for issued in data["issued"]:
        out.print(f"issued {issued['number']} ({issued['gross']})")
    for waiting in data["waiting"]:
        out.print(f"[yellow]waits[/] {waiting['id']}: {waiting['why']}")


@invoice_app.command("credit")
def invoice_credit(
    number: str = typer.Argument(..., help="The issued invoice's number."),
    reason: str = typer.Option(..., help="Why the invoice is corrected."),
    line: list[int] = typer.Option(None, "--line", help="Credit only these lines (1-based; repeat)."),
    amount: str = typer.Option(None, help="Credit this gross amount, spread over the lines."),
    quantity: list[str] = typer.Option(
        None, "--quantity", help="Credit part of a line: LINE=QUANTITY (1-based line; repeat), e.g. 2=3."
    ),
    as_json: bool = JSON,
) -> None:
    """Draft a credit note for an issued invoice: in full, for some lines, for part of lines, or for an amount."""
    cashtrail = get_app()
    parts = _quantities(quantity) if quantity else None
    with handled():
        original = find_invoice(cashtrail.uow(), actor(cashtrail), number)
        credit = credit_invoice(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            number,
            reason=reason,
            lines=[i - 1 for i in line] if line else None,
            amount=Money(D(amount), original.currency) if amount else None,
            quantities=parts,
        )
    emit(document_data(credit), as_json=as_json, render=_render_document)


def _quantities(options: list[str]) -> dict[int, Decimal]:
    """``["2=3", "4=0.5"]`` → ``{1: Decimal("3"), 3: Decimal("0.5")}`` (0-based line indexes)."""
    parsed = {}
    for option in options:
        position, _, quantity = option.partition("=")
        if not position.strip().isdigit() or int(position) < 1 or not quantity.strip():
            raise typer.BadParameter(f"{option!r}: write LINE=QUANTITY, e.g. 2=3", param_hint="--quantity")
        try:
            parsed[int(position) - 1] = D(quantity.strip())
        except (ValueError, ArithmeticError) as bad:
            raise typer.BadParameter(f"{option!r}: {quantity!r} is not a number", param_hint="--quantity") from bad
    return parsed


@invoice_app.command("export")
def invoice_export(
    ref: str = typer.Argument(..., help="Document id or number."),
    fmt: str = typer.Option("pdf", "--format", help="pdf or ubl."),
    output: Path = typer.Option(None, help="File to write (default: the document's file name)."),
) -> None:
    """Write an issued document's PDF or Peppol UBL file."""
    cashtrail = get_app()
    with handled():
        name, _, content = export_document(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), cashtrail.renderer(), _id(ref), fmt
        )
    target = output or Path(name)
    target.write_bytes(content)
    out.print(f"wrote {target} ({len(content)} bytes)")


@invoice_app.command("render")
def invoice_render(
    workers: int = typer.Option(1, min=1, max=16, help="Processes rendering in parallel (one per core)."),
    limit: int = typer.Option(None, min=1, help="At most this many documents."),
    as_json: bool = JSON,
) -> None:
    """Render and keep the PDF and Peppol UBL of every issued document that lacks them (before sending a batch)."""
    cashtrail = get_app()
    started = time.perf_counter()
    with handled():
        report = render_pending(cashtrail, actor(cashtrail), workers=workers, limit=limit)
    seconds = time.perf_counter() - started
    data = {
        "documents": report.documents,
        "files": report.files,
        "seconds": round(seconds, 2),
        "per_second": round(report.documents / seconds, 1) if report.documents else 0.0,
        "refused": _refusals(report.refused),
    }

    def show(d: dict[str, Any]) -> None:
        out.print(f"rendered {d['documents']} documents ({d['files']} files) in {d['seconds']} s")
        _print_refusals(d["refused"], "refused")

    emit(data, as_json=as_json, render=show)
    if report.refused:
        raise typer.Exit(1)


@invoice_app.command("send")
def invoice_send(
    refs: list[str] = typer.Argument(None, help="Issued document ids or numbers (omit with --issued)."),
    to: str = typer.Option(None, help="Send to this address instead of the billing contact."),
    issued: bool = typer.Option(False, "--issued", help="Every issued document not queued yet."),
    as_json: bool = JSON,
) -> None:
    """Queue the e-mail with PDF and UBL to the customer's billing contact (delivered by `outbox deliver`)."""
    cashtrail = get_app()
    if bool(refs) == issued:
        raise typer.BadParameter("give document ids or numbers, or --issued")
    if issued and to:
        raise typer.BadParameter("--to sends one document elsewhere; it does not go with --issued")
    with handled():
        if not issued:
            for ref in refs:
                message = send_invoice(
                    cashtrail.uow(), cashtrail.clock, actor(cashtrail), cashtrail.renderer(), _id(ref), recipient=to
                )
                out.print(f"queued {message.key} to {message.recipient}")
            return
        batch = send_issued(cashtrail.uow(), cashtrail.clock, actor(cashtrail), cashtrail.renderer())
    data = {
        "queued": [{"key": m.key, "recipient": m.recipient} for m in batch.queued],
        "already_queued": batch.already,
        "refused": _refusals(batch.refused),
    }

    def show(d: dict[str, Any]) -> None:
        out.print(f"queued {len(d['queued'])} e-mails ({d['already_queued']} were queued before)")
        _print_refusals(d["refused"], "not sent")

    emit(data, as_json=as_json, render=show)
    if batch.refused:
        raise typer.Exit(1)


def _refusals(refused: Sequence[tuple[int, str, str | None, str | None]]) -> list[dict[str, Any]]:
    return [{"id": i, "number": n, "code": c, "detail": d} for i, n, c, d in refused]


def _print_refusals(rows: list[dict[str, Any]], label: str) -> None:
    for r in rows:
        out.print(f"[red]{label}[/red] {r['number']} (id {r['id']}): {r['code']}: {r['detail']}")


@invoice_app.command("progress")
def invoice_progress(
    ref: str = typer.Argument(..., help="An issued stage invoice (id or number)."),
    output: Path = typer.Option(None, help="PDF file to write (default PS-<number>.pdf)."),
    as_json: bool = JSON,
) -> None:
    """The progress statement of a project's stage invoice: stages billed so far against the contract value."""
    cashtrail = get_app()
    with handled():
        progress = progress_statement(cashtrail.uow(), actor(cashtrail), _id(ref))
    s = progress.statement
    if as_json:
        emit(
            {
                "number": s.number,
                "contract": s.contract_number,
                "contract_value": s.contract_value,
                "billed_to_date": s.billed_to_date,
                "remaining": s.remaining,
                "percent_complete": s.percent_complete,
                "stages": [
                    {
                        "invoice": st.invoice_number,
                        "date": st.invoice_date,
                        "amount": st.amount,
                        "description": st.description,
                    }
                    for st in (*s.previous, s.current)
                ],
            },
            as_json=True,
            render=lambda _: None,
        )
        return
    target = output or Path(f"{s.number}.pdf")
    target.write_bytes(render_progress_pdf(s, progress.seller, progress.buyer, progress.language))
    out.print(f"wrote {target}: {s.percent_complete} % of {s.contract_value} billed, {s.remaining} remaining")


@outbox_app.command("deliver")
def outbox_deliver(limit: int = typer.Option(100, min=1), as_json: bool = JSON) -> None:
    """Send what is due: by SMTP when CASHTRAIL_SMTP_HOST is set, else as .eml files in CASHTRAIL_OUTBOX_DIR."""
    cashtrail = get_app()
    with handled():
        report = deliver_outbox(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            cashtrail.mail_transport(),
            sender=cashtrail.settings.mail_sender,
            limit=limit,
        )
    data = {
        "sent": len(report.sent),
        "retrying": [(m.key, m.last_error) for m in report.retrying],
        "failed": [(m.key, m.last_error) for m in report.failed],
    }
    emit(
        data,
        as_json=as_json,
        render=lambda d: out.print(f"sent {d['sent']}, retrying {len(d['retrying'])}, failed {len(d['failed'])}"),
    )


@entity_app.command("list")
def entity_list(as_json: bool = JSON) -> None:
    """The legal entities that sell and issue documents."""
    cashtrail = get_app()
    with handled():
        entities = legal_entities(cashtrail.uow(), actor(cashtrail))
    rows = [e.snapshot() for e in entities]
    emit(
        rows,
        as_json=as_json,
        render=lambda _: table(
            "Legal entities",
            ["code", "name", "country", "VAT", "IBAN", "default", "approval above"],
            [[e.code, e.name, e.country, e.vat_number, e.iban, e.is_default, e.approval_threshold] for e in entities],
        ),
    )
