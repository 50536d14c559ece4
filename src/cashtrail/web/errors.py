"""The one place where errors become workbench pages.

Domain errors map by family to a status (404 for ``NotFound``, 403 for ``PermissionDenied``, 422 for
``ValidationFailed``, 409 for ``Conflict`` and ``InvalidState``), shown as a friendly page, or as a flash message
when the request came from htmx (the fragment is retargeted at ``#flash``). A missing session redirects to the
login page, or tells htmx to go there with ``HX-Redirect``. Unexpected exceptions are logged and shown as a 500
page without details.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
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
from cashtrail.web.formatting import url_with
from cashtrail.web.security import CsrfRejected, LoginRequired
from cashtrail.web.templating import is_htmx, render

logger = logging.getLogger("cashtrail.web")

FAMILY_STATUS: tuple[tuple[type[CashtrailError], int], ...] = (
    (ValidationFailed, 422),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidState, 409),
    (PermissionDenied, 403),
)
FRIENDLY = {
    403: "You do not have permission to do this. Ask a supervisor or an administrator if you need it.",
    404: "There is nothing here. It may have been removed, or the address is mistyped.",
    409: "This clashes with the current state of the data. Reload the page and try again.",
    422: "Some values are not valid.",
}


def install_error_pages(web: FastAPI) -> None:
    """Register the workbench's exception handlers on ``web``."""
    web.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    web.add_exception_handler(AuthenticationFailed, _login_required)  # type: ignore[arg-type]
    web.add_exception_handler(CsrfRejected, _csrf_rejected)
    web.add_exception_handler(CashtrailError, _domain_error)  # type: ignore[arg-type]
    web.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    web.add_exception_handler(RequestValidationError, _bad_request)  # type: ignore[arg-type]
    web.add_exception_handler(Exception, _unexpected)


def error_page(
    request: Request, status: int, message: str, *, title: str | None = None, details: Sequence[str] = ()
) -> Response:
    """The error as a page, or as a flash fragment for htmx requests."""
    context = {
        "status": status,
        "title": title or HTTPStatus(status).phrase,
        "message": message,
        "details": list(details),
    }
    if is_htmx(request):
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return render(request, "errors/_flash.html", context, status_code=status, headers=headers)
    return render(request, "errors/error.html", context, status_code=status)


def status_for(error: CashtrailError) -> int:
    """The HTTP status of a domain error's family (400 for a deliberate error outside every family)."""
    return next((status for family, status in FAMILY_STATUS if isinstance(error, family)), 400)


async def _domain_error(request: Request, error: CashtrailError) -> Response:
    status = status_for(error)
    details = [str(e) for e in error.errors] if isinstance(error, ValidationFailed) else []
    message = FRIENDLY.get(status, "The request could not be completed.")
    return error_page(request, status, f"{message} ({error.detail})", title=error.title, details=details)


async def _login_required(request: Request, error: LoginRequired | AuthenticationFailed) -> Response:
    next_url = error.next_url if isinstance(error, LoginRequired) else "/"
    location = url_with("/login", next=None if next_url == "/" else next_url)
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def _csrf_rejected(request: Request, _error: Exception) -> Response:
    message = "The form expired or did not come from this site. Reload the page and try again."
    return error_page(request, 403, message, title="Request refused")


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    message = FRIENDLY.get(error.status_code, str(error.detail))
    response = error_page(request, error.status_code, message)
    response.headers.update(error.headers or {})
    return response


async def _bad_request(request: Request, error: RequestValidationError) -> Response:
    details = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in error.errors()]
    return error_page(request, 422, FRIENDLY[422], title="Invalid request", details=details)


async def _unexpected(request: Request, error: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    message = "Something went wrong on our side. The error was logged; try again, or tell your administrator."
    return error_page(request, 500, message)
