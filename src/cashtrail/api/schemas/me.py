"""Who the caller is."""

from __future__ import annotations

from pydantic import BaseModel

from cashtrail.identity.model import Actor


class MeOut(BaseModel):
    username: str
    roles: list[str]
    permissions: list[str]

    @classmethod
    def of(cls, actor: Actor) -> MeOut:
        """The caller's name, roles and the permissions those roles grant, sorted."""
        return cls(
            username=actor.username,
            roles=sorted(str(role) for role in actor.roles),
            permissions=sorted(str(permission) for permission in actor.permissions()),
        )
