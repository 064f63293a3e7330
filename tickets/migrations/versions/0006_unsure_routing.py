"""tickets the router was unsure of

A ticket whose mail the router could not place with confidence opens in its mailbox's default
queue marked `unsure`, for an agent to triage; the console lists those first. The partial index
serves that list: it holds only unsure tickets no agent has placed yet, so it stays small.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_UNPLACED = sa.text('unsure AND NOT queue_confirmed')


def upgrade() -> None:
    op.add_column('tickets', sa.Column('unsure', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.create_index('ix_tickets_triage', 'tickets', ['next_deadline', 'id'], sqlite_where=_UNPLACED,
                    postgresql_where=_UNPLACED)


def downgrade() -> None:
    op.drop_index('ix_tickets_triage', table_name='tickets')
    op.drop_column('tickets', 'unsure')
