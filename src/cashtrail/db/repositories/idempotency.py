"""SQL repository of idempotency keys: the stored outcome of a money-moving request, replayed on a retry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cashtrail.db import tables as t


class SqlIdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, actor: str, key: str) -> dict[str, Any] | None:
        k = t.idempotency_keys.c
        row = self.session.execute(select(t.idempotency_keys).where(k.actor == actor, k.key == key)).mappings().first()
        return None if row is None else dict(row)

    def put(
        self,
        actor: str,
        key: str,
        *,
        operation: str,
        request_hash: str,
        status_code: int,
        response: Any,
        at: datetime,
    ) -> None:
        self.session.execute(
            insert(t.idempotency_keys).values(
                actor=actor,
                key=key,
                operation=operation,
                request_hash=request_hash,
                status_code=status_code,
                response=response,
                created_at=at,
            )
        )
