"""console sessions kept on the server, sign-in attempts counted atomically

`console_sessions` holds one row per signed-in browser (the SHA-256 of the random token its cookie
carries): signing out, a new password or deactivation deletes a user's rows, ending every session
at once, and the idle timeout and absolute lifetime are checked against the row, not the cookie.

`sign_in_counts` holds the sign-in limit's counters, raised by one upsert before a password is
checked, so parallel attempts cannot overrun it. The audit index answers "has this account signed
in from this address before" (an owner is not locked out by strangers' failures).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'console_sessions',
        sa.Column('token_hash', sa.String(64), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=False))
    op.create_index('ix_console_sessions_user_id', 'console_sessions', ['user_id'])
    op.create_table(
        'sign_in_counts',
        sa.Column('key', sa.String(400), primary_key=True),
        sa.Column('window_start', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False))
    op.create_index('ix_audit_events_actor_action', 'audit_events', ['actor', 'action'])


def downgrade() -> None:
    op.drop_index('ix_audit_events_actor_action', table_name='audit_events')
    op.drop_table('sign_in_counts')
    op.drop_index('ix_console_sessions_user_id', table_name='console_sessions')
    op.drop_table('console_sessions')
