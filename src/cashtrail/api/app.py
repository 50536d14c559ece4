"""The HTTP API application: ``create_api`` wires the routers, the problem handlers and the OpenAPI document.

``cashtrail.server`` mounts it at ``/api``, so the routes here (``/v1/customers``) are public as
``/api/v1/customers``; the OpenAPI 3.1 document is at ``/api/openapi.json`` and the docs at ``/api/docs``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from cashtrail import __version__
from cashtrail.api.problems import install_problem_handlers
from cashtrail.api.routers import (
    audit,
    billing,
    cases,
    cashapp,
    collection_work,
    collections,
    contracts,
    customers,
    imports,
    invoicing,
    me,
    orders,
    payment_terms,
    price_lists,
    products,
    rmas,
    toner,
)
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
        docs_url=None,  # served below with Swagger UI from our own static files, never a CDN
        redoc_url=None,
    )
    api.state.cashtrail = app
    install_problem_handlers(api)
    for module in (
        me,
        customers,
        payment_terms,
        products,
        price_lists,
        contracts,
        audit,
        billing,
        invoicing,
        collections,
        collection_work,
        cases,
        orders,
        rmas,
        toner,
        cashapp,
        imports,
    ):
        api.include_router(module.router)
    _document_problems(api)
    _serve_docs(api)
    return api


def _serve_docs(api: FastAPI) -> None:
    """Swagger UI at ``/docs`` with its files from the workbench's ``/static/vendor`` (installed by ``npm ci``)."""

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        prefix = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json",
            title="Cashtrail API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/img/favicon.svg",
        )


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
