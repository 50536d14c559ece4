"""``cashtrail demo``: build the demo company, show what was built and how to sign in, then serve the workbench."""

from __future__ import annotations

import time

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from cashtrail.bootstrap import App
from cashtrail.cli.context import get_app, handled, out, table
from cashtrail.cli.serve import serve
from cashtrail.demo.context import DEFAULT_CUSTOMERS, DEFAULT_SEED, Chapter, DemoContext
from cashtrail.demo.database import prepare_database
from cashtrail.demo.runner import build_demo, summarize
from cashtrail.demo.users import DEMO_USERS


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


class RichReporter:
    """Draws one progress line per chapter."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def started(self, chapter: Chapter) -> None:
        """Open the chapter's progress line."""
        self.task = self.progress.add_task(chapter.title, total=None)

    def progressed(self, done: int, total: int) -> None:
        """Move the current line to ``done`` of ``total``."""
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total)

    def finished(self, chapter: Chapter) -> None:
        """Mark the current line complete (chapters that never reported progress count as one step)."""
        if self.task is not None:
            total = self.progress.tasks[self.task].total or 1
            self.progress.update(self.task, completed=total, total=total)


def demo(
    seed: int = typer.Option(DEFAULT_SEED, help="Random seed: the same seed builds the same company."),
    customers: int = typer.Option(DEFAULT_CUSTOMERS, min=1, max=100_000, help="How many customers to create."),
    reset: bool | None = typer.Option(
        None,
        "--reset/--no-reset",
        help="Delete the database first, or never. Default: rebuild a SQLite database an earlier demo made, "
        "keep any other database as it is, refuse one holding other data.",
    ),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve the workbench once the demo is built."),
    host: str = typer.Option(None, help="Bind address (default CASHTRAIL_HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CASHTRAIL_PORT or 8000)."),
) -> None:
    """Build a realistic demo company (customers, products, price lists, users) and serve the workbench."""
    cashtrail = get_app()
    started = time.perf_counter()
    with handled():
        for line in prepare_database(cashtrail, reset):
            out.print(line, highlight=False)
        ctx = _build(cashtrail, seed, customers)
    out.print(f"Demo company built in {time.perf_counter() - started:.1f} s (seed {seed}).", highlight=False)
    _print_summary(cashtrail, ctx)
    if serve_after:
        serve(host=host, port=port)


def _build(cashtrail: App, seed: int, customers: int) -> DemoContext:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out) as progress:
        return build_demo(cashtrail, seed=seed, customers=customers, reporter=RichReporter(progress))


def _print_summary(cashtrail: App, ctx: DemoContext) -> None:
    table("Demo company", ["what", "rows", "breakdown"], [list(line) for line in summarize(cashtrail)])
    portfolios = {user.username: ", ".join(user.countries) for user in DEMO_USERS}
    names = {user.username: user.full_name for user in DEMO_USERS}
    rows = [
        [username, names.get(username, ""), role, portfolios.get(username, "")] for username, role in ctx.users.items()
    ]
    table("Sign in as", ["username", "name", "role", "collects in"], rows)
    out.print(f"Every demo user's password is [bold]{ctx.password}[/bold]", highlight=False)
