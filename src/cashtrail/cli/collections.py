"""Collections commands: ``dunning run`` (with ``--preview``) and reference rates, ``report <metric>`` as of a
date, the collector's worklist and daily checks (promises, credit holds, credited disputes), disputes, the case
import from .eml files or an IMAP mailbox, and write-offs."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import typer

from cashtrail.analytics.queries import METRICS, Scope, refresh_read_model, report
from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.disputes.case_services import import_messages
from cashtrail.disputes.model import Department, Reason, Resolution
from cashtrail.disputes.services import close_credited_disputes, list_disputes, open_dispute, resolve_dispute
from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.holds import evaluate_holds
from cashtrail.dunning.run_services import DunningRunResult, run_dunning
from cashtrail.dunning.setup_services import set_reference_rate
from cashtrail.dunning.work_services import check_promises, collector_worklist
from cashtrail.dunning.write_off_services import decide_write_off, prepare_write_off
from cashtrail.errors import ValidationFailed
from cashtrail.files.mailbox import Mailbox, fetch_imap, read_eml_files
from cashtrail.money import Money

dunning_app = typer.Typer(help="Dunning runs and reference rates.", no_args_is_help=True)
collections_app = typer.Typer(help="Worklists and the daily collections checks.", no_args_is_help=True)
dispute_app = typer.Typer(help="Disputes on invoices.", no_args_is_help=True)
cases_app = typer.Typer(help="Customer cases (e-mail import).", no_args_is_help=True)
write_off_app = typer.Typer(help="Bad-debt write-offs (prepare, approve or reject).", no_args_is_help=True)

AS_OF = typer.Option(..., "--as-of", help="Business date, YYYY-MM-DD.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(dunning_app, name="dunning")
    app.command("report")(report_command)
    app.add_typer(collections_app, name="collections")
    app.add_typer(dispute_app, name="dispute")
    app.add_typer(cases_app, name="cases")
    app.add_typer(write_off_app, name="write-off")


def as_date(value: str) -> date:
    """A YYYY-MM-DD option as a date, or a clear error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"not a date: {value!r} (YYYY-MM-DD)", code="cli.bad_date") from None


def as_amount(value: str) -> Decimal:
    """An amount option as a Decimal, or a clear error."""
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(f"not an amount: {value!r}", code="cli.bad_amount") from None


@dunning_app.command("run")
def dunning_run(
    as_of: str = AS_OF,
    preview: bool = typer.Option(False, "--preview", help="Show the letters that would go out; write nothing."),
    as_json: bool = JSON,
) -> None:
    """Dun every customer as of a date (idempotent per date): letters in the customer's language, e-mails queued."""
    app = get_app()
    with handled():
        day = as_date(as_of)
        who = actor(app)
        if not preview:
            close_credited_disputes(app.uow(), app.clock, who, on=day)
        renderer = None if preview else WeasyLetterRenderer()
        result = run_dunning(app.uow(), app.clock, who, day, preview=preview, renderer=renderer)
    emit(result.as_dict(), as_json=as_json, render=lambda _: _render_run(result))


def _render_run(result: DunningRunResult) -> None:
    if result.already_run:
        out.print(f"Dunning of {result.as_of} was already run; nothing new was sent.")
        return
    table(
        f"{'Preview of dunning' if result.preview else 'Dunning'} as of {result.as_of}",
        ["customer", "level", "language", "items", "total", "fee", "interest", "compensation"],
        [
            [
                letter.customer_number,
                f"{letter.level_number} {letter.level_name}",
                letter.language,
                len(letter.lines),
                letter.total,
                letter.fee,
                letter.interest,
                letter.compensation,
            ]
            for letter in result.letters
        ],
    )
    held = ", ".join(f"{k} {v}" for k, v in sorted(result.held.items())) or "none"
    out.print(f"{len(result.letters)} letter(s). Items held back: {held}.")


@dunning_app.command("rate")
def dunning_rate(
    half_year: str = typer.Option(..., "--half-year", help="1 January or 1 July, YYYY-MM-DD."),
    rate: str = typer.Option(..., "--rate", help="The central bank's reference rate in percent, e.g. 2.15."),
) -> None:
    """Record the reference rate of a half-year (statutory interest = reference rate + 8 points)."""
    app = get_app()
    with handled():
        set_reference_rate(app.uow(), app.clock, actor(app), as_date(half_year), as_amount(rate))
    out.print(f"Reference rate {rate} % recorded for the half-year starting {half_year}.")


