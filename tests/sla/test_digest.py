"""The weekly SLA digest to managers, on SQLite and PostgreSQL (office hours 09:00-18:00 New York).

The digest runs on Monday 23 November 2026 at 08:00 and covers Monday 16 to Sunday 22 November.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import cast

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from reportkit import NY, Desk, ny
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import Services
from sla.reports.digest import DIGEST_JOB, schedule_digest, send_digest
from tickets.clock import FrozenClock
from tickets.config import Config, ReportsConfig
from tickets.errors import ConfigError
from tickets.models import Outbox, Ticket

MONDAY_8 = ny(11, 23, 8)


def mails(session: Session) -> list[tuple[str, str, str]]:
    """(recipient, subject, text) of every queued notification, oldest first."""
    found = []
    for row in session.scalars(select(Outbox).where(Outbox.kind == "notification").order_by(Outbox.id)):
        message = cast(EmailMessage, message_from_bytes(row.raw, policy=default))
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # quoted-printable keeps CRLF
        found.append((row.rcpt, str(message["Subject"]), text))
    return found


@pytest.fixture
def week(session: Session, config: Config) -> dict[str, Ticket]:
    """Managers Max (active) and Old (inactive), agent Ana; a quick reply, a late one, an overdue return."""
    desk = Desk(session, config)
    desk.user("Max", role="manager")
    desk.user("Old", role="manager", active=False)
    ana = desk.user("Ana")
    late = desk.answered("presales.general", ny(11, 17, 9), ny(11, 19, 12), ana)
    desk.answered("presales.general", ny(11, 16, 10), ny(11, 16, 11), ana)
    waiting = desk.ticket("returns", ny(11, 19, 10))
    desk.clock(waiting, "reply", ny(11, 19, 10), state="breached")
    return {"late": late, "waiting": waiting}


def test_digest_mails_last_weeks_figures_and_worst_breaches_to_active_managers(
        session: Session, config: Config, week: dict[str, Ticket]) -> None:
    # Only the active manager gets it: the week's headline figures, then the breaches, the latest first.
    assert send_digest(session, config, MONDAY_8) == 1
    [(to, subject, body)] = mails(session)
    assert (to, subject) == ("max@aeropressmall.com", "SLA digest: Mon 16 Nov to Sun 22 Nov 2026")
    for line in ("Received: 3 tickets", "Replies: 1 on time, 1 late (50.0% on time)",
                 "First reply: median 11.0 h, p90 19.0 h", "Now: 1 awaiting a reply, 1 tickets past a deadline",
                 "Breaches: 2"):
        assert line in body
    worst = body.split("Worst breaches (2 of 2):\n")[1].splitlines()
    assert worst[:2] == [f"  {week['waiting'].reference}  returns  reply  8.0 business hours late (still open)",
                         f"  {week['late'].reference}  presales.general  reply  3.0 business hours late (stopped)"]


def test_configured_recipients_replace_the_managers(session: Session, config: Config,
                                                    week: dict[str, Ticket]) -> None:
    # digest_recipients, when set, are the only recipients.
    chosen = dataclasses.replace(config, reports=ReportsConfig(digest_recipients=("boss@aeropressmall.com",
                                                                                  "ops@aeropressmall.com")))
    assert send_digest(session, chosen, MONDAY_8) == 2
    assert [to for to, _, _ in mails(session)] == ["boss@aeropressmall.com", "ops@aeropressmall.com"]


def test_a_second_run_the_same_week_mails_nobody_twice(session: Session, config: Config,
                                                       week: dict[str, Ticket]) -> None:
    # A catch-up run after a restart finds the week's digest queued; next week's goes out.
    assert send_digest(session, config, MONDAY_8) == 1
    assert send_digest(session, config, MONDAY_8 + dt.timedelta(hours=2)) == 0
    assert send_digest(session, config, MONDAY_8 + dt.timedelta(days=7)) == 1
    assert [subject for _, subject, _ in mails(session)] == ["SLA digest: Mon 16 Nov to Sun 22 Nov 2026",
                                                             "SLA digest: Mon 23 Nov to Sun 29 Nov 2026"]


def test_scheduled_weekly_at_the_configured_local_time(config: Config, services: Services) -> None:
    # The job fires on the configured weekday and time of the shop's timezone.
    scheduler = BackgroundScheduler(timezone=NY)
    friday = dataclasses.replace(config, reports=ReportsConfig(digest_weekday="fri", digest_time="17:30"))
    job = schedule_digest(scheduler, friday, services.calendar, services.sessions, services.clock)
    assert job.id == DIGEST_JOB
    assert job.trigger.get_next_fire_time(None, MONDAY_8) == dt.datetime(2026, 11, 27, 17, 30, tzinfo=NY)
    monday = schedule_digest(scheduler, config, services.calendar, services.sessions, services.clock)
    assert monday.trigger.get_next_fire_time(None, MONDAY_8 + dt.timedelta(minutes=1)) == \
        dt.datetime(2026, 11, 30, 8, 0, tzinfo=NY)
    assert [j.id for j in scheduler.get_jobs()] == [DIGEST_JOB]


def test_bad_digest_time_names_the_key(config: Config, services: Services) -> None:
    # A digest_time that is not HH:MM stops the scheduler setup with a clear error.
    wrong = dataclasses.replace(config, reports=ReportsConfig(digest_time="8am"))
    with pytest.raises(ConfigError, match=r"reports.digest_time must be a time like \"08:00\", not '8am'"):
        schedule_digest(BackgroundScheduler(timezone=NY), wrong, services.calendar, services.sessions, services.clock)


def test_the_job_queues_the_digest_in_its_own_transaction(session: Session, config: Config, services: Services,
                                                          week: dict[str, Ticket], frozen_clock: FrozenClock) -> None:
    # Run as the scheduler would (its clock, its own committed transaction), the digest lands in the outbox.
    session.commit()
    frozen_clock.set(MONDAY_8)
    job = schedule_digest(BackgroundScheduler(timezone=NY), config, services.calendar, services.sessions, frozen_clock)
    job.func()
    with services.sessions() as reader:
        assert [(to, subject) for to, subject, _ in mails(reader)] == [
            ("max@aeropressmall.com", "SLA digest: Mon 16 Nov to Sun 22 Nov 2026")]
