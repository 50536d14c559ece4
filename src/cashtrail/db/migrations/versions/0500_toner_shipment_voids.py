"""toner shipment voids

Revision ID: 0500
Revises: 0400
Create Date: 2026-11-30 12:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cashtrail.db.types


revision = '0500'
down_revision = '0400'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('toner_shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', cashtrail.db.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('toner_shipments', schema=None) as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by')
        batch_op.drop_column('voided_at')
