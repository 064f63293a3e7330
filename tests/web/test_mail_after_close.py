"""A customer who writes again after their ticket was closed is seen: reopened, or a linked follow-up.

Customer Service Policy section 4 tells customers to "reply in the original return ticket thread";
that reply must reach an agent with a running clock, whenever it comes.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from mailcli import ingest, write_config
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, Ticket

FIRST_ID = "<first-ap123456@example.com>"


def _closed_ticket(console: Console, config_path: Path, clock: FrozenClock) -> str:
    """A customer's mail ingested, then closed by an agent from the console; its reference."""
    first = ingest(config_path, clock, make_mail(message_id=FIRST_ID, date=clock.now()))
    assert first["status"] == "created"
    reference = first["ticket"]
    assert console.post(f"/tickets/{reference}/status", {"status": "closed"}).status_code == 302
    assert reference not in console.get("/tickets").text
    return reference


def _reply(clock: FrozenClock) -> bytes:
    return make_mail(subject="Re: Where is my order AP-123456?", body="Hello again, where is my refund?\n",
                     in_reply_to=FIRST_ID, references=FIRST_ID, date=clock.now())


def _listed_row(console: Console, reference: str) -> str:
    """The default list's row of `reference` (active tickets of the agent's queues)."""
    page = console.get("/tickets").text
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(reference)}(?:(?!</tr>).)*</tr>", page, re.S)
    assert row, f"{reference} is not in the default list"
    return row.group(0)


def _notified(reader: sessionmaker[Session], reference: str) -> list[str]:
    with reader() as s:
        return list(s.scalars(select(Outbox.rcpt).join(Ticket, Ticket.id == Outbox.ticket_id)
                              .where(Outbox.kind == "notification", Ticket.reference == reference)))


def test_reply_30_days_after_closing_opens_a_linked_ticket_with_a_running_clock(
        console: Console, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # Past `reopen_within_days` (14 by default) the reply opens a follow-up in the same queue, linked to the
    # closed ticket; it is in the default list with a running reply clock, and the queue's agent is told.
    console.sign_in(staff.agent)
    config_path = write_config(tmp_path, web_config)
    closed = _closed_ticket(console, config_path, frozen_clock)
    frozen_clock.advance(dt.timedelta(days=30))
    outcome = ingest(config_path, frozen_clock, _reply(frozen_clock))
    console.sign_in(staff.agent)  # a month on, the agent signs in again
    assert outcome["status"] == "created" and outcome["ticket"] != closed
    follow_up = outcome["ticket"]
    _listed_row(console, follow_up)
    page = console.get(f"/tickets/{follow_up}").text
    assert "where is my refund?" in page and closed in page
    assert re.search(r"reply\b.*?\bleft\b", page, re.S | re.I)
    assert _notified(reader, follow_up) == [staff.agent.email]
    with reader() as s:
        old, new = (s.scalar(select(Ticket).where(Ticket.reference == r)) for r in (closed, follow_up))
        assert old.status == "closed" and new.linked_ticket_id == old.id and new.queue == old.queue


def test_reply_soon_after_closing_reopens_the_ticket(console: Console, reader: sessionmaker[Session],
                                                     web_config: Config, staff: Staff, tmp_path: Path,
                                                     frozen_clock: FrozenClock) -> None:
    # Within the period the same ticket opens again, shows in the default list with a running reply clock,
    # and the queue's agent is told; an out-of-office answer would not have reopened it.
    console.sign_in(staff.agent)
    config_path = write_config(tmp_path, web_config, "[tickets]\nreopen_within_days = 40\n")
    closed = _closed_ticket(console, config_path, frozen_clock)
    frozen_clock.advance(dt.timedelta(days=30))
    outcome = ingest(config_path, frozen_clock, _reply(frozen_clock))
    console.sign_in(staff.agent)  # a month on, the agent signs in again
    assert outcome == {**outcome, "status": "threaded", "ticket": closed}
    assert 'status-open">' in _listed_row(console, closed)
    assert re.search(r"reply\b.*?\bleft\b", console.get(f"/tickets/{closed}").text, re.S | re.I)
    assert _notified(reader, closed) == [staff.agent.email]
