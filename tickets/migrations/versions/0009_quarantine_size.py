"""the size of a quarantined mail

An oversize mail is quarantined as its header block and a bounded prefix, masked; `size` records
how large the whole mail was (and lets a retry see that the kept copy is only its start).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('quarantine', sa.Column('size', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column('quarantine', 'size')
