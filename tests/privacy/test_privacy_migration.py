"""Upgrading an existing SQLite database to the Python-fed search index keeps its tickets searchable,
and later changes keep the index consistent."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlalchemy import select, text

from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config, DatabaseConfig, StorageConfig
from tickets.db import make_engine
from tickets.migrations import upgrade
from tickets.models import Message
from tickets.search import search_tickets

NOW = dt.datetime(2026, 11, 24, 15, 0)


def test_existing_tickets_stay_searchable_after_the_upgrade(tmp_path: Path) -> None:
    # Rows written before 0004 are found afterwards; editing and moving them updates the index cleanly.
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO customers (id, email, name, address, created_at) "
                          "VALUES (1, 'old@example.com', 'Olga Oldfield', '', :now)"), {"now": NOW})
        for ticket, body in ((1, "grinder burrs are wobbling"), (2, "kettle spout drips")):
            conn.execute(text("INSERT INTO tickets (id, reference, subject, queue, status, mailbox, customer_id, auto, "
                              "order_numbers, routing_reasons, queue_confirmed, created_at, updated_at) VALUES "
                              "(:id, :ref, 'Old', 'returns', 'open', 'support', 1, 0, '', '[]', 0, :now, :now)"),
                         {"id": ticket, "ref": f"HD-{ticket}", "now": NOW})
            conn.execute(text("INSERT INTO messages (ticket_id, direction, message_id, in_reply_to, \"references\", "
                              "mailbox, sender, sender_name, recipients, subject, text, new_text, quoted_text, "
                              "signature, html, headers, raw_sha256, auto, auto_reason, delivery, delivery_error, "
                              "received_at, created_at) VALUES (:id, 'inbound', :mid, '', '', 'support', "
                              "'old@example.com', '', '{}', 'Old', :body, :body, '', '', '', '[]', '', 0, '', '', '', "
                              ":now, :now)"), {"id": ticket, "mid": f"<{ticket}@old>", "body": body, "now": NOW})
    upgrade(engine)
    engine.dispose()
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=url),
                                 storage=StorageConfig(path=str(tmp_path / "files")))
    services = Services.build(config, FrozenClock(NOW.replace(tzinfo=dt.UTC)))
    with services.sessions.begin() as session:
        assert [t.id for t in search_tickets(session, "wobbling", None).tickets] == [1]
        assert [t.id for t in search_tickets(session, "olga", None).tickets] == [2, 1]
        message = session.scalar(select(Message).where(Message.ticket_id == 1))
        assert message is not None
        message.text = message.new_text = "burrs fixed, thanks"
        message.ticket_id = 2
    with services.sessions.begin() as session:
        assert search_tickets(session, "wobbling", None).tickets == []
        assert [t.id for t in search_tickets(session, "burrs drips", None).tickets] == [2]
        session.execute(text("INSERT INTO ticket_search(ticket_search, rank) VALUES ('integrity-check', 0)"))
    services.close()
