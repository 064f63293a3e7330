"""full-text search index and console presence

One search document per ticket (reference, subject, customer email and name, order numbers, and
the text of every message), so a search returns tickets, newest first, straight from the index.

The index is kept in sync by triggers, not by explicit writes from Python: every writer (mail
ingestion, the console, merges that move messages, the retention job that blanks bodies, an
erasure that rewrites a customer) then updates it in the same transaction without knowing it
exists, and erased text leaves the index with the row. SQLite: an FTS5 table whose rowid is the
ticket id. PostgreSQL: a table of tsvectors with a GIN index, filled by one SQL function.

Each message contributes its new text (its whole text when no new part was told apart), so a
long thread whose replies quote each other is indexed once, not quadratically.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_BODY = "CASE WHEN m.new_text <> '' THEN m.new_text ELSE m.text END"

# SQLite: the document of every ticket matching {where}, written into the FTS5 table.
_SQLITE_FILL = f"""
INSERT INTO ticket_search(rowid, reference, subject, customer, order_numbers, body)
SELECT t.id, coalesce(t.reference, ''), t.subject, coalesce(c.email, '') || ' ' || coalesce(c.name, ''),
       t.order_numbers, coalesce((SELECT group_concat({_BODY}, ' ') FROM messages m WHERE m.ticket_id = t.id), '')
FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE {{where}};"""

# (trigger name, event, ids to refresh); each refreshes one or two tickets by rowid.
_SQLITE_TRIGGERS = [
    ("tickets_ai", "AFTER INSERT ON tickets", ["NEW.id"]),
    ("tickets_au", "AFTER UPDATE OF reference, subject, order_numbers, customer_id ON tickets", ["NEW.id"]),
    ("messages_ai", "AFTER INSERT ON messages", ["NEW.ticket_id"]),
    ("messages_au", "AFTER UPDATE OF ticket_id, text, new_text ON messages", ["OLD.ticket_id", "NEW.ticket_id"]),
    ("messages_ad", "AFTER DELETE ON messages", ["OLD.ticket_id"]),
]


def _sqlite_refresh(ticket_id: str) -> str:
    return f"DELETE FROM ticket_search WHERE rowid = {ticket_id};" + _SQLITE_FILL.format(where=f"t.id = {ticket_id}")


def _sqlite_upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE ticket_search USING fts5(reference, subject, customer, order_numbers, body, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    for name, event, ids in _SQLITE_TRIGGERS:
        body = "\n".join(_sqlite_refresh(i) for i in ids)
        op.execute(f"CREATE TRIGGER ticket_search_{name} {event} BEGIN\n{body}\nEND")
    op.execute("CREATE TRIGGER ticket_search_tickets_ad AFTER DELETE ON tickets BEGIN "
               "DELETE FROM ticket_search WHERE rowid = OLD.id; END")
    op.execute("CREATE TRIGGER ticket_search_customers_au AFTER UPDATE OF email, name ON customers BEGIN "
               "DELETE FROM ticket_search WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = NEW.id);"
               + _SQLITE_FILL.format(where="t.customer_id = NEW.id") + " END")
    op.execute(_SQLITE_FILL.format(where="1 = 1"))


_PG_FUNCTIONS = f"""
CREATE FUNCTION ticket_search_refresh(tid integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_search(ticket_id, document)
  SELECT t.id, to_tsvector('simple', left(concat_ws(' ', t.reference, t.subject, c.email, c.name, t.order_numbers,
         (SELECT string_agg({_BODY}, ' ') FROM messages m WHERE m.ticket_id = t.id)), 200000))
  FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.id = tid
  ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document;
$$;
CREATE FUNCTION ticket_search_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM ticket_search_refresh(NEW.id); RETURN NULL; END $$;
CREATE FUNCTION ticket_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM ticket_search_refresh(OLD.ticket_id); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM ticket_search_refresh(NEW.ticket_id); END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION ticket_search_on_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM ticket_search_refresh(t.id) FROM tickets t WHERE t.customer_id = NEW.id; RETURN NULL; END $$;
"""

_PG_TRIGGERS = """
CREATE TRIGGER ticket_search_tickets AFTER INSERT OR UPDATE OF reference, subject, order_numbers, customer_id
  ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket();
CREATE TRIGGER ticket_search_messages AFTER INSERT OR DELETE OR UPDATE OF ticket_id, text, new_text
  ON messages FOR EACH ROW EXECUTE FUNCTION ticket_search_on_message();
CREATE TRIGGER ticket_search_customers AFTER UPDATE OF email, name
  ON customers FOR EACH ROW EXECUTE FUNCTION ticket_search_on_customer();
"""


def _postgresql_upgrade() -> None:
    op.execute("CREATE TABLE ticket_search (ticket_id integer PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE, "
               "document tsvector NOT NULL)")
    op.execute("CREATE INDEX ix_ticket_search_document ON ticket_search USING gin (document)")
    op.execute(_PG_FUNCTIONS)
    op.execute(_PG_TRIGGERS)
    op.execute("SELECT ticket_search_refresh(id) FROM tickets")


def upgrade() -> None:
    op.create_table('presence',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=16), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('ticket_id', 'user_id')
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("tickets", "messages", "customers"):
            op.execute(f"DROP TRIGGER ticket_search_{table} ON {table}")
        for function in ("on_ticket()", "on_message()", "on_customer()", "refresh(integer)"):
            op.execute(f"DROP FUNCTION ticket_search_{function}")
    else:
        for name in [n for n, _, _ in _SQLITE_TRIGGERS] + ["tickets_ad", "customers_au"]:
            op.execute(f"DROP TRIGGER ticket_search_{name}")
    op.execute("DROP TABLE ticket_search")
    op.drop_table('presence')
