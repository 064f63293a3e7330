"""stored report figures

The manager's report over a long period added up business times it computed for every ticket in
it; over two years and a million tickets that took seconds. These tables hold each reported
ticket's and each stopped clock's figures, derived once (`sla.report_facts`) and kept current by
`sla.report_feed`, and their counts per day (`sla.report_daily`), so a report only adds them up.

The tables start empty: until `helpdesk report rebuild` (or the scheduler's `report-facts` job)
fills them, reports compute their figures from scratch, as before.

Revision ID: 0005
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None

_COUNTS = ('received', 'reply_met', 'reply_missed', 'triage_met', 'triage_missed', 'resolution_met',
           'resolution_missed', 'refund_early', 'refund_at_risk', 'refund_missed')


def _columns(kind: sa.types.TypeEngine, *names: str, nullable: bool = False) -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=nullable) for name in names]


def _key(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), autoincrement=False, nullable=False)


def upgrade() -> None:
    op.create_table('report_state', _key('id'), sa.Column('calendar', sa.Text(), nullable=False),
                    *_columns(sa.Integer(), 'first_day', 'last_day'),
                    sa.Column('built_at', sa.DateTime(), nullable=False), sa.PrimaryKeyConstraint('id'))
    slots = [f'{edge}{k}' for k in range(4) for edge in ('lo', 'hi')]
    op.create_table('report_hours', _key('day'), *_columns(sa.Float(), 'base', *slots, 'date_split'),
                    *_columns(sa.Integer(), 'date_before', 'date_after'), sa.PrimaryKeyConstraint('day'))
    op.create_table('report_tickets', _key('ticket_id'), sa.Column('queue', sa.String(length=64), nullable=False),
                    *_columns(sa.Integer(), 'received_on'),
                    *_columns(sa.Integer(), 'assignee_id', 'replied_on', 'first_reply_minutes', 'resolved_on',
                              'resolution_minutes', nullable=True),
                    sa.PrimaryKeyConstraint('ticket_id'))
    op.create_index('ix_report_tickets_replied', 'report_tickets', ['replied_on'])
    op.create_index('ix_report_tickets_resolved', 'report_tickets', ['resolved_on'])
    for day, minutes in (('replied_on', 'first_reply_minutes'), ('resolved_on', 'resolution_minutes')):
        name = day.split('_')[0]
        op.create_index(f'ix_report_tickets_{name}_queue', 'report_tickets', ['queue', minutes, 'assignee_id', day])
        op.create_index(f'ix_report_tickets_{name}_agent', 'report_tickets', ['assignee_id', minutes, 'queue', day])
    op.create_table('report_clocks', _key('clock_id'), *_columns(sa.Integer(), 'ticket_id', 'stopped_on'),
                    sa.Column('queue', sa.String(length=64), nullable=False),
                    sa.Column('assignee_id', sa.Integer(), nullable=True),
                    *_columns(sa.String(length=16), 'kind', 'state'), sa.Column('early', sa.Boolean(), nullable=False),
                    sa.Column('late_seconds', sa.Float(), nullable=True), sa.PrimaryKeyConstraint('clock_id'))
    op.create_index('ix_report_clocks_ticket', 'report_clocks', ['ticket_id'])
    op.create_index('ix_report_clocks_stopped', 'report_clocks', ['stopped_on'])
    op.create_index('ix_report_clocks_late', 'report_clocks', ['late_seconds'])
    op.create_table('report_daily', sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('queue', sa.String(length=64), nullable=False),
                    sa.Column('assignee_id', sa.Integer(), nullable=True),
                    *_columns(sa.Integer(), 'day', *_COUNTS), sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_report_daily_day', 'report_daily', ['day'])


def downgrade() -> None:
    op.drop_table('report_daily')
    op.drop_table('report_clocks')
    op.drop_table('report_tickets')
    op.drop_table('report_hours')
    op.drop_table('report_state')
