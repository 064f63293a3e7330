"""Old mail (an imported archive, mail delayed in transit) gets no promise already broken, and every
page shows a clock's state as it is at the moment of display, not as the last scheduler pass left it."""
from __future__ import annotations

import datetime as dt
import email
import re
from email.policy import default
from pathlib import Path

from mailcli import ingest, write_config
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, SlaClock, Ticket


def _acks(reader: sessionmaker[Session], reference: str) -> list[str]:
    """The text of each acknowledgement queued on the ticket."""
    with reader() as s:
        return [email.message_from_bytes(row.raw, policy=default).get_body(("plain",)).get_content()
                for row in s.scalars(
            select(Outbox).join(Ticket, Ticket.id == Outbox.ticket_id)
            .where(Outbox.kind == "ack", Ticket.reference == reference))]


def test_mail_from_an_archive_is_not_acknowledged_and_shows_breached_everywhere(
        console: Console, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # A mail dated nine days ago, imported: no acknowledgement (older than `max_age_days`), its reply clock
    # counts from its Date, and the ticket page, the list and the overview show it breached with no scheduler pass.
    config_path = write_config(tmp_path, web_config)
    sent = frozen_clock.now() - dt.timedelta(days=9)
    reference = ingest(config_path, frozen_clock, make_mail(date=sent))["ticket"]
    assert _acks(reader, reference) == []
    with reader() as s:
        clock = s.scalar(select(SlaClock).join(Ticket).where(Ticket.reference == reference, SlaClock.kind == "reply"))
        assert clock.started_at == sent and clock.state == "ok"  # as stored: the sla-check job has not run
    console.sign_in(staff.agent)
    page = console.get(f"/tickets/{reference}").text
    assert re.search(r"<strong>Reply</strong>\s*<span class=\"badge sla-breached\">breached</span>.*?overdue by",
                     page, re.S)
    assert "sla-ok" not in page
    listed = console.get("/tickets?sla=breached").text
    assert reference in listed and "sla-breached" in listed and "sla-ok" not in listed
    assert reference not in console.get("/tickets?sla=ok").text
    row = re.search(r"Order tracking.*?</tr>", console.get("/").text, re.S).group(0)
    assert re.findall(r">(\d+)<", row)[-3:] == ["0", "0", "1"]  # SLA ok, at risk, breached


def test_acknowledgement_never_promises_a_time_already_past(reader: sessionmaker[Session], web_config: Config,
                                                           tmp_path: Path, frozen_clock: FrozenClock) -> None:
    # Our MX received the mail 36 hours ago (its Date says five days): young enough to acknowledge, but its
    # one-working-day deadline has passed, so the acknowledgement names the ticket and promises no time.
    config_path = write_config(tmp_path, web_config, '[queues."order.tracking"]\nreply_working_days = 1\n')
    received = frozen_clock.now() - dt.timedelta(hours=36)
    trace = f"from mx.example.net by mx.aeropressmall.com; {received:%a, %d %b %Y %H:%M:%S +0000}"
    mail = make_mail(date=frozen_clock.now() - dt.timedelta(days=5), headers={"Received": trace})
    reference = ingest(config_path, frozen_clock, mail)["ticket"]
    [ack] = _acks(reader, reference)
    assert reference in ack and "reply within" not in ack and "November" not in ack
    with reader() as s:
        assert s.scalar(select(Ticket.created_at).where(Ticket.reference == reference)) == received


def test_ingest_no_ack_imports_without_mailing_anyone(reader: sessionmaker[Session], web_config: Config,
                                                      tmp_path: Path, frozen_clock: FrozenClock) -> None:
    # `--no-ack` stores the mail and its clocks and queues no acknowledgement; without it, the same fresh mail
    # from another customer is acknowledged with a promise.
    config_path = write_config(tmp_path, web_config)
    quiet = ingest(config_path, frozen_clock, make_mail(date=frozen_clock.now()), "--no-ack")
    loud = ingest(config_path, frozen_clock, make_mail(sender="li@example.com", date=frozen_clock.now()))
    assert quiet["status"] == loud["status"] == "created"
    assert _acks(reader, quiet["ticket"]) == []
    assert "reply within 2 working days, by Thursday 26 November, 10:00 New York time (EST)." in \
        _acks(reader, loud["ticket"])[0]
