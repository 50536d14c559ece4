"""Who am I: the caller's username, roles and permissions.

This route has no use case behind it: any valid token may read its own identity, so no permission is required.
"""

from __future__ import annotations

from fastapi import APIRouter

from cashtrail.api.deps import CurrentActor
from cashtrail.api.problems import problem_responses
from cashtrail.api.schemas.me import MeOut

router = APIRouter(prefix="/v1/me", tags=["identity"], responses=problem_responses(401, 500))


@router.get("", summary="Who am I")
def me(actor: CurrentActor) -> MeOut:
    """The caller's username, roles and the permissions they grant."""
    return MeOut.of(actor)