def report_command(
    metric: str = typer.Argument(..., help=f"One of: {', '.join(METRICS)}."),
    as_of: str = AS_OF,
    days: int = typer.Option(90, "--days", help="Days of the period ending on the as-of date."),
    collector: str = typer.Option("", "--collector", help="Only this collector's portfolio."),
    country: str = typer.Option("", "--country", help="Only customers of this country."),
    customer: str = typer.Option("", "--customer", help="Only this customer."),
    as_json: bool = JSON,
) -> None:
    """An AR metric as of a date (per currency), from the ledger as it stood at the end of that day."""
    app = get_app()
    with handled():
        refresh_read_model(app.uow())
        scope = Scope(collector or None, country or None, customer or None)
        data = report(app.uow(), actor(app), metric, as_date(as_of), days=days, scope=scope)
    emit(data, as_json=as_json, render=_render_report)


def _render_report(data: dict[str, Any]) -> None:
    values = data["values"]
    title = f"{data['metric']} as of {data['as_of']} ({data['days']} days)"
    if isinstance(values, dict) and values and all(isinstance(v, dict) for v in values.values()):
        first = next(iter(values.values()))
        keys = list(first.get("lines", first)) if "lines" in first else list(first)
        total = ["total"] if "total" in first else []
        rows = [
            [c, *[(v.get("lines", v)).get(k, "") for k in keys], *[v["total"] for _ in total]]
            for c, v in values.items()
        ]
        table(title, ["currency", *keys, *total], rows)
    elif isinstance(values, dict):
        table(title, ["currency", "value"], [[c, v if v is not None else "n/a"] for c, v in values.items()])
    else:
        out.print(f"{title}: {values if values is not None else 'n/a'}")


@collections_app.command("worklist")
def worklist_command(
    as_of: str = AS_OF,
    collector: str = typer.Option("", "--collector", help="Only this collector's accounts."),
    as_json: bool = JSON,
) -> None:
    """Accounts to work today, highest priority score first (see docs/collections.md)."""
    app = get_app()
    with handled():
        entries = collector_worklist(app.uow(), actor(app), collector or None, as_date(as_of))
    rows = [
        {
            "customer": e.facts.customer_number,
            "score": e.score,
            "overdue": e.facts.overdue,
            "broken_promises": e.facts.broken_promises,
            "promise_pending": e.facts.promise_pending,
            "risk": e.facts.risk,
            "disputes_past_sla": e.facts.disputes_past_sla,
        }
        for e in entries
    ]
    emit(
        rows,
        as_json=as_json,
        render=lambda r: table("Worklist", list(r[0]) if r else ["customer"], [list(x.values()) for x in r]),
    )


@collections_app.command("check")
def check_command(as_of: str = AS_OF, as_json: bool = JSON) -> None:
    """The daily checks: promises kept or broken, credit holds placed or released, credited disputes closed."""
    app = get_app()
    with handled():
        day, who = as_date(as_of), actor(app)
        data = {
            "promises": check_promises(app.uow(), app.clock, who, day),
            "holds": evaluate_holds(app.uow(), app.clock, who, day),
            "disputes_closed": close_credited_disputes(app.uow(), app.clock, who, on=day),
        }
    emit(data, as_json=as_json, render=lambda d: out.print(d))


@dispute_app.command("open")
def dispute_open(
    invoice: str = typer.Argument(..., help="The invoice number."),
    reason: Reason = typer.Option(..., "--reason"),
    department: Department = typer.Option(..., "--department"),
    on: str = typer.Option(..., "--on", help="Date opened, YYYY-MM-DD."),
    amount: str = typer.Option("", "--amount", help="Disputed amount (default: the line or the whole invoice)."),
    line: int | None = typer.Option(None, "--line", help="0-based line of the invoice."),
    description: str = typer.Option("", "--description"),
) -> None:
    """Open a dispute on an invoice or one of its lines; its amount leaves dunning until resolved."""
    app = get_app()
    with handled():
        who = actor(app)
        money = None
        if amount:
            with app.uow() as uow:
                doc = uow.invoices.get_by_number(invoice)
            money = Money(as_amount(amount), doc.currency if doc else "EUR")
        dispute = open_dispute(
            app.uow(),
            app.clock,
            who,
            invoice,
            reason,
            department,
            on=as_date(on),
            amount=money,
            line_number=line,
            description=description,
        )
    out.print(f"Dispute {dispute.id} opened on {invoice} for {dispute.amount}; SLA {dispute.sla_due_on}.")


