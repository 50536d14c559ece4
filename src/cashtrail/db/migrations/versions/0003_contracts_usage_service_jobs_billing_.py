"""contracts, usage, service jobs, billing blocks, bill runs, reserve funds

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:51:13.866429
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cashtrail.db.types
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bill_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('started_at', cashtrail.db.types.UtcDateTime(), nullable=False),
    sa.Column('finished_at', cashtrail.db.types.UtcDateTime(), nullable=True),
    sa.Column('started_by', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill_runs')),
    sa.UniqueConstraint('period', name=op.f('uq_bill_runs_period'))
    )
    op.create_table('billing_blocks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('contract_number', sa.String(length=32), nullable=False),
    sa.Column('created_at', cashtrail.db.types.UtcDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('release_on', sa.Date(), nullable=True),
    sa.Column('released_at', cashtrail.db.types.UtcDateTime(), nullable=True),
    sa.Column('released_by', sa.String(length=64), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billing_blocks'))
    )
    with op.batch_alter_table('billing_blocks', schema=None) as batch_op:
        batch_op.create_index('ix_billing_blocks_target', ['scope', 'target'], unique=False)

    op.create_table('held_periods',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_number', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_periods')),
    sa.UniqueConstraint('contract_number', 'period', name=op.f('uq_held_periods_contract_number_period'))
    )
    op.create_table('index_values',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('series', sa.String(length=32), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('value', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_values')),
    sa.UniqueConstraint('series', 'month', name=op.f('uq_index_values_series_month'))
    )
    op.create_table('meter_reads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('meter_type', sa.String(length=16), nullable=False),
    sa.Column('read_on', sa.Date(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('old_meter_final', sa.BigInteger(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meter_reads')),
    sa.UniqueConstraint('serial', 'meter_type', 'read_on', name=op.f('uq_meter_reads_serial_meter_type_read_on'))
    )
    with op.batch_alter_table('meter_reads', schema=None) as batch_op:
        batch_op.create_index('ix_meter_reads_read_on', ['read_on'], unique=False)

    op.create_table('draft_invoices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bill_run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('group_key', sa.String(length=200), nullable=False),
    sa.Column('customer_number', sa.String(length=32), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['bill_run_id'], ['bill_runs.id'], name=op.f('fk_draft_invoices_bill_run_id_bill_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_invoices')),
    sa.UniqueConstraint('bill_run_id', 'group_key', name=op.f('uq_draft_invoices_bill_run_id_group_key'))
    )
    with op.batch_alter_table('draft_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_invoices_bill_run_id'), ['bill_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_invoices_customer_number'), ['customer_number'], unique=False)

    op.create_table('billed_charges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('draft_invoice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_number', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('quantity', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.Column('unit_price', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.Column('amount', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('formula', sa.Text(), nullable=False),
    sa.Column('site', sa.String(length=100), nullable=False),
    sa.Column('asset', sa.String(length=64), nullable=False),
    sa.Column('source', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['draft_invoice_id'], ['draft_invoices.id'], name=op.f('fk_billed_charges_draft_invoice_id_draft_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_billed_charges')),
    sa.UniqueConstraint('key', name=op.f('uq_billed_charges_key'))
    )
    with op.batch_alter_table('billed_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billed_charges_draft_invoice_id'), ['draft_invoice_id'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('customer_number', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('timing', sa.String(length=16), nullable=False),
    sa.Column('first_billing_date', sa.Date(), nullable=True),
    sa.Column('proration', sa.String(length=16), nullable=False),
    sa.Column('grouping', sa.String(length=16), nullable=False),
    sa.Column('po_required', sa.Boolean(), nullable=False),
    sa.Column('po_number', sa.String(length=64), nullable=True),
    sa.Column('minimum_invoice_amount', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('estimate_missing_reads', sa.Boolean(), nullable=False),
    sa.Column('toner_included', sa.Boolean(), nullable=False),
    sa.Column('coverage_allowance_percent', cashtrail.db.types.DecimalText(7, 4), nullable=True),
    sa.Column('pooling', sa.String(length=16), nullable=False),
    sa.Column('base_fee_per_device', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.Column('callout_terms', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('escalation', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['customer_number'], ['customers.number'], name=op.f('fk_contracts_customer_number_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_customer_number'), ['customer_number'], unique=False)

    op.create_table('reserve_funds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_number', sa.String(length=32), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('balance', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.Column('warning_threshold', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.ForeignKeyConstraint(['customer_number'], ['customers.number'], name=op.f('fk_reserve_funds_customer_number_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reserve_funds')),
    sa.UniqueConstraint('customer_number', name=op.f('uq_reserve_funds_customer_number'))
    )
    op.create_table('contract_devices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=100), nullable=False),
    sa.Column('installed_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('meters', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_devices_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_devices')),
    sa.UniqueConstraint('contract_id', 'serial', name=op.f('uq_contract_devices_contract_id_serial'))
    )
    with op.batch_alter_table('contract_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_devices_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_devices_serial'), ['serial'], unique=False)

    op.create_table('contract_fee_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('product_sku', sa.String(length=64), nullable=False),
    sa.Column('unit_price', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.Column('quantity_changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('site', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_fee_lines_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_fee_lines')),
    sa.UniqueConstraint('contract_id', 'line_id', name=op.f('uq_contract_fee_lines_contract_id_line_id'))
    )
    with op.batch_alter_table('contract_fee_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_fee_lines_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_meter_plans',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('meter_type', sa.String(length=16), nullable=False),
    sa.Column('tiers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('included_volume', sa.BigInteger(), nullable=False),
    sa.Column('minimum_charge', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_meter_plans_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_meter_plans')),
    sa.UniqueConstraint('contract_id', 'meter_type', name=op.f('uq_contract_meter_plans_contract_id_meter_type'))
    )
    with op.batch_alter_table('contract_meter_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_meter_plans_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_units',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contract_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('fee_per_period', cashtrail.db.types.DecimalText(19, 6), nullable=False),
    sa.Column('active_from', sa.Date(), nullable=False),
    sa.Column('active_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_units_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_units')),
    sa.UniqueConstraint('contract_id', 'unit_id', name=op.f('uq_contract_units_contract_id_unit_id'))
    )
    with op.batch_alter_table('contract_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_units_contract_id'), ['contract_id'], unique=False)

    op.create_table('reserve_fund_movements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fund_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('booked_at', cashtrail.db.types.UtcDateTime(), nullable=False),
    sa.Column('amount', cashtrail.db.types.DecimalText(19, 4), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('charge_key', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['fund_id'], ['reserve_funds.id'], name=op.f('fk_reserve_fund_movements_fund_id_reserve_funds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reserve_fund_movements')),
    sa.UniqueConstraint('charge_key', name=op.f('uq_reserve_fund_movements_charge_key'))
    )
    with op.batch_alter_table('reserve_fund_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reserve_fund_movements_fund_id'), ['fund_id'], unique=False)

    op.create_table('service_jobs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('contract_number', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('parts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('back_reported', sa.Boolean(), nullable=False),
    sa.Column('travel', sa.Boolean(), nullable=False),
    sa.Column('started_at', cashtrail.db.types.UtcDateTime(), nullable=True),
    sa.Column('ended_at', cashtrail.db.types.UtcDateTime(), nullable=True),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_number'], ['contracts.number'], name=op.f('fk_service_jobs_contract_number_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_jobs')),
    sa.UniqueConstraint('job_id', name=op.f('uq_service_jobs_job_id'))
    )
    with op.batch_alter_table('service_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_jobs_contract_number'), ['contract_number'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('service_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_jobs_contract_number'))

    op.drop_table('service_jobs')
    with op.batch_alter_table('reserve_fund_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reserve_fund_movements_fund_id'))

    op.drop_table('reserve_fund_movements')
    with op.batch_alter_table('contract_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_units_contract_id'))

    op.drop_table('contract_units')
    with op.batch_alter_table('contract_meter_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_meter_plans_contract_id'))

    op.drop_table('contract_meter_plans')
    with op.batch_alter_table('contract_fee_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_fee_lines_contract_id'))

    op.drop_table('contract_fee_lines')
    with op.batch_alter_table('contract_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_devices_serial'))
        batch_op.drop_index(batch_op.f('ix_contract_devices_contract_id'))

    op.drop_table('contract_devices')
    op.drop_table('reserve_funds')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_customer_number'))

    op.drop_table('contracts')
    with op.batch_alter_table('billed_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billed_charges_draft_invoice_id'))

    op.drop_table('billed_charges')
    with op.batch_alter_table('draft_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_invoices_customer_number'))
        batch_op.drop_index(batch_op.f('ix_draft_invoices_bill_run_id'))

    op.drop_table('draft_invoices')
    with op.batch_alter_table('meter_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_meter_reads_read_on')

    op.drop_table('meter_reads')
    op.drop_table('index_values')
    op.drop_table('held_periods')
    with op.batch_alter_table('billing_blocks', schema=None) as batch_op:
        batch_op.drop_index('ix_billing_blocks_target')

    op.drop_table('billing_blocks')
    op.drop_table('bill_runs')
