"""tickets untouched for the retention period; a customer's former addresses

Retention covers every ticket past the period whatever its status: one closed long enough ago, or
one nothing happened on for that long. The index on `updated_at` serves the second half of that
daily query. A customer who corrects their contact email keeps the old one as an alias, so their
mail from it is still theirs.

Revision ID: 0008
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tickets_updated', 'tickets', ['updated_at'])
    op.create_table(
        'customer_aliases',
        sa.Column('email', sa.String(320), primary_key=True),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_customer_aliases_customer_id', 'customer_aliases', ['customer_id'])


def downgrade() -> None:
    op.drop_index('ix_customer_aliases_customer_id', table_name='customer_aliases')
    op.drop_table('customer_aliases')
    op.drop_index('ix_tickets_updated', table_name='tickets')
