"""Import kinds with their column specs, and the report of one imported file."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cashtrail.imports.plan import Kind
from cashtrail.imports.services import ImportReport


class ColumnOut(BaseModel):
    name: str
    type: str
    required: bool
    description: str
    example: str


class KindOut(BaseModel):
    kind: str
    key: list[str]
    columns: list[ColumnOut]

    @classmethod
    def of(cls, kind: Kind) -> KindOut:
        spec = kind.spec
        return cls(
            kind=spec.kind,
            key=list(spec.key),
            columns=[
                ColumnOut(name=c.name, type=c.type.label, required=c.required, description=c.description,
                          example=c.example)
                for c in spec.columns
            ],
        )  # fmt: skip


class ImportReportOut(BaseModel):
    kind: str
    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[dict[str, Any]]

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportOut:
        return cls.model_validate(report.as_dict())
