"""Job commands: ``cashtrail worker`` (PostgreSQL queue workers) and ``cashtrail job run|status|list``.

On SQLite, jobs run in-process inside ``cashtrail job run``; there is no queue, so ``cashtrail worker`` refuses to
start (exit 2). On PostgreSQL, ``job run`` queues the shards in one transaction and returns (``--wait`` follows
them until they finish); any number of ``cashtrail worker`` processes, on any machines, execute them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cashtrail.cli.context import emit, err, get_app, handled, out, table
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.jobs import RunSummary, ShardOutcome, runner_for, runtime_for
from cashtrail.jobs import ledger as job_ledger
from cashtrail.jobs.queue import WorkerOptions, serve

job_app = typer.Typer(help="Batch jobs split into idempotent shards (run, status, list).", no_args_is_help=True)

EXIT_SHARDS_FAILED = 6
EXIT_TIMEOUT = 7


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(job_app, name="job")


def worker(
    concurrency: int = typer.Option(1, min=1, help="Shards this process runs at the same time."),
    wait: bool = typer.Option(True, "--wait/--once", help="Keep listening, or stop when the queue is empty."),
    queue: list[str] = typer.Option([], "--queue", help="Only these queues (repeatable); default: all."),
    heartbeat: float = typer.Option(10.0, help="Seconds between this worker's heartbeats."),
    stalled_after: float = typer.Option(30.0, help="Seconds without heartbeat after which a worker is dead."),
    reap_every: float = typer.Option(10.0, help="Seconds between passes requeueing dead workers' shards."),
    poll: float = typer.Option(5.0, help="Seconds between queue polls (LISTEN/NOTIFY wakes it sooner)."),
    log_level: str = typer.Option("INFO", help="Logging level."),
) -> None:
    """Run a queue worker executing job shards (PostgreSQL). Stop it with Ctrl-C or SIGTERM (graceful)."""
    cashtrail = get_app()
    if not cashtrail.settings.is_postgres:
        err.print(
            "[bold red]error[/] [dim]job.no_queue[/]: this database is SQLite, which has no job queue: jobs run "
            "in-process inside `cashtrail job run`. Workers need CASHTRAIL_DATABASE_URL=postgresql://…",
            highlight=False,
        )
        raise typer.Exit(2)
    if stalled_after <= 2 * heartbeat:
        err.print("[bold red]error[/]: --stalled-after must exceed twice --heartbeat, or live workers look dead")
        raise typer.Exit(2)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = WorkerOptions(
        queues=tuple(queue),
        concurrency=concurrency,
        wait=wait,
        poll=poll,
        heartbeat=heartbeat,
        stalled_after=stalled_after,
        reap_every=reap_every,
    )
    with handled():
        asyncio.run(serve(runtime_for(cashtrail), cashtrail.settings.database_url, options))


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{value!r} is not a date (YYYY-MM-DD)", errors=[FieldError("date", "expected YYYY-MM-DD", value=value)]
        ) from None


@job_app.command("run")
def job_run(
    name: str = typer.Argument(..., help="Job name, e.g. audit.daily_digest (see `cashtrail job list`)."),
    on: str = typer.Option(..., "--date", help="Business date, YYYY-MM-DD."),
    shard: list[str] = typer.Option([], "--shard", help="Only these shards (repeatable); default: the planner's."),
    in_process: bool = typer.Option(False, "--in-process", help="Run here even on PostgreSQL."),
    follow: bool = typer.Option(False, "--wait", help="On the queue: wait until every shard is done or failed."),
    timeout: float = typer.Option(3600.0, help="Seconds --wait waits at most."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run (SQLite) or queue (PostgreSQL) a job for a business date; done shards are never run again."""
    cashtrail = get_app()
    with handled():
        business_date = _parse_date(on)
        runner = runner_for(cashtrail, in_process=in_process)
        with _progress(enabled=not as_json and runner.mode == "in-process") as report:
            summary = runner.submit(name, business_date, shard or None, progress=report)
        if follow and summary.mode == "queue":
            summary.states = _follow(name, business_date, timeout=timeout, quiet=as_json)
    emit(summary.as_dict(), as_json=as_json, render=lambda _: _render_summary(summary))
    if summary.failures or summary.states.get("failed"):
        raise typer.Exit(EXIT_SHARDS_FAILED)
    if follow and summary.mode == "queue" and _unfinished(summary.states):
        raise typer.Exit(EXIT_TIMEOUT)


