"""``cashtrail import KIND FILE``: check a CSV or XLSX file as a whole and import it all-or-nothing.

Exit codes follow ``cli.context``: 0 imported (or nothing to change), 2 the file has problems (every one is
printed as ``file:row: column: reason`` and nothing is written), 5 the user may not import.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cashtrail.cli.context import actor, emit, err, get_app, handled, out, table, to_jsonable
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.files.tabular import read_table
from cashtrail.imports.services import KINDS, ImportReport, run_import


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)


def import_file(
    kind: str = typer.Argument(..., help=f"What the file holds: statement, {', '.join(KINDS)}.", metavar="KIND"),
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="A .csv or .xlsx file (a bank statement: camt.053/054, MT940/MT942, BAI2 or CSV).",
        metavar="FILE",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and report; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report (or the problems) as JSON."),
) -> None:
    """Import a CSV or XLSX file of one kind (customers, products, price lists, meter reads …; see docs/formats.md),
    or a bank statement (``import statement FILE``)."""
    if kind == "statement":
        from cashtrail.cli.cashapp import import_statement

        import_statement(file, dry_run=dry_run, as_json=as_json)
        return
    cashtrail = get_app()
    with handled():
        tabular, errors = read_table(file)
        try:
            if tabular is None:
                detail = f"{file.name} cannot be read; nothing was imported"
                raise ValidationFailed(detail, code="import.unreadable", errors=errors, source=file.name)
            report = run_import(
                cashtrail.uow(),
                cashtrail.clock,
                actor(cashtrail),
                kind,
                tabular.name,
                tabular.header,
                tabular.rows,
                dry_run=dry_run,
            )
        except ValidationFailed as exc:
            _print_problems(exc, as_json=as_json)
            raise typer.Exit(2) from None
    emit(report.as_dict(), as_json=as_json, render=lambda _: _render(report))


def problem_line(error: FieldError) -> str:
    """One problem as ``file:row: column: reason (got 'value')``."""
    where = ":".join(str(part) for part in (error.source, error.row) if part not in (None, ""))
    shown = f" (got {str(error.value)!r})" if error.value not in (None, "") else ""
    return f"{where}: {error.field}: {error.message}{shown}" if where else f"{error.field}: {error.message}{shown}"


def _print_problems(exc: ValidationFailed, *, as_json: bool) -> None:
    """Every problem on stderr (never cut short: the user fixes the file from this list); JSON on stdout too."""
    if as_json:
        typer.echo(json.dumps(to_jsonable(exc.as_dict()), indent=2, ensure_ascii=False))
    err.print(f"[bold red]error[/] [dim]{exc.code}[/]: {exc.detail}", highlight=False)
    for error in exc.errors:
        err.print(problem_line(error), highlight=False, markup=False, soft_wrap=True)


def _render(report: ImportReport) -> None:
    title = f"{'Dry run of ' if report.dry_run else 'Imported '}{report.kind} from {report.source_name}"
    verbs = ("would create", "would update") if report.dry_run else ("created", "updated")
    table(
        title,
        ["rows", verbs[0], verbs[1], "unchanged"],
        [[report.rows, report.created, report.updated, report.unchanged]],
    )
    if report.dry_run:
        out.print("Dry run: nothing was written.")
    elif not (report.created or report.updated):
        out.print("Nothing to change: every row matches its last import.")
