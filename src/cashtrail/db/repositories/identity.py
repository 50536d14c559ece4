"""SQL repositories for users and API tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashtrail.db import tables as t
from cashtrail.identity.model import ApiToken, User


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get_by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).filter_by(username=username)).one_or_none()

    def by_usernames(self, usernames: Iterable[str]) -> dict[str, User]:
        wanted = sorted(set(usernames))
        return {u.username: u for u in self.session.scalars(select(User).where(t.users.c.username.in_(wanted)))}

    def all(self) -> Sequence[User]:
        return list(self.session.scalars(select(User).order_by(t.users.c.username)))


class SqlApiTokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: ApiToken) -> None:
        self.session.add(token)

    def get_by_digest(self, digest: str) -> ApiToken | None:
        return self.session.scalars(select(ApiToken).filter_by(token_digest=digest)).one_or_none()

    def for_user(self, user_id: int) -> Sequence[ApiToken]:
        return list(self.session.scalars(select(ApiToken).filter_by(user_id=user_id).order_by(t.api_tokens.c.id)))
