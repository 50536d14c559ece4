"""Toner reconciliation over several processes: the run's agreements split into contiguous shards, one per worker.

Each worker process wires its own application from the same settings and runs the ordinary use case
(:func:`cashtrail.toner.run_services.run_reconciliation`) for its shard, in its own transaction; records are keyed by
agreement and period, so a shard run twice changes nothing the second time. On SQLite the shards read in parallel
and their writes queue on the database lock (WAL, busy timeout); on PostgreSQL they run side by side.

Workers are forked when the caller runs no other thread (the CLI's progress line and the benchmark run none):
a forked worker starts with the modules already imported and the mappers configured, where a spawned one spends
about two seconds of CPU importing them again. The parent's pooled connections are closed before the fork, so no
database connection crosses it (SQLite and psycopg both forbid using one in a child); the parent reopens them when
it next needs one. With other threads running a fork could copy a lock one of them holds, so workers are spawned.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext

from cashtrail.bootstrap import App, bootstrap
from cashtrail.config import Settings
from cashtrail.identity.model import Actor
from cashtrail.toner.run_services import RunSummary, run_reconciliation, shards


def _run_shard(settings: Settings, actor: Actor, span: str, agreements: Sequence[str]) -> RunSummary:
    app = bootstrap(settings)
    try:
        return run_reconciliation(app.uow(), app.clock, actor, span, agreements=agreements)
    finally:
        app.engine.dispose()


#: Most worker processes a run starts by default (each holds its shard's rows; more cores than this rarely pay).
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """One worker per core this process may run on, at most :data:`MAX_DEFAULT_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def run_parallel(app: App, actor: Actor, span: str, workers: int) -> RunSummary:
    """Reconcile ``span`` with ``workers`` processes (one shard each) and merge their summaries.

    A run with one worker, or whose agreements make a single shard, runs in this process.
    """
    if workers <= 1:
        return run_reconciliation(app.uow(), app.clock, actor, span)
    parts = [p for p in shards(app.uow(), span, workers) if p]
    if len(parts) <= 1:
        return run_reconciliation(app.uow(), app.clock, actor, span)
    context = _start_context()
    if context.get_start_method() == "fork":
        app.engine.dispose()  # no pooled connection crosses the fork (module docstring)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(pool.map(_run_shard, *zip(*[(app.settings, actor, span, p) for p in parts], strict=True)))
    return merge(results, span)


def _start_context() -> BaseContext:
    """Fork when this process runs no other thread (and the platform forks), else spawn."""
    if "fork" in get_all_start_methods() and threading.active_count() == 1:
        return get_context("fork")
    return get_context("spawn")


def merge(results: Sequence[RunSummary], span: str) -> RunSummary:
    """One summary for several shards."""
    merged = RunSummary(results[0].span if results else span, processes=max(1, len(results)))
    for part in results:
        merged.records += part.records
        merged.skipped += part.skipped
        for phase, seconds in part.seconds.items():
            merged.seconds[phase] = max(merged.seconds.get(phase, 0.0), seconds)
        for target, source in ((merged.statuses, part.statuses), (merged.findings, part.findings)):
            for key, count in source.items():
                target[key] = target.get(key, 0) + count
        for currency, amount in part.charges.items():
            merged.charges[currency] = str(_dec(merged.charges.get(currency)) + _dec(amount))
    return merged


def _dec(text: str | None) -> Decimal:
    return Decimal(text or 0)
