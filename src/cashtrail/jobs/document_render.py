"""Rendering issued documents' PDF and Peppol UBL files in bulk, over several processes.

A PDF takes about a tenth of a CPU second and a validated UBL a few milliseconds (``docs/benchmarks.md``), so a
month's invoices render much faster on every core than on one. The main process reads pages of tasks (issued
documents lacking a file, in id order), worker processes render them (each warms up its fonts, stylesheet, schemas
and XSLT once), and the main process stores each group of results in its own short transaction while the workers
go on rendering. A document the renderer refuses is reported and skipped; the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context

from cashtrail.bootstrap import App
from cashtrail.documents.renderer import SnapshotRenderer
from cashtrail.documents.ubl_validation import warm_up
from cashtrail.identity.model import Actor
from cashtrail.invoicing.render_services import RenderedFiles, RenderTask, pending_renders, render, store_rendered

#: Results stored per transaction.
STORE_BATCH = 50
#: Tasks read per page (and handed to the pool at once).
PAGE = 1_000

_renderer = SnapshotRenderer()
_Renders = Callable[[Sequence[RenderTask]], Iterator[RenderedFiles]]


@dataclass
class RenderReport:
    """What a run did: documents rendered, files stored, documents refused (id, number, code, detail)."""

    documents: int = 0
    files: int = 0
    refused: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)


def _warm_up() -> None:
    """Per worker process: load the validation artefacts; the first PDF loads the fonts and the stylesheet."""
    warm_up()


def _render(task: RenderTask) -> RenderedFiles:
    return render(_renderer, task)


def render_pending(
    app: App, actor: Actor, *, workers: int = 1, limit: int | None = None, ids: Sequence[int] | None = None
) -> RenderReport:
    """Render and store the missing files of issued documents (of ``ids`` only, if given; at most ``limit``
    documents) with ``workers`` processes."""
    report = RenderReport()
    if workers <= 1:
        _run(app, actor, report, (limit, ids), lambda tasks: (render(app.renderer(), t) for t in tasks))
        return report
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_warm_up) as pool:
        _run(app, actor, report, (limit, ids), lambda tasks: pool.map(_render, tasks, chunksize=4))
    return report


def _run(
    app: App, actor: Actor, report: RenderReport, scope: tuple[int | None, Sequence[int] | None], renders: _Renders
) -> None:
    limit, ids = scope
    after: int | None = None
    while limit is None or report.documents < limit:
        page = PAGE if limit is None else min(PAGE, limit - report.documents)
        tasks = pending_renders(app.uow(), actor, after_id=after, limit=page, ids=ids)
        if not tasks:
            return
        after = tasks[-1].invoice_id
        results = renders(tasks)
        while group := list(islice(results, STORE_BATCH)):
            report.files += store_rendered(app.uow(), app.clock, actor, group)
            report.documents += sum(1 for r in group if r.error is None)
            report.refused += [(r.invoice_id, r.number, r.code, r.error) for r in group if r.error is not None]
