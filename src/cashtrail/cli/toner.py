"""Toner reconciliation commands: run, board, findings, moves, finding decisions, voids, exports and trends."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from cashtrail.api.schemas.common import money_text, pages_text
from cashtrail.cli.context import actor, emit, err, get_app, handled, out, table
from cashtrail.files.toner_trend import trend_html, trend_png
from cashtrail.files.toner_xlsx import country_file
from cashtrail.jobs.toner_run import default_workers, run_parallel
from cashtrail.toner.bill_run_report import report_from_bill_runs
from cashtrail.toner.board_services import decide_finding, mark_invoiced, move_record
from cashtrail.toner.catalog_services import correct_part
from cashtrail.toner.country_data import country_data
from cashtrail.toner.queries import BoardFilter, FindingFilter, board, findings_list, trend
from cashtrail.toner.records import ReconciliationRecord
from cashtrail.toner.run_services import run_reconciliation
from cashtrail.toner.shipment_services import VoidResult, void_shipments

toner_app = typer.Typer(help="MPS toner reconciliation (TREC).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(toner_app, name="toner")


def _card(r: ReconciliationRecord) -> dict[str, object]:
    return {
        "agreement": r.agreement,
        "period": r.period_label,
        "country": r.country,
        "status": r.status.value,
        "owner": r.owner,
        "due_on": r.due_on,
        "total_charge": None if r.total_charge is None else money_text(r.total_charge, r.currency),
        "currency": r.currency,
        "errors_open": r.errors_open,
        "warnings_open": r.warnings_open,
    }


@toner_app.command("run")
def run(
    period: str = typer.Option(..., help="Span to reconcile: YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM."),
    agreement: list[str] = typer.Option(None, help="Only these agreements (repeat the option)."),
    from_bill_runs: bool = typer.Option(
        False, "--from-bill-runs", help="First rebuild the billing report from our own bill runs."
    ),
    workers: int = typer.Option(
        0, min=0, max=16, help="Processes, each reconciling a shard of the agreements (0: one per core, at most 8)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reconcile every agreement's toner periods inside PERIOD and put the results on the huddle board."""
    cashtrail = get_app()
    who = actor(cashtrail)
    # No refresh thread (a static line instead of a spinner): with no other thread running, run_parallel can fork
    # its workers instead of spawning them, which saves each worker a second import of Cashtrail.
    with handled(), Progress(console=err, transient=True, auto_refresh=False) as progress:
        progress.add_task(f"Reconciling {period}", total=None)
        if from_bill_runs:
            report_from_bill_runs(cashtrail.uow(), cashtrail.clock, who, period)
        invoiced = mark_invoiced(cashtrail.uow(), cashtrail.clock, who)
        if not agreement:
            summary = run_parallel(cashtrail, who, period, workers or default_workers())
        else:
            summary = run_reconciliation(cashtrail.uow(), cashtrail.clock, who, period, agreements=agreement or None)
    data = {**summary.as_dict(), "invoiced": invoiced}
    emit(
        data,
        as_json=as_json,
        render=lambda _: table(
            f"Toner reconciliation {summary.span}",
            ["records", "statuses", "findings", "charges", "left alone"],
            [
                [
                    summary.records,
                    ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items())),
                    ", ".join(f"{k} {v}" for k, v in sorted(summary.findings.items())),
                    ", ".join(f"{v} {k}" for k, v in sorted(summary.charges.items())),
                    len(summary.skipped),
                ]
            ],
        ),
    )


