"""privacy: append-only audit log, encrypted columns, search index fed from Python

Audit (docs/policies.md): UPDATE and DELETE on `audit_events` are refused by the database itself,
so no code path (nor a hand-typed statement) can rewrite the trail. TRUNCATE stays an operator's
privilege.

Encryption: customer names and addresses, message bodies, HTML, headers and sender names, the
quarantined and outgoing mail are sealed by the application (`tickets.crypto`). The columns keep
their types (a sealed JSON value is stored as one JSON string). Rows written before this revision
stay readable as they are; `helpdesk keys rotate` seals them.

Search: the database cannot read sealed text, so the triggers of 0002 that built the index are
dropped and `tickets.search_feed` maintains it from Python. On SQLite the FTS5 table becomes
contentless (terms only, never the text as written), with `search_documents` keeping each
document's text, sealed, because SQLite 3.40's contentless FTS5 can drop a document only when
given the exact text it indexed. It is filled here from the (still plain) existing rows.

This revision is one-way: sealed text cannot be handed back to database triggers.

Revision ID: 0004
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None

_REFUSE = "audit_events is append-only"

_PG_AUDIT = f"""
CREATE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{_REFUSE}: % refused', TG_OP; END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse();
"""

_FTS_COLUMNS = "reference, subject, customer, order_numbers, body"

# The document of every existing ticket, as tickets.search_feed.documents builds it.
_SQLITE_DOCUMENTS = """
INSERT INTO search_documents(ticket_id, fields)
SELECT t.id, json_array(coalesce(t.reference, ''), t.subject, coalesce(c.email, '') || ' ' || coalesce(c.name, ''),
       t.order_numbers,
       coalesce((SELECT group_concat(b, ' ') FROM (SELECT CASE WHEN m.new_text <> '' THEN m.new_text ELSE m.text END AS b
                 FROM messages m WHERE m.ticket_id = t.id AND (m.new_text <> '' OR m.text <> '') ORDER BY m.id)), ''))
FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
"""


def _audit_upgrade(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(_PG_AUDIT)
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                   f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}: {event} refused'); END")


def _drop_index_triggers(dialect: str) -> None:
    """Drop every trigger (and PostgreSQL trigger function) that fed the index from SQL."""
    bind = op.get_bind()
    if dialect == "postgresql":
        rows = bind.execute(sa.text("SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                                    "WHERE tgname LIKE 'ticket_search%' AND NOT tgisinternal")).all()
        for name, table in rows:
            op.execute(f'DROP TRIGGER "{name}" ON "{table}"')
        functions = bind.execute(sa.text("SELECT oid::regprocedure::text FROM pg_proc "
                                         "WHERE proname LIKE 'ticket_search%'")).scalars().all()
        for signature in functions:
            op.execute(f"DROP FUNCTION {signature}")
        return
    names = bind.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                 "AND name LIKE 'ticket_search%'")).scalars().all()
    for name in names:
        op.execute(f'DROP TRIGGER "{name}"')


def _sqlite_index() -> None:
    op.execute("DROP TABLE ticket_search")
    op.execute(f"CREATE VIRTUAL TABLE ticket_search USING fts5({_FTS_COLUMNS}, content = '', "
               "tokenize = 'unicode61 remove_diacritics 2')")
    op.execute(_SQLITE_DOCUMENTS)
    op.execute(f"INSERT INTO ticket_search(rowid, {_FTS_COLUMNS}) SELECT ticket_id, "
               + ", ".join(f"json_extract(fields, '$[{i}]')" for i in range(5)) + " FROM search_documents")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _audit_upgrade(dialect)
    op.create_table('search_documents',
    sa.Column('ticket_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('ticket_id')
    )
    _drop_index_triggers(dialect)
    if dialect == "sqlite":
        _sqlite_index()


def downgrade() -> None:
    raise RuntimeError("revision 0004 is one-way: sealed columns cannot be handed back to the search triggers of 0002")
