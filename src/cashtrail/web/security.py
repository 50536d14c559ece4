"""Sessions, sign-in state and CSRF protection for the workbench.

The session lives in a cookie signed with ``CASHTRAIL_SECRET_KEY`` (Starlette's ``SessionMiddleware``) and holds
only the username and a CSRF token; the user is read again on every request, so a deactivated user is signed out
at their next click and role changes apply at once. Every unsafe request (POST, PUT, PATCH, DELETE) must echo the
session's CSRF token, as the form field ``csrf_token`` or the ``X-CSRF-Token`` header that htmx sends; the check is
an application-wide dependency so no route can forget it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor
from cashtrail.identity.queries import active_user

SESSION_USER = "username"
SESSION_CSRF = "csrf"
SESSION_FLASH = "flash"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(Exception):
    """The page needs a signed-in user; ``next_url`` is where to return after signing in."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class CsrfRejected(Exception):
    """An unsafe request came without the session's CSRF token."""


@dataclass(frozen=True)
class SignedIn:
    """The user behind the current request."""

    actor: Actor
    full_name: str

    @property
    def roles(self) -> list[str]:
        """The user's role names, sorted."""
        return sorted(role.value for role in self.actor.roles)


def cashtrail_app(request: Request) -> App:
    """The Cashtrail :class:`App` that ``create_web`` stored on the FastAPI application."""
    app: App = request.app.state.cashtrail
    return app


def has_session(request: Request) -> bool:
    """True when ``SessionMiddleware`` ran for this request (error pages may render outside it)."""
    return "session" in request.scope


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose CSRF token is missing or does not match the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    sent: object = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        sent = (await request.form()).get(CSRF_FIELD)
    expected = request.session.get(SESSION_CSRF)
    if not (isinstance(sent, str) and isinstance(expected, str) and secrets.compare_digest(sent, expected)):
        raise CsrfRejected("missing or wrong CSRF token")


def signed_in_user(request: Request) -> SignedIn:
    """The signed-in user, or ``LoginRequired`` (a redirect to the login page)."""
    username = request.session.get(SESSION_USER)
    user = active_user(cashtrail_app(request).uow(), username) if isinstance(username, str) else None
    if user is None:
        request.session.pop(SESSION_USER, None)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else "/")
    signed_in = SignedIn(actor=Actor.of(user), full_name=user.full_name or user.username)
    request.state.user = signed_in
    return signed_in


CurrentUser = Annotated[SignedIn, Depends(signed_in_user)]


def start_session(request: Request, actor: Actor) -> None:
    """Sign ``actor`` in: a fresh session with a new CSRF token (nothing of the anonymous session survives)."""
    request.session.clear()
    request.session[SESSION_USER] = actor.username
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    """Sign out: forget everything the session held."""
    request.session.clear()


def flash(request: Request, level: str, message: str) -> None:
    """Queue a message for the next full page (``level`` is info, success, warning or error)."""
    request.session.setdefault(SESSION_FLASH, []).append([level, message])


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    """The queued messages, removed from the session."""
    if not has_session(request):
        return []
    return [(str(level), str(message)) for level, message in request.session.pop(SESSION_FLASH, [])]


def safe_next(target: str | None) -> str:
    r"""``target`` if it is a path on this site, else ``/`` (never an open redirect).

    Browsers drop tabs and newlines from URLs, so ``/\t/evil.example`` would become ``//evil.example``: any
    control character or whitespace makes the target unsafe.

    >>> safe_next("/customers?search=a"), safe_next("//evil.example"), safe_next("https://evil.example")
    ('/customers?search=a', '/', '/')
    >>> safe_next("/\t/evil.example"), safe_next("/\\evil.example")
    ('/', '/')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    return target
