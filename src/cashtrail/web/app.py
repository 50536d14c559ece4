"""``create_web``: the workbench's FastAPI application (``cashtrail.server`` mounts the API on top of it).

Every route except those of ``routes.auth`` (sign in, sign out) and the static files needs a session; the rule is
applied where the routers are included, so a new domain's router is protected by being added to
:data:`PROTECTED_ROUTERS`. The CSRF check is an application-wide dependency (see :mod:`cashtrail.web.security`).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from cashtrail import __version__
from cashtrail.bootstrap import App
from cashtrail.web.assets import INSTALL_HINT, STATIC_DIR, missing_vendor_files
from cashtrail.web.errors import install_error_pages
from cashtrail.web.routes import (
    auth,
    billing,
    cases,
    cashapp,
    collection_accounts,
    collections,
    customers,
    home,
    imports,
    invoicing,
    order_actions,
    order_worklists,
    orders,
    receivables,
    toner,
)
from cashtrail.web.security import signed_in_user, verify_csrf
from cashtrail.web.templating import make_templates

logger = logging.getLogger("cashtrail.web")

SESSION_COOKIE = "cashtrail_session"
SESSION_IDLE_SECONDS = 8 * 60 * 60  # the cookie is re-signed on every response, so this is an idle timeout
PROTECTED_ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    imports.router,
    customers.router,
    billing.router,
    invoicing.router,
    orders.router,
    order_actions.router,
    order_worklists.router,
    toner.router,
    cashapp.router,
    receivables.router,
    collections.router,
    collection_accounts.router,
    cases.router,
)


def create_web(app: App) -> FastAPI:
    """The web workbench serving ``app``."""
    missing = missing_vendor_files()
    if missing:
        logger.warning(
            "Front-end assets missing from static/vendor/ (%s): %s. Pages still work, without live search.",
            ", ".join(missing),
            INSTALL_HINT,
        )
    web = FastAPI(
        title="Cashtrail workbench",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(verify_csrf)],
    )
    web.state.cashtrail = app
    web.state.templates = make_templates(app, vendor_ok=not missing)
    web.add_middleware(
        SessionMiddleware,
        secret_key=app.settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_IDLE_SECONDS,
        same_site="lax",
        https_only=app.settings.env == "prod",
    )
    web.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(web)
    web.include_router(auth.router)
    for router in PROTECTED_ROUTERS:
        web.include_router(router, dependencies=[Depends(signed_in_user)])
    return web
