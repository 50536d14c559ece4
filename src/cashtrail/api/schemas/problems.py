"""The problem+json document, described for OpenAPI (responses are rendered by ``cashtrail.api.problems``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    """One problem with one input field."""

    field: str = Field(description="Path of the field, e.g. `vat_number` or `items[2].sku`.")
    message: str
    value: str | None = Field(None, description="The offending value, as text, when it is short and safe to echo.")
    row: int | None = Field(None, description="1-based row of a file import (the header is row 1).")
    source: str | None = Field(None, description="The file or source the row came from.")


class Problem(BaseModel):
    """RFC 9457 problem details; extra members carry the error's typed fields (e.g. `number`, `permission`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="`https://cashtrail.dev/problems/<code>`.")
    title: str = Field(description="Short summary of the error family.")
    status: int
    detail: str = Field(description="Human-readable explanation of this occurrence.")
    code: str = Field(description="Stable machine-readable code, e.g. `customer.not_found`; never renamed.")
    instance: str = Field(description="The request path.")
    errors: list[FieldProblem] | None = Field(None, description="Every field problem, for validation failures.")


def problem_schemas() -> dict[str, Any]:
    """JSON schemas of ``Problem`` and ``FieldProblem`` for the OpenAPI components section."""
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    nested: dict[str, Any] = schema.pop("$defs", {})
    return {"Problem": schema, **nested}
