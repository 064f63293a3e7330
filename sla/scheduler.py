"""The one APScheduler of a helpdesk process, with every periodic job under an explicit id.

Jobs are thin: each opens one unit of work, calls its job function with the current time (taken
here, at the edge) and commits. Every job coalesces missed runs into one and never overlaps itself,
so a slow pass or a stopped process catches up once instead of piling up. Cron-style jobs (digests,
retention) run on the shop's calendar timezone.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from sla.calendar import WorkingCalendar
from sla.jobs import check_clocks
from tickets.clock import Clock
from tickets.config import Config

SLA_CHECK = "sla-check"


def in_session(session_factory: sessionmaker[Session], clock: Clock,
               work: Callable[[Session, dt.datetime], Any]) -> Callable[[], None]:
    """A job body: `work(session, now)` in its own transaction, committed when it returns."""
    def run() -> None:
        with session_factory.begin() as session:
            work(session, clock.now())
    return run


def add_job(scheduler: BackgroundScheduler, job_id: str, func: Callable[[], Any], **trigger: Any) -> Job:
    """Add (or replace) the job `job_id`; `trigger` names the trigger (default "interval") and its
    fields, e.g. `seconds=60` or `trigger="cron", day_of_week="mon", hour=8`."""
    kind = trigger.pop("trigger", "interval")
    if scheduler.get_job(job_id) is not None:  # a scheduler not yet started keeps duplicates pending
        scheduler.remove_job(job_id)
    return scheduler.add_job(func, kind, id=job_id, name=job_id, coalesce=True, max_instances=1,
                             misfire_grace_time=None, replace_existing=True, **trigger)


def build_scheduler(config: Config, calendar: WorkingCalendar, session_factory: sessionmaker[Session],
                    clock: Clock) -> BackgroundScheduler:
    """The scheduler with the SLA clock check; other packages add theirs with `add_job`."""
    scheduler = BackgroundScheduler(timezone=calendar.tz)
    check = in_session(session_factory, clock, lambda session, now: check_clocks(session, config, calendar, now))
    add_job(scheduler, SLA_CHECK, check, seconds=config.sla.check_interval_seconds)
    return scheduler
