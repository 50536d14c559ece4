"""The import page: pick a kind, see its columns, upload a CSV or XLSX file; a refused file lists every problem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.files.tabular import read_bytes
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Kind
from cashtrail.imports.services import KINDS, run_import
from cashtrail.web.security import CurrentUser, cashtrail_app
from cashtrail.web.templating import render

router = APIRouter()
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def _kinds(actor: Actor) -> list[Kind]:
    """The kinds ``actor`` may import, in the order they depend on each other."""
    if not actor.can(Permission.IMPORTS_RUN):
        return []
    return [kind for kind in KINDS.values() if actor.can(kind.permission)]


def _page(actor: Actor, chosen: str, **context: object) -> dict[str, object]:
    kinds = _kinds(actor)
    kind = next((k for k in kinds if k.spec.kind == chosen), kinds[0] if kinds else None)
    return {"kinds": kinds, "kind": kind, "problems": [], "report": None, "name": "", **context}


@router.get("/imports")
def import_form(request: Request, user: CurrentUser, kind: Annotated[str, Query(max_length=32)] = "") -> Response:
    """The upload form with the chosen kind's columns."""
    user.actor.require(Permission.IMPORTS_RUN)
    return render(request, "imports/upload.html", _page(user.actor, kind))


@router.post("/imports")
def upload(
    request: Request,
    user: CurrentUser,
    kind: Annotated[str, Form(max_length=32)],
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    """Import one file of ``kind``: written whole, or refused with every problem by row and column."""
    app = cashtrail_app(request)
    name = file.filename or f"{kind}.csv"
    data = file.file.read(MAX_UPLOAD_BYTES + 1)  # a plain function: FastAPI runs it off the event loop
    context = _page(user.actor, kind, name=name)
    problems: list[FieldError] = []
    if len(data) > MAX_UPLOAD_BYTES:
        problems = [FieldError("file", f"is larger than {MAX_UPLOAD_BYTES} bytes", source=name)]
    else:
        tabular, problems = read_bytes(data, name)
        if tabular is not None:
            try:
                context["report"] = run_import(
                    app.uow(), app.clock, user.actor, kind, tabular.name, tabular.header, tabular.rows, dry_run=dry_run
                )
            except ValidationFailed as exc:
                problems = list(exc.errors) or [FieldError("file", exc.detail, source=name)]
    if problems:
        return render(request, "imports/upload.html", {**context, "problems": problems}, status_code=422)
    return render(request, "imports/upload.html", context)
