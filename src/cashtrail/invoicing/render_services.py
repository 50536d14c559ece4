"""Use cases of rendering issued documents' files in bulk: which documents still lack their PDF or Peppol UBL file,
render one from its frozen snapshot, keep what was rendered.

Rendering is CPU work and happens outside any transaction (:mod:`cashtrail.jobs.document_render` spreads it over
processes); reading the tasks and storing the files are short transactions of their own. Invariants:

- a file is stored only if the document has none in that format yet, so a second run, or a run racing with an
  export or a send that renders on first use, never replaces what was archived (the first file stays the record);
- a document that cannot be rendered in a format (a UBL that breaks a rule) is reported with its error and stays
  without that file; its other files and the other documents' files are stored, and nothing half-written is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cashtrail.clock import Clock
from cashtrail.errors import CashtrailError
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.snapshot import DocumentSnapshot
from cashtrail.ports import DocumentRenderer, UnitOfWork

FORMATS = {"pdf": ("application/pdf", "pdf"), "ubl": ("application/xml", "xml")}


@dataclass(frozen=True)
class RenderTask:
    """One issued document and the formats it still lacks."""

    invoice_id: int
    snapshot: DocumentSnapshot
    formats: tuple[str, ...]


@dataclass(frozen=True)
class RenderedFiles:
    """What rendering a task produced: the files by format, or the error that stopped it."""

    invoice_id: int
    number: str
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    code: str | None = None


def pending_renders(
    uow: UnitOfWork,
    actor: Actor,
    *,
    after_id: int | None = None,
    limit: int = 200,
    ids: Sequence[int] | None = None,
) -> list[RenderTask]:
    """Up to ``limit`` issued documents after ``after_id`` (by id; of ``ids`` only, if given) that lack a PDF or UBL
    file, with their snapshot."""
    actor.require(Permission.INVOICES_ISSUE)
    with uow:
        missing = dict(uow.invoices.missing_files(tuple(FORMATS), after_id=after_id, limit=limit, ids=ids))
        docs = uow.invoices.many(list(missing))
        return [RenderTask(d.id, d.snapshot, missing[d.id]) for d in docs if d.id is not None and d.snapshot]


def render(renderer: DocumentRenderer, task: RenderTask) -> RenderedFiles:
    """The task's files; a format the renderer refuses (a UBL that breaks a rule) comes back as the refusal, with
    the files of the other formats (the PDF is kept even when the UBL cannot be written)."""
    files, refusal = {}, None
    for fmt in task.formats:
        try:
            files[fmt] = render_file(renderer, task.snapshot, fmt)
        except CashtrailError as refused:
            refusal = refusal or refused
    if refusal is not None:
        return RenderedFiles(task.invoice_id, task.snapshot.number, files, error=refusal.detail, code=refusal.code)
    return RenderedFiles(task.invoice_id, task.snapshot.number, files)


def render_file(renderer: DocumentRenderer, snapshot: DocumentSnapshot, fmt: str) -> bytes:
    """One file of an issued document: its PDF (``pdf``) or its validated Peppol UBL (``ubl``)."""
    return renderer.pdf(snapshot) if fmt == "pdf" else renderer.ubl(snapshot)


def store_rendered(uow: UnitOfWork, clock: Clock, actor: Actor, rendered: Sequence[RenderedFiles]) -> int:
    """Keep the files of ``rendered`` that are still missing, in one transaction; returns how many were stored."""
    actor.require(Permission.INVOICES_ISSUE)
    stored = 0
    with uow:
        at = clock.now()
        for result in rendered:
            for fmt, content in result.files.items():
                if uow.document_files.find("invoice", str(result.invoice_id), fmt) is not None:
                    continue
                keep_file(uow, result.invoice_id, result.number, fmt, content, at)
                stored += 1
        uow.commit()
    return stored


def keep_file(uow: UnitOfWork, invoice_id: int, number: str, fmt: str, content: bytes, at: datetime) -> None:
    """Store one rendered file of an issued document (named after its number) inside the caller's transaction."""
    media_type, extension = FORMATS[fmt]
    uow.document_files.put(
        "invoice",
        str(invoice_id),
        fmt,
        media_type=media_type,
        file_name=f"{number}.{extension}",
        content=content,
        at=at,
    )
