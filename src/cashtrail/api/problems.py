"""RFC 9457 problem details: the one place where errors become HTTP responses.

Domain errors know nothing about HTTP (house style E2). :func:`cashtrail_error_handler` maps each error *family* to
a status and renders ``application/problem+json`` with the members ``type``, ``title``, ``status``, ``detail``,
``code`` and ``instance``, the error's typed fields as extension members, and ``errors`` (one entry per field) for
validation failures. Request-shape errors found by FastAPI, unknown routes and unexpected exceptions use the same
shape, so a client needs one error parser. ``type`` is ``https://cashtrail.dev/problems/<code>``; ``code`` is the
stable string to switch on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cashtrail.errors import (
    AuthenticationFailed,
    CashtrailError,
    Conflict,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://cashtrail.dev/problems/"
WWW_AUTHENTICATE = 'Bearer realm="cashtrail"'

#: First match wins, so the order only matters for errors that belong to two families (none do today).
FAMILY_STATUS: tuple[tuple[type[CashtrailError], int], ...] = (
    (ValidationFailed, 422),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidState, 409),
    (PermissionDenied, 403),
    (AuthenticationFailed, 401),
)
_RESERVED = frozenset({"type", "title", "status", "detail", "code", "instance", "errors"})


class ProblemResponse(JSONResponse):
    """A JSON response with the problem+json media type."""

    media_type = PROBLEM_MEDIA_TYPE


def status_for(error: CashtrailError) -> int:
    """The HTTP status of a domain error's family; a deliberate error outside every family is a 400."""
    for family, status in FAMILY_STATUS:
        if isinstance(error, family):
            return status
    return 400


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    fields: Mapping[str, object] | None = None,
    errors: Sequence[Mapping[str, object]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    """Render one problem document; typed ``fields`` never overwrite the standard members."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    for name, value in (fields or {}).items():
        if name not in _RESERVED:
            body[name] = plain(value)
    if errors is not None:
        body["errors"] = [plain(dict(error)) for error in errors]
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def plain(value: object) -> object:
    """A JSON-safe copy of ``value``: Decimals, dates and enums become strings, never floats; unknowns use str().

    >>> from decimal import Decimal
    >>> plain({"limit": Decimal("1.50"), "on": date(2026, 1, 2), "ok": [True, None]})
    {'limit': '1.50', 'on': '2026-01-02', 'ok': [True, None]}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)  # Decimal, float and anything else: a string keeps it exact and JSON-safe


async def cashtrail_error_handler(request: Request, exc: Exception) -> Response:
    """Every deliberate Cashtrail error, by family."""
    if not isinstance(exc, CashtrailError):  # pragma: no cover - registered for CashtrailError only
        raise exc
    status = status_for(exc)
    errors = [e.as_dict() for e in exc.errors] if isinstance(exc, ValidationFailed) else None
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if status == 401 else None
    return problem_response(
        request,
        status=status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        fields=exc.fields,
        errors=errors,
        headers=headers,
    )


async def request_validation_handler(request: Request, exc: Exception) -> Response:
    """A request whose body, query or path parameters do not match the schema (before any use case runs)."""
    if not isinstance(exc, RequestValidationError):  # pragma: no cover - registered for RequestValidationError
        raise exc
    errors = [request_field_error(error) for error in exc.errors()]
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    return problem_response(
        request,
        status=422,
        code="request.invalid",
        title=ValidationFailed.title,
        detail=f"The request does not match the API schema ({count}).",
        errors=errors,
    )


def request_field_error(error: Mapping[str, Any]) -> dict[str, object]:
    """One Pydantic/FastAPI error as ``{field, message[, value]}`` with a readable field path.

    >>> request_field_error({"loc": ("body", "items", 0, "sku"), "msg": "Field required", "input": {}})
    {'field': 'items[0].sku', 'message': 'Field required'}
    >>> request_field_error({"loc": ("query", "limit"), "msg": "Value error, too big", "input": "900"})
    {'field': 'limit', 'message': 'too big', 'value': '900'}
    >>> request_field_error({"type": "json_invalid", "loc": ("body", 1), "ctx": {"error": "Expecting value"}})
    {'field': 'body', 'message': 'is not valid JSON: Expecting value'}
    """
    if error.get("type") == "json_invalid":  # loc holds a character offset, not a field
        reason = error.get("ctx", {}).get("error", "malformed")
        return {"field": "body", "message": f"is not valid JSON: {reason}"}
    location = list(error.get("loc", ()))
    if location and location[0] in ("body", "query", "path", "header", "cookie"):
        location = location[1:] if len(location) > 1 else location
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    result: dict[str, object] = {"field": path or "body", "message": message}
    value = error.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        result["value"] = str(value)
    return result


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Routing errors raised by Starlette itself (unknown path, wrong method)."""
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover - registered for HTTPException only
        raise exc
    phrase = HTTPStatus(exc.status_code).phrase
    return problem_response(
        request,
        status=exc.status_code,
        code="http." + phrase.lower().replace(" ", "_").replace("-", "_"),
        title=phrase,
        detail=str(exc.detail) if exc.detail != phrase else f"{phrase}: {request.method} {request.url.path}",
        headers=exc.headers,
    )


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    """Anything else: a bare 500 that reveals nothing about the internals.

    No logging here: Starlette re-raises the exception after this response so the server logs it with its traceback.
    """
    return problem_response(
        request,
        status=500,
        code="internal_error",
        title="Internal server error",
        detail="An unexpected error occurred. It has been logged; please try again or contact support.",
    )


def install_problem_handlers(api: FastAPI) -> None:
    """Register the problem handlers on ``api``."""
    api.add_exception_handler(CashtrailError, cashtrail_error_handler)
    api.add_exception_handler(RequestValidationError, request_validation_handler)
    api.add_exception_handler(StarletteHTTPException, http_error_handler)
    api.add_exception_handler(Exception, unexpected_error_handler)


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem documents for ``statuses``."""
    return {
        status: {
            "description": HTTPStatus(status).phrase + " (problem details)",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
        }
        for status in statuses
    }


#: Every authenticated route can answer these.
COMMON_PROBLEMS = problem_responses(401, 403, 422, 500)
