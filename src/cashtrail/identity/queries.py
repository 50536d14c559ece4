"""Read-side queries of the identity domain; nothing here writes."""

from __future__ import annotations

from cashtrail.identity.model import User
from cashtrail.ports import UnitOfWork


def active_user(uow: UnitOfWork, username: str) -> User | None:
    """The user behind a session, or None when unknown or deactivated since signing in."""
    with uow:
        user = uow.users.get_by_username(username)
        return user if user is not None and user.active else None