@dispute_app.command("resolve")
def dispute_resolve(
    dispute_id: int = typer.Argument(...),
    resolution: Resolution = typer.Option(..., "--resolution"),
    on: str = typer.Option(..., "--on"),
    note: str = typer.Option("", "--note"),
) -> None:
    """Resolve a dispute; a credit-note resolution drafts the credit note (the dispute closes once it is issued)."""
    app = get_app()
    with handled():
        dispute = resolve_dispute(app.uow(), app.clock, actor(app), dispute_id, resolution, on=as_date(on), note=note)
    extra = f"; credit note draft {dispute.credit_note_id}" if dispute.credit_note_id else ""
    out.print(f"Dispute {dispute.id} is {dispute.state}{extra}.")


@dispute_app.command("list")
def dispute_list(state: str = typer.Option("", "--state"), as_json: bool = JSON) -> None:
    app = get_app()
    with handled():
        disputes = list_disputes(app.uow(), actor(app), state=state or None)
    rows = [
        [d.id, d.customer_number, d.invoice_number, d.reason, d.department, str(d.amount), d.state, d.sla_due_on]
        for d in disputes
    ]
    columns = ["id", "customer", "invoice", "reason", "department", "amount", "state", "sla"]
    emit(
        [dict(zip(columns, r, strict=True)) for r in rows],
        as_json=as_json,
        render=lambda _: table("Disputes", columns, rows),
    )


@cases_app.command("import")
def cases_import(
    files: list[Path] = typer.Argument(None, help=".eml files or folders of them."),
    imap_host: str = typer.Option("", "--imap-host", help="Fetch from this IMAP server instead of files."),
    imap_port: int = typer.Option(993, "--imap-port"),
    imap_user: str = typer.Option("", "--imap-user"),
    imap_folder: str = typer.Option("INBOX", "--imap-folder"),
    no_ssl: bool = typer.Option(False, "--no-ssl", help="Plain IMAP (a server on this machine only)."),
    as_json: bool = JSON,
) -> None:
    """Open a case per new e-mail (imported once by Message-ID); IMAP password: CASHTRAIL_IMAP_PASSWORD."""
    app = get_app()
    with handled():
        if imap_host:
            box = Mailbox(
                imap_host, imap_port, imap_user, os.environ.get("CASHTRAIL_IMAP_PASSWORD", ""), imap_folder, not no_ssl
            )
            messages = fetch_imap(box)
        else:
            messages = read_eml_files(list(files or []))
        result = import_messages(app.uow(), app.clock, actor(app), messages)
    emit(
        result.as_dict(),
        as_json=as_json,
        render=lambda _: out.print(f"{len(result.created)} case(s) opened, {len(result.skipped)} already imported."),
    )


@write_off_app.command("prepare")
def write_off_prepare(item_id: int = typer.Argument(...), reason: str = typer.Option(..., "--reason")) -> None:
    app = get_app()
    with handled():
        write_off = prepare_write_off(app.uow(), app.clock, actor(app), item_id, reason)
    out.print(f"Write-off {write_off.id} of {write_off.amount} prepared; it needs another person's approval.")


@write_off_app.command("decide")
def write_off_decide(
    write_off_id: int = typer.Argument(...),
    approve: bool = typer.Option(..., "--approve/--reject"),
    on: str = typer.Option(..., "--on"),
) -> None:
    app = get_app()
    with handled():
        write_off = decide_write_off(app.uow(), app.clock, actor(app), write_off_id, approve=approve, on=as_date(on))
    out.print(f"Write-off {write_off.id} {write_off.status}.")
