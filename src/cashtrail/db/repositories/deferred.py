"""Ids drawn ahead for writes that a batch holds back, and the bulk inserts and updates that send them.

A matching run writes a handful of rows per receipt (journal entries and lines, payment items, applications, the
decision); sent one by one that is tens of thousands of round trips. Repositories in *deferred* mode give every new
row its id at once from :class:`IdAllocator` and insert the rows in bulk when the batch ends (or before any read
that could need them). On PostgreSQL ids come from the table's own sequence, a block at a time, so concurrent
writers never collide; on SQLite they continue the table's largest id, which is safe because SQLite has one writer
at a time and the batch runs in one transaction (a concurrent writer would make the insert fail, never mix rows).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
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


def bulk_insert(
    session: Session, table: Table, rows: list[dict[str, Any]], *, json_columns: Collection[str] = ()
) -> None:
    """Insert rows that all have the same keys: PostgreSQL's COPY, else INSERTs of 10,000 rows at a time."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), 10_000):
            session.execute(insert(table), rows[start : start + 10_000])
        return
    columns = list(rows[0])
    with (
        _driver(session).cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def bulk_update(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Set columns of the rows with the given ``id``s (all rows with the same keys): on PostgreSQL one ``UPDATE …
    FROM`` a temporary table filled by COPY, else an executemany."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    if session.connection().dialect.name != "postgresql":
        statement = (
            update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in columns})
        )
        session.execute(statement, [{f"b_{k}": v for k, v in row.items()} for row in rows])
        return
    scratch = f"_bulk_{table.name}"
    listed = ", ".join(["id", *columns])
    session.execute(text(f"DROP TABLE IF EXISTS {scratch}"))
    session.execute(text(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {listed} FROM {table.name} WITH NO DATA"))
    with _driver(session).cursor() as cursor, cursor.copy(f"COPY {scratch} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row["id"], *(row[c] for c in columns)])
    assignments = ", ".join(f"{c} = s.{c}" for c in columns)
    session.execute(text(f"UPDATE {table.name} AS t SET {assignments} FROM {scratch} AS s WHERE t.id = s.id"))
    session.execute(text(f"DROP TABLE {scratch}"))


def _driver(session: Session) -> Any:
    driver = session.connection().connection.driver_connection
    if driver is None:  # pragma: no cover - a checked-out connection always has its driver connection
        raise RuntimeError("no driver connection for COPY")
    return driver
