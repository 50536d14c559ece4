"""Sign in and sign out. The only pages open without a session (besides static files)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from cashtrail.errors import AuthenticationFailed
from cashtrail.identity.queries import active_user
from cashtrail.identity.services import authenticate
from cashtrail.web.security import (
    SESSION_USER,
    cashtrail_app,
    end_session,
    flash,
    safe_next,
    start_session,
)
from cashtrail.web.templating import render

logger = logging.getLogger("cashtrail.web")
router = APIRouter()
BAD_CREDENTIALS = "Unknown user or wrong password."


@router.get("/login")
def login_form(request: Request, next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/") -> Response:
    """The sign-in form; a user who is already signed in goes straight on."""
    username = request.session.get(SESSION_USER)
    if isinstance(username, str) and active_user(cashtrail_app(request).uow(), username) is not None:
        return RedirectResponse(safe_next(next_url), status_code=303)
    return render(request, "login.html", {"next_url": safe_next(next_url), "username": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the credentials; on success start a fresh session and go to ``next``."""
    try:
        actor = authenticate(cashtrail_app(request).uow(), username, password)
    except AuthenticationFailed:
        client = request.client.host if request.client else "?"
        logger.warning("failed sign-in for user %r from %s", username[:64], client)
        context = {"next_url": safe_next(next_url), "username": username, "error": BAD_CREDENTIALS}
        return render(request, "login.html", context)
    start_session(request, actor)
    return RedirectResponse(safe_next(next_url), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session and return to the sign-in form."""
    end_session(request)
    flash(request, "info", "You are signed out.")
    return RedirectResponse("/login", status_code=303)
