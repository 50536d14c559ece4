"""The HTTP API application: ``create_api`` wires the routers, the problem handlers and the OpenAPI document.

``cashtrail.server`` mounts it at ``/api``, so the routes here (``/v1/customers``) are public as
``/api/v1/customers``; the OpenAPI 3.1 document is at ``/api/openapi.json`` and the docs at ``/api/docs``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from cashtrail import __version__
from cashtrail.api.problems import install_problem_handlers
from cashtrail.api.routers import audit, billing, customers, me, payment_terms, price_lists, products
from cashtrail.api.schemas.problems import problem_schemas
from cashtrail.bootstrap import App

DESCRIPTION = """\
Cashtrail's HTTP API. Authenticate with an API token: `Authorization: Bearer ct_...`.

Errors are RFC 9457 `application/problem+json` documents with a stable `code`. Amounts are decimal strings with a
separate currency field; JSON numbers are refused for amounts. Lists are cursor-paged: pass `next_cursor` back as
`cursor`.
"""


def create_api(app: App) -> FastAPI:
    """The FastAPI application serving ``app``."""
    api = FastAPI(
        title="Cashtrail API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    api.state.cashtrail = app
    install_problem_handlers(api)
    for module in (me, customers, payment_terms, products, price_lists, audit, billing):
        api.include_router(module.router)
    _document_problems(api)
    return api


def _document_problems(api: FastAPI) -> None:
    """Add the Problem schema, which the routers' responses refer to, to the generated OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = get_openapi(
                title=api.title,
                version=api.version,
                openapi_version=api.openapi_version,
                description=api.description,
                routes=api.routes,
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(problem_schemas())
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