class _progress:
    """A Rich progress bar fed by the runner's progress callback (a no-op when disabled)."""

    def __init__(self, *, enabled: bool) -> None:
        self.bar = Progress(
            TextColumn("shards"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
        )
        self.enabled = enabled
        self.task: Any = None

    def __enter__(self) -> _progress:
        if self.enabled:
            self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.enabled:
            self.bar.stop()

    def __call__(self, completed: int, total: int, _outcome: ShardOutcome | None) -> None:
        if not self.enabled:
            return
        if self.task is None:
            self.task = self.bar.add_task("shards", total=total)
        self.bar.update(self.task, completed=completed)


def _unfinished(states: dict[str, int]) -> int:
    return states.get("pending", 0) + states.get("running", 0)


def _follow(name: str, business_date: date, *, timeout: float, quiet: bool) -> dict[str, int]:
    """Poll the ledger until no shard is pending or running, or ``timeout`` passes; returns the last counts."""
    cashtrail = get_app()
    deadline = time.monotonic() + timeout
    with Progress(TextColumn("shards done"), BarColumn(), MofNCompleteColumn(), console=err, disable=quiet) as bar:
        task = bar.add_task("shards", total=None)
        while True:
            with cashtrail.uow() as uow:
                states = job_ledger.states(uow.session, name, business_date)
            bar.update(task, total=states.get("total", 0), completed=states.get("done", 0) + states.get("failed", 0))
            if not _unfinished(states) or time.monotonic() > deadline:
                return states
            time.sleep(1.0)


def _render_summary(summary: RunSummary) -> None:
    states = summary.states
    table(
        f"{summary.job} {summary.business_date} ({summary.mode})",
        ["shards", "ran now", "queued now", "skipped", "done", "failed", "pending", "running"],
        [
            [
                summary.shards,
                summary.executed,
                summary.enqueued,
                summary.skipped,
                states.get("done", 0),
                states.get("failed", 0),
                states.get("pending", 0),
                states.get("running", 0),
            ]
        ],
    )
    for failure in summary.failures[:50]:
        err.print(f"[red]failed[/] {failure['shard']}: {failure['error']}", highlight=False)
    if summary.mode == "queue" and summary.enqueued and not summary.failures:
        out.print("Queued. Start workers with `cashtrail worker`; follow with `cashtrail job status`.")


@job_app.command("status")
def job_status(
    name: str | None = typer.Option(None, "--job", help="Only this job."),
    on: str | None = typer.Option(None, "--date", help="Only this business date, YYYY-MM-DD."),
    shards: bool = typer.Option(False, "--shards", help="List every shard (needs --job and --date)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Shards per state for each run (job, business date), newest first."""
    cashtrail = get_app()
    with handled():
        business_date = _parse_date(on) if on else None
        if shards and (name is None or business_date is None):
            raise ValidationFailed("--shards needs --job and --date", code="job.shards_need_run")
        with cashtrail.uow() as uow:
            if shards and name is not None and business_date is not None:
                data: list[dict[str, Any]] = job_ledger.shards(uow.session, name, business_date)
            else:
                data = job_ledger.counts(uow.session, name, business_date)
    emit(data, as_json=as_json, render=lambda rows: _render_status(rows, detailed=shards))


def _render_status(rows: list[dict[str, Any]], *, detailed: bool) -> None:
    if detailed:
        table(
            "Shards",
            ["shard", "status", "attempts", "worker", "finished", "error / result"],
            [
                [r["shard"], r["status"], r["attempts"], r["worker"], r["finished_at"], r["error"] or r["result"]]
                for r in rows
            ],
        )
        return
    states = [s.value for s in job_ledger.ShardStatus]
    table(
        "Job runs",
        ["job", "business date", "total", *states],
        [[r["job"], r["business_date"], r["total"], *(r[s] for s in states)] for r in rows],
    )


@job_app.command("list")
def job_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The registered jobs (built-in and from CASHTRAIL_JOB_MODULES)."""
    runtime = runtime_for(get_app())
    data = [{"name": s.name, "queue": s.queue, "description": s.description} for s in runtime.registry.all()]
    emit(
        data,
        as_json=as_json,
        render=lambda rows: table("Jobs", ["name", "queue", "description"], [list(r.values()) for r in rows]),
    )
