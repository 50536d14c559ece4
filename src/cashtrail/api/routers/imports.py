"""Imports of CSV and XLSX files of every kind (customers, contracts' reference data, toner catalog and uploads …):
the kinds with their columns, and one file checked whole, then written whole or refused with every problem."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.imports import ImportReportOut, KindOut
from cashtrail.errors import ValidationFailed
from cashtrail.files.tabular import read_bytes
from cashtrail.imports.services import KINDS, kind_of, run_import

router = APIRouter(prefix="/v1/imports", tags=["imports"], responses=COMMON_PROBLEMS)
#: Largest file accepted (a year of toner shipment lines for a large fleet is a few tens of megabytes as CSV).
MAX_IMPORT_BYTES = 100 * 1024 * 1024


@router.get("/kinds", summary="The importable kinds with their columns (docs/formats.md)")
def kinds(actor: CurrentActor) -> list[KindOut]:
    return [KindOut.of(kind) for kind in KINDS.values()]


@router.post("/{kind}", summary="Import a CSV or XLSX file of one kind")
def upload(
    app: CashtrailApp,
    actor: CurrentActor,
    kind: Annotated[str, Path(description="e.g. customers, toner-parts, toner-shipments", max_length=32)],
    file: Annotated[UploadFile, File(description="A .csv (UTF-8, comma or semicolon) or .xlsx file")],
    dry_run: Annotated[bool, Query(description="Check the whole file against what is stored; write nothing.")] = False,
) -> ImportReportOut:
    """The file is checked whole: every problem (file, row, column) refuses it and nothing is written; otherwise
    every row is written in one transaction. Rows that match their last import are left alone, so sending the same
    file again changes nothing."""
    kind_of(kind)  # an unknown kind is refused before the upload is read
    name = file.filename or f"{kind}.csv"
    data = file.file.read(MAX_IMPORT_BYTES + 1)  # a plain function: FastAPI runs it off the event loop
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationFailed(f"{name} is larger than {MAX_IMPORT_BYTES} bytes", code="import.too_large", source=name)
    tabular, errors = read_bytes(data, name)
    if tabular is None:
        raise ValidationFailed(
            f"{name} cannot be read; nothing was imported", code="import.unreadable", errors=errors, source=name
        )
    report = run_import(app.uow(), app.clock, actor, kind, tabular.name, tabular.header, tabular.rows, dry_run=dry_run)
    return ImportReportOut.of(report)
