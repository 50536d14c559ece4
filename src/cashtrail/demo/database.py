"""Getting a database ready for the demo: decide whether to reset it, reset it, bring the schema up to date.

A database is a *demo* database when its audit trail holds events with the demo's reason
(:data:`~cashtrail.demo.context.DEMO_REASON`). The rules, so the demo never destroys data by surprise:

- ``reset=None`` (the default): an empty database is used as is; a SQLite demo database is deleted and built
  again, so ``make demo`` always shows a fresh company; a PostgreSQL demo database is brought up to date in place
  (the demo is idempotent); any database holding other data is refused.
- ``reset=True``: the SQLite file is deleted, or the PostgreSQL schema the connection works in (its
  ``current_schema()``, normally ``public``) is dropped with everything in it and created again; migrations also
  install objects that are not tables (procrastinate's types, functions and triggers), so dropping tables is
  not enough.
- ``reset=False``: the demo is added to whatever is there (existing demo rows are left unchanged).

Nothing runs when ``CASHTRAIL_ENV=prod``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.db.schema import upgrade
from cashtrail.demo.context import DEMO_REASON
from cashtrail.errors import InvalidState


class DatabaseState(StrEnum):
    EMPTY = "empty"
    DEMO = "demo"
    OTHER = "other"


class DemoRefused(InvalidState):
    """The demo will not touch this database without an explicit choice."""

    code = "demo.refused"


def database_state(app: App) -> DatabaseState:
    """Whether the database is empty, built by the demo, or holds other data (judged by its audit trail)."""
    if not inspect(app.engine).has_table(t.audit_events.name):
        return DatabaseState.EMPTY
    with app.engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(t.audit_events)) or 0
        demo = connection.scalar(
            select(func.count()).select_from(t.audit_events).where(t.audit_events.c.reason == DEMO_REASON)
        )
    if not events:
        return DatabaseState.EMPTY
    return DatabaseState.DEMO if demo else DatabaseState.OTHER


def describe(app: App) -> str:
    """The database URL without its password."""
    return app.engine.url.render_as_string(hide_password=True)


def reset_database(app: App) -> str:
    """Delete the SQLite file (and its WAL files) or recreate the PostgreSQL schema empty; say what was done."""
    if app.engine.dialect.name == "sqlite":
        path = app.engine.url.database
        app.engine.dispose()  # close pooled connections before the file goes
        if not path or path == ":memory:":
            return "Started from an empty in-memory database"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(path + suffix).unlink(missing_ok=True)
        return f"Deleted the previous database {path}"
    with app.engine.begin() as connection:
        schema = str(connection.scalar(text("SELECT current_schema()")))
        quoted = connection.dialect.identifier_preparer.quote_identifier(schema)
        connection.execute(text(f"DROP SCHEMA {quoted} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {quoted}"))
    return f"Dropped and recreated schema {schema} of {describe(app)}"


def prepare_database(app: App, reset: bool | None) -> list[str]:
    """Apply the reset rules (see the module docstring), then migrate to the latest schema; return what was done."""
    if app.settings.env == "prod":
        raise DemoRefused("the demo does not run when CASHTRAIL_ENV=prod", database=describe(app))
    state = database_state(app)
    if reset is None:
        if state == DatabaseState.OTHER:
            raise DemoRefused(
                f"{describe(app)} holds data the demo did not create; pass --reset to delete it first "
                "or --no-reset to add the demo company to it",
                database=describe(app),
            )
        reset = state == DatabaseState.DEMO and app.engine.dialect.name == "sqlite"
    done = [reset_database(app)] if reset else []
    upgrade(app.engine)
    done.append(f"Schema up to date on {describe(app)}")
    return done
