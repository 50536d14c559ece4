"""Alembic environment: migrates ``cashtrail.db.tables.metadata`` on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import cashtrail.db.billing_tables  # noqa: F401 - registers the billing tables on the metadata
import cashtrail.db.cashapp_tables  # noqa: F401 - registers the cash application tables on the metadata
import cashtrail.db.collections_tables  # noqa: F401 - registers the collections tables on the metadata
import cashtrail.db.invoicing_tables  # noqa: F401 - registers the invoicing tables on the metadata
import cashtrail.db.ledger_tables  # noqa: F401 - registers the ledger tables on the metadata
import cashtrail.db.orders_tables  # noqa: F401 - registers the order management tables on the metadata
import cashtrail.db.toner_tables  # noqa: F401 - registers the toner reconciliation tables on the metadata
from cashtrail.db.engine import make_engine
from cashtrail.db.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///cashtrail.db")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
