"""The start page: the first workbench page the user's roles open."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import RedirectResponse

from cashtrail.errors import PermissionDenied
from cashtrail.web.nav import visible_nav
from cashtrail.web.security import CurrentUser

router = APIRouter()


@router.get("/")
def home(user: CurrentUser) -> Response:
    """Redirect to the first page of the navigation the user may open."""
    entries = visible_nav(user.actor)
    if not entries:
        raise PermissionDenied(f"{user.actor.username} has no role that opens a workbench page")
    return RedirectResponse(entries[0].path, status_code=303)
