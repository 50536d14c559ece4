"""The Jinja2 environment and :func:`render`, which every page and partial goes through.

``render`` adds what every template may use (the signed-in user, the navigation, the CSRF token, queued flash
messages) and the security headers of our HTML responses. The headers are set here rather than in a middleware so
they apply to workbench pages only, not to the API mounted beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from cashtrail import __version__
from cashtrail.bootstrap import App
from cashtrail.toner.records import rows_summary, shipment_refs
from cashtrail.web import formatting
from cashtrail.web.assets import static_url
from cashtrail.web.nav import visible_groups, visible_nav
from cashtrail.web.security import csrf_token, has_session, pop_flashes

TEMPLATES_DIR = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def make_templates(app: App, *, vendor_ok: bool) -> Jinja2Templates:
    """The workbench's templates with our filters and globals."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        amount=formatting.amount,
        figure=formatting.figure,
        when=partial(formatting.when, zone=ZoneInfo(app.settings.timezone)),
        audit_value=formatting.audit_value,
        label=formatting.label,
        country_name=formatting.country_name,
        path_segment=formatting.path_segment,
        toner_url=formatting.toner_url,
        toner_rows=rows_summary,
        shipment_refs=shipment_refs,
    )
    env.globals.update(
        static_url=static_url,
        url_with=formatting.url_with,
        vendor_ok=vendor_ok,
        version=__version__,
        timezone=app.settings.timezone,
    )
    return Jinja2Templates(env=env, context_processors=[_page_context])


def _page_context(request: Request) -> dict[str, Any]:
    user = getattr(request.state, "user", None)
    with_session = has_session(request)
    return {
        "user": user,
        "nav": visible_nav(user.actor) if user else [],
        "nav_groups": visible_groups(user.actor) if user else [],
        "current_path": request.url.path,
        "csrf_token": csrf_token(request) if with_session else "",
        # A callable, so only the full page that shows the messages takes them out of the session.
        "flashes": partial(pop_flashes, request),
    }


def is_htmx(request: Request, target: str | None = None) -> bool:
    """True for an htmx request (aimed at the element ``target``, when given) that wants a fragment.

    History restores (a reload of a pushed URL that missed htmx's cache) want the full page.
    """
    if request.headers.get("hx-request") != "true" or request.headers.get("hx-history-restore-request"):
        return False
    return target is None or request.headers.get("hx-target") == target


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` as an HTML response with the workbench's security headers."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, template, dict(context or {}), status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )
    # Pages depend on the session, so shared caches must not keep them; partials differ from pages by HX-Request.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Cookie, HX-Request"
    return response
