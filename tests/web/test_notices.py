"""SLA notices always reach someone, and a daily digest lists what is at risk (issue 15).

New tickets are unassigned and no queue has a team address by default: the notice goes to the
queue's agents, else the managers, else the admins. Mail comes in through `helpdesk ingest`; the
scheduler's own jobs run the checks.
"""
from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from mailcli import ingest, write_config
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webseed import Staff

from cli.main import main
from services import Services
from services.scheduler import make_scheduler
from sla.at_risk_digest import AT_RISK_JOB
from sla.scheduler import SLA_CHECK
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, Ticket

PRESALES = make_mail(sender="Jo <jo@example.com>", to="press@aeropressmall.com",
                     subject="Which filters fit the AeroPress Go?", body="Hello, do paper filters fit the Go?\n")


def _run_job(services: Services, job_id: str) -> None:
    make_scheduler(services).get_job(job_id).func()


def _notices(reader: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    """(recipient, ticket reference or '', subject) of every notification queued, oldest first."""
    with reader() as s:
        rows = s.execute(select(Outbox.rcpt, Ticket.reference, Outbox.raw)
                         .outerjoin(Ticket, Ticket.id == Outbox.ticket_id)
                         .where(Outbox.kind == "notification").order_by(Outbox.id)).all()
    return [(rcpt, reference or "", str(message_from_bytes(raw, policy=default)["Subject"]))
            for rcpt, reference, raw in rows]


def test_breach_notices_go_to_the_queues_agents_else_managers_else_admins(
        services: Services, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # Order tracking has an agent (Sam); no agent works pre-sales, so Max the manager hears of it; once Max is
    # deactivated, Ada the admin does.
    config_path = write_config(tmp_path, web_config)
    tracking = ingest(config_path, frozen_clock, make_mail(date=frozen_clock.now()))["ticket"]
    presales = ingest(config_path, frozen_clock, PRESALES, mailbox="press")["ticket"]
    frozen_clock.advance(dt.timedelta(days=7))
    _run_job(services, SLA_CHECK)
    assert {(to, ref) for to, ref, _ in _notices(reader)} == {(staff.agent.email, tracking),
                                                              (staff.manager.email, presales)}
    assert main(["--config", str(config_path), "user", "deactivate", staff.manager.email], frozen_clock) == 0
    later = ingest(config_path, frozen_clock, make_mail(sender="kim@example.com", to="press@aeropressmall.com",
                                                        subject="Do you ship the AeroPress XL to Canada?",
                                                        date=frozen_clock.now()), mailbox="press")["ticket"]
    frozen_clock.advance(dt.timedelta(days=7))
    _run_job(services, SLA_CHECK)
    assert [to for to, ref, _ in _notices(reader) if ref == later] == [staff.admin.email]


def test_daily_digest_lists_each_persons_tickets_at_risk_once_a_day(
        services: Services, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # At 08:30 shop time each day, Sam gets one mail listing his queue's tickets past their warning (even with
    # no sla-check pass); a second run that day mails nobody again; a ticket still in time is not listed.
    config_path = write_config(tmp_path, web_config)
    late = ingest(config_path, frozen_clock, make_mail(date=frozen_clock.now()))["ticket"]
    frozen_clock.advance(dt.timedelta(days=3))  # Friday 10:00: a day past its deadline
    fresh = ingest(config_path, frozen_clock, make_mail(sender="li@example.com", date=frozen_clock.now()))["ticket"]
    job = make_scheduler(services).get_job(AT_RISK_JOB)
    assert "hour='8', minute='30'" in str(job.trigger)
    job.func()
    job.func()
    digests = [(to, ref, subject) for to, ref, subject in _notices(reader) if "at risk" in subject]
    assert [(to, ref) for to, ref, _ in digests] == [(staff.agent.email, "")]
    with reader() as s:
        body = message_from_bytes(s.scalar(select(Outbox.raw).where(Outbox.kind == "notification")),
                                  policy=default).get_body(("plain",)).get_content()
    assert late in body and "reply breached" in body and fresh not in body
