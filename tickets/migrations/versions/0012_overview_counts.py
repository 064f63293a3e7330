"""the queue overview in one indexed aggregate

`tickets.next_warn` is the earliest warning time among a ticket's running clocks, kept beside
`next_deadline` by the clock keeper: a ticket is breached at a moment when its next deadline has
passed, at risk when its next warning has. `ix_tickets_queue_status_deadline` gains it as a last
column, so the overview counts statuses and SLA states per queue from that index alone, instead
of reading every running clock at risk. The router's unplaced tickets get a plain index
(`ix_tickets_unplaced`) in place of the partial one, whose condition SQLite never matched.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_UNPLACED = sa.text('unsure AND NOT queue_confirmed')


def upgrade() -> None:
    op.add_column('tickets', sa.Column('next_warn', sa.DateTime(), nullable=True))
    op.execute("UPDATE tickets SET next_warn = (SELECT min(sla_clocks.warn_at) FROM sla_clocks "
               "WHERE sla_clocks.ticket_id = tickets.id AND sla_clocks.running) WHERE next_deadline IS NOT NULL")
    op.drop_index('ix_tickets_queue_status_deadline', table_name='tickets')
    op.create_index('ix_tickets_queue_status_deadline', 'tickets', ['queue', 'status', 'next_deadline', 'id',
                                                                     'next_warn'])
    op.drop_index('ix_tickets_triage', table_name='tickets')
    op.create_index('ix_tickets_unplaced', 'tickets', ['queue_confirmed', 'unsure', 'status', 'queue'])


def downgrade() -> None:
    op.drop_index('ix_tickets_unplaced', table_name='tickets')
    op.create_index('ix_tickets_triage', 'tickets', ['next_deadline', 'id'], sqlite_where=_UNPLACED,
                    postgresql_where=_UNPLACED)
    op.drop_index('ix_tickets_queue_status_deadline', table_name='tickets')
    op.create_index('ix_tickets_queue_status_deadline', 'tickets', ['queue', 'status', 'next_deadline', 'id'])
    op.drop_column('tickets', 'next_warn')
