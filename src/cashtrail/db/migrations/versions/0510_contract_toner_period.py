"""contract toner reconciliation period

Revision ID: 0510
Revises: 0500
Create Date: 2026-11-30 13:25:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0510'
down_revision = '0500'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('toner_reconciliation_period', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('toner_reconciliation_period')
