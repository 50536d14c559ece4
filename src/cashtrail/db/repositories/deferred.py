"""Ids drawn ahead for writes that a batch holds back and sends in bulk.

A matching run writes a handful of rows per receipt (journal entries and lines, payment items, applications, the
decision); sent one by one that is tens of thousands of round trips. Repositories in *deferred* mode give every new
row its id at once from :class:`IdAllocator` and insert the rows in bulk when the batch ends (or before any read
that could need them). On PostgreSQL ids come from the table's own sequence, a block at a time, so concurrent
writers never collide; on SQLite they continue the table's largest id, which is safe because SQLite has one writer
at a time and the batch runs in one transaction (a concurrent writer would make the insert fail, never mix rows).
"""

from __future__ import annotations

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

_BLOCK = 1000


class IdAllocator:
    """Hands out primary keys of ``id`` columns ahead of the inserts."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._pool: dict[str, list[int]] = {}
        self._next: dict[str, int] = {}

    def take(self, table: Table) -> int:
        """The id of the next row of ``table``."""
        if self.session.get_bind().dialect.name == "postgresql":
            pool = self._pool.setdefault(table.name, [])
            if not pool:
                pool.extend(self._sequence_block(table.name))
            return pool.pop()
        if table.name not in self._next:
            self._next[table.name] = int(self.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
        self._next[table.name] += 1
        return self._next[table.name]

    def _sequence_block(self, table: str) -> list[int]:
        query = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
        ids = [int(i) for i in self.session.scalars(query, {"table": table, "n": _BLOCK})]
        return sorted(ids, reverse=True)  # popped from the end: ascending order
