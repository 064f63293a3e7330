"""The daily at-risk digest: each ticket's people get the list of its clocks at risk or breached.

The `sla-check` job mails once when a clock turns at risk or breached; a notice read and forgotten
is no reminder. Every day at `[sla] digest_time` (the calendar's wall clock) the scheduler's
`sla-at-risk` job sends each person one mail listing the open tickets whose running clocks are at
risk or breached at that moment (`sla.state`), to the same people a notice goes to
(`tickets.notify`: assignee, team address, the queue's agents, managers, admins). A run that finds
today's digest queued to someone already skips them, so a restart catching up mails nobody twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sla.calendar import WorkingCalendar
from sla.reports.digest import already_sent
from sla.scheduler import add_job, in_session
from sla.state import state_at
from tickets.clock import Clock
from tickets.config import Config, at_risk_digest_time
from tickets.models import SlaClock, Ticket
from tickets.notify import recipients
from tickets.operations import OPEN_STATUSES
from tickets.outbox import queue_notification

log = logging.getLogger(__name__)
AT_RISK_JOB = "sla-at-risk"


def _at_risk(session: Session, now: dt.datetime) -> list[tuple[Ticket, SlaClock, str]]:
    """Running clocks of open tickets past their warning at `now`, soonest deadline first."""
    rows = session.execute(select(Ticket, SlaClock).join(SlaClock, SlaClock.ticket_id == Ticket.id)
                           .where(SlaClock.running.is_(True), SlaClock.warn_at <= now,
                                  Ticket.status.in_(OPEN_STATUSES))
                           .order_by(SlaClock.due_at, SlaClock.id)).all()
    return [(ticket, clock, state_at(True, clock.state, clock.warn_at, clock.due_at, now)) for ticket, clock in rows]


def send_at_risk_digest(session: Session, config: Config, calendar: WorkingCalendar, now: dt.datetime) -> int:
    """Queue today's digest to everyone with a ticket at risk; how many mails were queued."""
    lines: dict[str, list[str]] = defaultdict(list)
    for ticket, clock, state in _at_risk(session, now):
        assert clock.due_at is not None
        due = calendar.local(clock.due_at)
        line = (f"{ticket.reference}  {clock.kind} {state.replace('_', ' ')}, due {due:%a %d %b %H:%M %Z}  "
                f"[{ticket.queue}] {ticket.subject}")
        for to in recipients(session, config, ticket):
            lines[to].append(line)
    today = calendar.local(now)
    subject = f"SLA: tickets at risk or breached, {today:%A %d %B %Y}"
    sent = 0
    for to, found in sorted(lines.items()):
        if already_sent(session, to, subject, now - dt.timedelta(hours=20)):
            continue
        body = (f"{len(found)} deadline(s) at risk or breached on tickets you answer for, as of "
                f"{today:%H:%M %Z}:\n\n" + "\n".join(found) + "\n")
        queue_notification(session, config, to=to, subject=subject, body=body, ticket=None, now=now)
        sent += 1
    log.info("SLA at-risk digest: %d mail(s) queued", sent)
    return sent


def schedule_at_risk_digest(scheduler: BackgroundScheduler, config: Config, calendar: WorkingCalendar,
                            session_factory: sessionmaker[Session], clock: Clock) -> Job:
    """Add the daily job (cron, on the calendar's time zone) to `scheduler`."""
    hour, minute = at_risk_digest_time(config)
    job = in_session(session_factory, clock, lambda session, now: send_at_risk_digest(session, config, calendar, now))
    return add_job(scheduler, AT_RISK_JOB, job, trigger="cron", hour=hour, minute=minute, timezone=calendar.tz)
