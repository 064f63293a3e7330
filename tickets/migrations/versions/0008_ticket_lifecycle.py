"""tickets untouched for the retention period

Retention covers every ticket past the period whatever its status: one closed long enough ago, or
one nothing happened on for that long. This index serves the second half of that daily query.

Revision ID: 0008
Revises: 0006
"""
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tickets_updated', 'tickets', ['updated_at'])


def downgrade() -> None:
    op.drop_index('ix_tickets_updated', table_name='tickets')
