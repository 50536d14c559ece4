"""Request dependencies: the Cashtrail :class:`App` and the calling :class:`Actor` from a Bearer API token.

Permissions are not checked here: every use case calls ``actor.require`` itself, so the API, CLI and jobs share one
rule. A missing, unknown or revoked token raises ``AuthenticationFailed``, which becomes a 401 problem.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cashtrail.bootstrap import App
from cashtrail.errors import AuthenticationFailed
from cashtrail.identity.model import Actor
from cashtrail.identity.services import actor_for_token

bearer = HTTPBearer(
    auto_error=False,  # a missing token must become our problem document, not FastAPI's default error body
    scheme_name="ApiToken",
    bearerFormat="ct_...",
    description="An API token issued with `cashtrail user token`: `Authorization: Bearer ct_...`.",
)


def get_app(request: Request) -> App:
    """The App that ``create_api`` stored on the FastAPI application."""
    app: App = request.app.state.cashtrail
    return app


CashtrailApp = Annotated[App, Depends(get_app)]


def current_actor(
    app: CashtrailApp, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    """The actor behind the request's Bearer token."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationFailed(
            "an API token is required: send the header Authorization: Bearer ct_...", code="auth.missing_token"
        )
    return actor_for_token(app.uow(), app.clock, credentials.credentials)


CurrentActor = Annotated[Actor, Depends(current_actor)]