@toner_app.command("board")
def show_board(
    period: str = typer.Option("", help="Only records inside this span."),
    status: str = typer.Option("", help="Only this status."),
    country: str = typer.Option("", help="Only this country (ISO code)."),
    owner: str = typer.Option("", help="Only this owner."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The huddle board: one card per agreement and period."""
    cashtrail = get_app()
    with handled():
        cards = [
            _card(r) for r in board(cashtrail.uow(), actor(cashtrail), BoardFilter(period, status, country, owner))
        ]
    columns = ["agreement", "period", "country", "status", "owner", "due_on", "total_charge", "errors_open"]
    emit(cards, as_json=as_json, render=lambda d: table("Toner board", columns, [[c[k] for k in columns] for c in d]))


@toner_app.command("findings")
def findings(
    period: str = typer.Option("", help="Only records inside this span."),
    code: str = typer.Option("", help="Only this finding code (e.g. mapping_error)."),
    state: str = typer.Option("open", help="open, accepted or resolved; blank for all."),
    agreement: str = typer.Option("", help="Only this agreement."),
    country: str = typer.Option("", help="Only agreements of this country (ISO code)."),
    owner: str = typer.Option("", help="Only reconciliations of this owner."),
    severity: str = typer.Option("", help="error or warning; blank for both."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Findings with severity, rows and suggested fix; an unknown code, severity or state is refused."""
    cashtrail = get_app()
    wanted = FindingFilter(period, code, state, agreement, country, owner, severity)
    with handled():
        found = findings_list(cashtrail.uow(), actor(cashtrail), wanted)
    rows = [
        {
            "id": f.id,
            "agreement": r.agreement,
            "period": r.period_label,
            "code": f.code,
            "severity": f.severity,
            "state": f.state.value,
            "serial": f.serial,
            "message": f.message,
            "rows": f.rows,
            "suggested_fix": f.suggested_fix,
        }
        for r, f in found
    ]
    columns = ["id", "agreement", "period", "code", "severity", "message", "suggested_fix"]
    emit(rows, as_json=as_json, render=lambda d: table("Toner findings", columns, [[x[k] for k in columns] for x in d]))


@toner_app.command("move")
def move(
    agreement: str = typer.Argument(..., help="Agreement (contract number)."),
    period: str = typer.Argument(..., help="Period label, e.g. 2026-Q1."),
    status: str = typer.Argument(..., help="Target status, e.g. under_review, approved, no_charge."),
    reason: str = typer.Option(..., help="Why (kept in the audit trail)."),
) -> None:
    """Move a card on the board (audited); approval queues the excess charges for the next bill run."""
    cashtrail = get_app()
    with handled():
        record = move_record(cashtrail.uow(), cashtrail.clock, actor(cashtrail), agreement, period, status, reason)
    out.print(f"{record.key} is now {record.status.value}")


@toner_app.command("decide")
def decide(
    finding_id: int = typer.Argument(..., help="Finding id (see `toner findings`)."),
    state: str = typer.Argument(..., help="accepted or open."),
    note: str = typer.Option(..., help="Why (kept on the finding and in the audit trail)."),
) -> None:
    """Accept a finding (it stops blocking approval) or reopen it."""
    cashtrail = get_app()
    with handled():
        finding = decide_finding(cashtrail.uow(), cashtrail.clock, actor(cashtrail), finding_id, state, note)
    out.print(f"finding {finding.id} is now {finding.state.value}")


@toner_app.command("correct-part")
def correct_part_command(
    part_number: str = typer.Argument(..., help="Cartridge part number."),
    colour: str = typer.Option(None, help="The right colour: black, cyan, magenta or yellow."),
    rated_yield: int = typer.Option(None, "--yield", help="The right rated yield in pages (ISO/IEC 19752/19798)."),
    reason: str = typer.Option(..., help="Why the catalog was wrong (kept in the audit trail)."),
) -> None:
    """Correct a part's colour or rated yield on all its cost rows (the catalog import refuses a changed one)."""
    cashtrail = get_app()
    with handled():
        rows = correct_part(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), part_number,
            colour=colour, rated_yield=rated_yield, reason=reason,
        )  # fmt: skip
    first = rows[0]
    out.print(f"part {part_number} is {first.colour.value} with yield {first.rated_yield} ({len(rows)} cost row(s))")
    out.print("Run the affected periods again (`toner run`); cards under review or later go to data pending first.")


@toner_app.command("void")
def void(
    upload_id: str = typer.Argument(..., help="Upload the lines belong to (the `upload` column or the file's name)."),
    line: list[str] = typer.Option(
        None, "--line", help="SHIPMENT_ID:LINE to void (repeat the option); none voids the whole upload."
    ),
    reason: str = typer.Option(..., help="Why (kept on the lines and in the audit trail)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Void shipment lines (a duplicate, a wrong file): kept, but no longer counted by reconciliation runs."""
    cashtrail = get_app()
    wanted = [_shipment_line(option) for option in line] if line else None
    with handled():
        result = void_shipments(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), upload_id=upload_id, shipment_ids=wanted, reason=reason
        )
    data = {
        "upload_id": result.upload_id,
        "voided": result.count,
        "lines": list(result.voided),
        "already_voided": list(result.already_voided),
        "records_to_rerun": list(result.records_to_rerun),
        "records_to_move_back": list(result.frozen_records),
    }
    emit(data, as_json=as_json, render=lambda _: _render_void(result))


def _shipment_line(option: str) -> tuple[str, int]:
    """``"SH-1:2"`` → ``("SH-1", 2)`` (the last colon splits, so shipment ids may contain colons)."""
    shipment, _, number = option.rpartition(":")
    if not shipment.strip() or not number.strip().isdigit() or int(number) < 1:
        raise typer.BadParameter(f"{option!r}: write SHIPMENT_ID:LINE, e.g. SH-1:1", param_hint="--line")
    return shipment.strip(), int(number)


def _render_void(result: VoidResult) -> None:
    out.print(f"voided {result.count} line(s) of upload {result.upload_id}", highlight=False)
    if result.already_voided:
        out.print(f"{len(result.already_voided)} line(s) were voided before and are left as they are")
    if result.count:
        out.print(
            "Run the reconciliation again for the periods of these lines; a run leaves records under review or later"
            " alone: move those back to data pending first (`cashtrail toner move AGREEMENT PERIOD data_pending`)."
        )
    for key in result.frozen_records:
        out.print(
            f"{key} used a voided line and is under review or later: move it back to data pending and run again.",
            highlight=False,
        )


@toner_app.command("export")
def export(
    country: str = typer.Option(..., help="Country (ISO code)."),
    period: str = typer.Option(..., help="Span, e.g. 2026-Q1."),
    output: Path = typer.Option(None, "--out", help="File to write; default toner-COUNTRY-PERIOD.xlsx."),
) -> None:
    """The country file: summary, details, findings, shipment and billing rows sheets in one XLSX."""
    cashtrail = get_app()
    who = actor(cashtrail)
    with handled():
        data = country_data(cashtrail.uow(), who, country, period)
    target = output or Path(f"toner-{country.upper()}-{period}.xlsx")
    target.write_bytes(country_file(country.upper(), period, data, made_on=cashtrail.clock.now().date()))
    out.print(f"wrote {target} ({len(data.records)} agreements)")


@toner_app.command("trend")
def trend_export(
    by: str = typer.Option("country", help="country or agreement."),
    value: str = typer.Option(..., help="The country code or agreement number."),
    png: Path = typer.Option(None, help="Write the chart as PNG here."),
    html: Path = typer.Option(None, help="Write a standalone HTML page here."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Expected vs shipped, excess, charge and coverage over periods; optional PNG and HTML files.

    One row per period (a quarter and a half-year are separate rows). Yield pages are rounded half-up to two
    decimals without trailing zeros; the charge has the currency's minor units.
    """
    cashtrail = get_app()
    with handled():
        points = trend(cashtrail.uow(), actor(cashtrail), by=by, value=value)
    title = f"Toner trend {by} {value}"
    if png:
        png.write_bytes(trend_png(title, points))
    if html:
        html.write_text(trend_html(title, points), encoding="utf-8")
    data = [
        {
            "period": p.period,
            "group": p.group,
            "expected": pages_text(p.expected),
            "shipped": p.shipped,
            "excess": pages_text(p.excess),
            "charge": money_text(p.charge, p.currency),
            "currency": p.currency,
            "coverage_black": p.coverage_black,
        }
        for p in points
    ]
    columns = ["period", "group", "expected", "shipped", "excess", "charge", "currency", "coverage_black"]
    emit(data, as_json=as_json, render=lambda d: table(title, columns, [[x[k] for k in columns] for x in d]))
