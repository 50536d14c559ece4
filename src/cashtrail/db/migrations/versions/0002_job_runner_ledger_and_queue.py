"""job runner: shard ledger (job_runs, job_shards) and, on PostgreSQL, procrastinate's queue schema

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:05:00.000000

The procrastinate schema is the SQL file shipped inside the installed procrastinate package
(``procrastinate/sql/schema.sql``), applied only on PostgreSQL and only when ``procrastinate_jobs`` is not there
yet (idempotent). A later procrastinate upgrade that ships migrations in ``procrastinate/sql/migrations`` gets its
own Alembic revision applying those files, so the queue schema is versioned with ours.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import cashtrail.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_PROCRASTINATE_DROP = r"""
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, procrastinate_job_status CASCADE;
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE p.proname LIKE 'procrastinate\_%' AND n.nspname = current_schema()
    LOOP
        EXECUTE 'DROP FUNCTION ' || f::text;
    END LOOP;
END;
$$;
"""


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("created_at", cashtrail.db.types.UtcDateTime(), nullable=False),
        sa.Column("submitted_at", cashtrail.db.types.UtcDateTime(), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "business_date", name=op.f("uq_job_runs_job_business_date")),
    )
    op.create_table(
        "job_shards",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("shard", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=True),
        sa.Column("created_at", cashtrail.db.types.UtcDateTime(), nullable=False),
        sa.Column("started_at", cashtrail.db.types.UtcDateTime(), nullable=True),
        sa.Column("finished_at", cashtrail.db.types.UtcDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_shards")),
        sa.UniqueConstraint("job", "business_date", "shard", name=op.f("uq_job_shards_job_business_date_shard")),
    )
    with op.batch_alter_table("job_shards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_shards_status"), ["status"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _install_procrastinate()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.get_bind().connection.driver_connection.execute(_PROCRASTINATE_DROP)  # type: ignore[union-attr]
    with op.batch_alter_table("job_shards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_shards_status"))
    op.drop_table("job_shards")
    op.drop_table("job_runs")


def _install_procrastinate() -> None:
    from procrastinate.schema import SchemaManager

    bind = op.get_bind()
    if bind.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
        return  # already installed (e.g. by `procrastinate schema --apply`)
    # The file holds many statements, dollar-quoted bodies and literal '%' signs: run it through the driver
    # connection without parameters (psycopg's simple query protocol), on this migration's transaction.
    bind.connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]
