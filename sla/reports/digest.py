"""The weekly SLA digest: last week's headline figures and worst breaches, mailed to the managers.

The scheduler runs it at `[reports] digest_weekday` and `digest_time` on the calendar's wall clock
(docs/architecture.md). It covers the seven days before the day it runs, goes to
`digest_recipients`, or to every active manager when that list is empty, and is queued through
the outbox in the job's transaction. A run that finds the digest for that week already queued to a
recipient skips them, so a job that runs twice (a restart catching up) mails nobody twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from email import message_from_bytes
from email.policy import default as default_policy

from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sla.calendar import WorkingCalendar, calendar_for
from sla.reports.export import aligned
from sla.reports.report import Report, build_report
from sla.scheduler import add_job, in_session
from tickets.clock import Clock
from tickets.config import Config, digest_time
from tickets.models import Outbox, Role, User
from tickets.outbox import queue_notification

log = logging.getLogger(__name__)
DIGEST_JOB = "sla-digest"
WORST = 10


def recipients(session: Session, config: Config) -> list[str]:
    """The configured recipients, else every active manager."""
    if config.reports.digest_recipients:
        return list(config.reports.digest_recipients)
    return list(session.scalars(select(User.email).where(User.role == Role.MANAGER.value, User.active.is_(True))
                                .order_by(User.email)))


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} h"


def _headline(report: Report) -> list[str]:
    t = report.total
    share = "" if t.reply_on_time_percent is None else f" ({t.reply_on_time_percent:.1f}% on time)"
    warn, breach = (f"{d:g}" for d in (report.refund_warn_days, report.refund_breach_days))
    return [f"Received: {t.received} tickets",
            f"Replies: {t.replied_on_time} on time, {t.replied_late} late{share}",
            f"First reply: median {_hours(t.first_reply.median)}, p90 {_hours(t.first_reply.p90)}",
            f"Resolution: median {_hours(t.resolution.median)}, p90 {_hours(t.resolution.p90)}",
            f"Now: {t.awaiting_reply} awaiting a reply, {t.breached_open} tickets past a deadline",
            f"Refunds: {t.refunds_early} within {warn} wd, {t.refunds_at_risk} within {breach} wd, "
            f"{t.refunds_late} later; {t.refunds_open} open",
            f"Breaches: {report.breach_count}"]


def digest_text(report: Report) -> tuple[str, str]:
    """The subject and plain-text body of the digest for `report`."""
    subject = f"SLA digest: {report.start:%a %d %b} to {report.end:%a %d %b %Y}"
    lines = [f"{subject} ({report.timezone}); times are business hours.", "", *_headline(report), "",
             "By queue:"]
    lines += aligned(["queue", "received", "on time", "late", "first reply median h"],
                     [[q.queue, q.figures.received, q.figures.replied_on_time, q.figures.replied_late,
                       None if q.figures.first_reply.median is None else round(q.figures.first_reply.median, 1)]
                      for q in report.queues])
    lines += ["", f"Worst breaches ({min(WORST, len(report.breaches))} of {report.breach_count}):"]
    for b in report.breaches[:WORST]:
        state = "still open" if b.open else "stopped"
        lines.append(f"  {b.reference}  {b.queue}  {b.clock}  {b.late_hours:.1f} business hours late ({state})")
    if not report.breaches:
        lines.append("  none")
    return subject, "\n".join(lines) + "\n"


def already_sent(session: Session, to: str, subject: str, since: dt.datetime) -> bool:
    """Whether a ticketless notification with this subject was queued to `to` since `since`."""
    rows = session.scalars(select(Outbox.raw).where(Outbox.kind == "notification", Outbox.rcpt == to.lower(),
                                                    Outbox.ticket_id.is_(None), Outbox.created_at >= since))
    return any(message_from_bytes(raw, policy=default_policy)["Subject"] == subject for raw in rows)


def send_digest(session: Session, config: Config, now: dt.datetime) -> int:
    """Queue last week's digest (the seven days before today, local) to each recipient; how many."""
    today = calendar_for(config).local(now).date()
    report = build_report(session, config, today - dt.timedelta(days=7), today - dt.timedelta(days=1), now=now)
    subject, body = digest_text(report)
    since = now - dt.timedelta(days=6)
    sent = 0
    for to in recipients(session, config):
        if already_sent(session, to, subject, since):
            continue
        queue_notification(session, config, to=to, subject=subject, body=body, ticket=None, now=now)
        sent += 1
    log.info("SLA digest %s to %s: %d queued", report.start, report.end, sent)
    return sent


def schedule_digest(scheduler: BackgroundScheduler, config: Config, calendar: WorkingCalendar,
                    session_factory: sessionmaker[Session], clock: Clock) -> Job:
    """Add the weekly digest job (cron, on the calendar's timezone) to `scheduler`."""
    hour, minute = digest_time(config)
    job = in_session(session_factory, clock, lambda session, now: send_digest(session, config, now))
    return add_job(scheduler, DIGEST_JOB, job, trigger="cron", day_of_week=config.reports.digest_weekday,
                   hour=hour, minute=minute, timezone=calendar.tz)
