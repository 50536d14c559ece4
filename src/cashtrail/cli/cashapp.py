"""``cashtrail import statement FILE`` (alias ``import-statement``): import a bank statement file (camt.053/054,
MT940/MT942, BAI2, Cashtrail CSV).

Exit codes follow ``cli.context``: 0 imported (or nothing new), 2 the file has problems or does not continue what is
stored (every problem is printed and nothing is written), 5 the user may not import bank statements.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import typer

from cashtrail.cashapp.services import StatementImportReport, import_statements
from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.cli.imports import _print_problems
from cashtrail.errors import ValidationFailed
from cashtrail.files.statements import detect_and_parse


def register(app: typer.Typer) -> None:
    app.command("import-statement", help="Alias of `cashtrail import statement FILE`.")(import_statement)


def import_statement(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="A camt.053/054, MT940/MT942, BAI2 or Cashtrail CSV statement file.",
        metavar="FILE",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file against what is stored; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report (or the problems) as JSON."),
) -> None:
    """Import a bank statement file; a re-import adds nothing and overlapping statements add only new entries."""
    cashtrail = get_app()
    data = file.read_bytes()
    with handled():
        statements, findings = detect_and_parse(data, file.name)
        try:
            report = import_statements(
                cashtrail.uow(),
                cashtrail.clock,
                actor(cashtrail),
                statements,
                file.name,
                hashlib.sha256(data).hexdigest(),
                findings=findings,
                dry_run=dry_run,
            )
        except ValidationFailed as exc:
            _print_problems(exc, as_json=as_json)
            raise typer.Exit(2) from None
    emit(report.as_dict(), as_json=as_json, render=lambda _: _render(report))


def _render(report: StatementImportReport) -> None:
    verb = "Dry run of" if report.dry_run else "Imported"
    table(
        f"{verb} {report.source_name}",
        ["account", "statement", "format", "outcome", "entries created", "entries skipped"],
        [
            [s.account, s.statement_id, s.format, s.outcome.value, s.entries_created, s.entries_skipped]
            for s in report.statements
        ],
    )
    if report.dry_run:
        out.print("Dry run: nothing was written.")
    elif not report.entries_created():
        out.print("Nothing new: every statement and entry was already imported.")
