"""Running the demo: the chapter list, one random stream per chapter, and the summary of what was built.

Chapters come from the modules named in :data:`CHAPTER_MODULES`, in that order; each module exposes ``CHAPTERS``
(a list of :class:`Chapter`) and may expose ``COUNTS`` (a list of :class:`Count`) for the summary. A later domain
adds its demo by writing ``cashtrail/demo/<domain>.py`` and appending its name here, as CLI modules do in
``cashtrail.cli.main.COMMAND_MODULES``.

Each chapter draws from its own ``random.Random`` seeded with the demo seed and the chapter's name, so adding or
changing one chapter never changes the data another one generates.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterable, Sequence
from types import ModuleType

from sqlalchemy import func, select

from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.demo.context import (
    DEFAULT_CUSTOMERS,
    DEFAULT_SEED,
    Chapter,
    Count,
    DemoContext,
    Reporter,
    SilentReporter,
)

#: Demo modules, each exposing ``CHAPTERS`` (and optionally ``COUNTS``), in the order they run.
CHAPTER_MODULES = (
    "users",
    "catalog",
    "customers",
    "orders",
    "billing",
    "invoicing",
    "cashapp",
    "rmas",
    "toner",
    "collections",
)


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"cashtrail.demo.{name}") for name in CHAPTER_MODULES]


def default_chapters() -> list[Chapter]:
    """Every registered chapter, in running order."""
    return [chapter for module in _modules() for chapter in module.CHAPTERS]


def chapter_rng(seed: int, chapter: Chapter) -> random.Random:
    """The chapter's own random stream (string seeds are hashed with SHA-512, stable across processes)."""
    return random.Random(f"cashtrail-demo:{seed}:{chapter.name}")


def build_demo(
    app: App,
    *,
    seed: int = DEFAULT_SEED,
    customers: int = DEFAULT_CUSTOMERS,
    chapters: Sequence[Chapter] | None = None,
    reporter: Reporter | None = None,
) -> DemoContext:
    """Run ``chapters`` (default: every registered one) against ``app`` and return what they built.

    The schema must exist (``cashtrail.db.schema.upgrade``). Running again with the same seed changes nothing.
    """
    if customers < 1:
        raise ValueError("the demo needs at least one customer")
    report = reporter or SilentReporter()
    ctx = DemoContext(seed=seed, customer_count=customers, progress=report.progressed)
    for chapter in default_chapters() if chapters is None else chapters:
        report.started(chapter)
        chapter.run(app, chapter_rng(seed, chapter), ctx)
        report.finished(chapter)
    return ctx


def default_counts() -> list[Count]:
    """Every summary line the registered modules declare, then the audit trail."""
    counts: list[Count] = [count for module in _modules() for count in getattr(module, "COUNTS", [])]
    return [*counts, Count("audit events", t.audit_events, t.audit_events.c.entity_type)]


def summarize(app: App, counts: Iterable[Count] | None = None) -> list[tuple[str, int, str]]:
    """``(label, rows, breakdown)`` for each count, e.g. ``("customers", 300, "BE 75 · DE 45 · …")``."""
    lines: list[tuple[str, int, str]] = []
    with app.uow() as uow:
        session = uow.session
        for count in default_counts() if counts is None else counts:
            total = int(session.scalar(select(func.count()).select_from(count.table)) or 0)
            detail = ""
            if count.by is not None:
                rows = session.execute(select(count.by, func.count()).group_by(count.by).order_by(count.by))
                detail = " · ".join(f"{value} {n}" for value, n in rows)
            lines.append((count.label, total, detail))
    return lines
