"""Tickets close by themselves and nothing is kept past the retention period, whatever its status
(Privacy Policy 003: anonymisation after the 60-day after-sales cycle, closed data cleaned automatically)."""
from __future__ import annotations

import datetime as dt
import json

import webseed
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from inbox.ingest import RawMail
from services import Services
from services.scheduler import CLOSE_JOB, make_scheduler
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, Quarantine, Ticket
from tickets.outbox import queue_notification


def _status(reader: sessionmaker[Session], ticket: Ticket) -> str:
    with reader() as s:
        return s.get(Ticket, ticket.id).status


def _auto_reply(services: Services) -> str:
    """An out-of-office reply through the whole ingestion pipeline; the reference of its ticket."""
    raw = make_mail(sender="Kim Lee <kim@example.com>", subject="Automatic reply: I am away",
                    body="I am out of the office until Monday.\n", headers={"Auto-Submitted": "auto-replied"})
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(raw, "ooo")], "support")
    assert outcome.status == "auto" and outcome.ticket
    return outcome.ticket


def test_solved_tickets_close_after_a_quiet_week_and_automatic_mail_at_once(
        console: Console, services: Services, writer: sessionmaker[Session], reader: sessionmaker[Session],
        web_config: Config, desk: Desk, staff: Staff, frozen_clock: FrozenClock) -> None:
    # Both tickets are solved today; Emily writes again on the return the next day, which reopens it,
    # so only the tracking ticket stays quiet. The hourly job closes it once 7 days have passed, not before.
    console.sign_in(staff.agent)
    for ticket in (desk.tracking, desk.returns):
        console.post(f"/tickets/{ticket.reference}/status", {"status": "solved"})
    with writer.begin() as s:
        webseed.follow_up(s, web_config, s.get(Ticket, desk.returns.id),
                          webseed.parsed("Re: Return request", "One more question about the label.",
                                         received=webseed.T0 + dt.timedelta(days=1)))
    auto = _auto_reply(services)
    with reader() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.reference == auto)) == "closed"
    close = make_scheduler(services).get_job(CLOSE_JOB)
    assert close is not None
    frozen_clock.advance(dt.timedelta(days=6))
    close.func()
    assert (_status(reader, desk.tracking), _status(reader, desk.returns)) == ("solved", "open")
    frozen_clock.advance(dt.timedelta(days=2))
    close.func()
    assert (_status(reader, desk.tracking), _status(reader, desk.returns)) == ("closed", "open")
    history = console.sign_in(staff.agent).get(f"/tickets/{desk.tracking.reference}").text  # a week on: signs in again
    assert "solved to closed" in history


def test_the_retention_dry_run_ten_years_ahead_lists_every_ticket_whatever_its_status(  # type: ignore[no-untyped-def]
        run_cli, console: Console, services: Services, writer: sessionmaker[Session], reader: sessionmaker[Session],
        web_config: Config, desk: Desk, staff: Staff, frozen_clock: FrozenClock) -> None:
    # One ticket solved, one pending, one new, one automatic (closed): ten years on, all are past the
    # period, and the run also drops held quarantined mail and empties sent mail to staff.
    console.sign_in(staff.agent)
    console.post(f"/tickets/{desk.tracking.reference}/status", {"status": "solved"})
    console.post(f"/tickets/{desk.returns.reference}/status", {"status": "pending"})
    auto = _auto_reply(services)
    with writer.begin() as s:
        fresh = webseed.ticket(s, web_config, webseed.parsed("Bulk order", "100 units please"), queue="wholesale")
        s.add(Quarantine(mailbox="support", source="x", stage="parse", error="broken", raw=b"From: x\n\nbody",
                         status="held", created_at=webseed.T0))
        notice = queue_notification(s, web_config, to="max@aeropressmall.com", subject="digest", body="figures",
                                    ticket=None, now=webseed.T0)
        notice.status = "sent"
    statuses = {_status(reader, t) for t in (desk.tracking, desk.returns, fresh)} | {"closed"}
    assert statuses == {"solved", "pending", "new", "closed"}
    everything = sorted([desk.tracking.reference, desk.returns.reference, fresh.reference, auto])
    frozen_clock.advance(dt.timedelta(days=3653))
    code, out, _ = run_cli("retention", "run", "--dry-run")
    assert code == 0 and sorted(json.loads(out)["references"]) == everything
    code, out, _ = run_cli("retention", "run")
    result = json.loads(out)
    assert (result["tickets"], result["quarantine_deleted"], result["outbox_emptied"]) == (4, 1, 1)
    with reader() as s:
        assert s.scalar(select(Quarantine)) is None
        assert [(row.rcpt, row.raw) for row in s.scalars(select(Outbox).where(Outbox.id == notice.id))] == \
            [("", b"")]
        assert all(t.anonymised_at is not None and t.subject == "" for t in s.scalars(select(Ticket)))
