"""SLA report indexes

The manager's report (`sla.report_sql`) reads a period at a time: tickets received, first replied
and resolved (solved, or closed without being solved) in it, and clocks met or missed in it. Each
of those range scans gets its index, so a month's report reads that month, not the whole table.

This file was written after 0004_privacy and revises it (the newest revision at the time): the
chain is 0001, 0002, 0004, 0003.

Revision ID: 0003
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tickets_created', 'tickets', ['created_at'])
    op.create_index('ix_tickets_first_reply', 'tickets', ['first_reply_at'])
    op.create_index('ix_tickets_resolved', 'tickets', [sa.text('coalesce(solved_at, closed_at)')])
    op.create_index('ix_sla_clocks_state_stopped', 'sla_clocks', ['state', 'stopped_at'])


def downgrade() -> None:
    op.drop_index('ix_sla_clocks_state_stopped', table_name='sla_clocks')
    op.drop_index('ix_tickets_resolved', table_name='tickets')
    op.drop_index('ix_tickets_first_reply', table_name='tickets')
    op.drop_index('ix_tickets_created', table_name='tickets')
