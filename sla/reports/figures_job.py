"""The `report-facts` job: the stored report figures (`sla.reports.figures`) follow the config's
calendar, business time reaches well past today, and the daily counts stay one row per date,
queue and assignee.

It runs as the scheduler starts, so a new installation, or one whose calendar changed, has its
figures built within minutes; until then reports compute from scratch (slower, not wrong).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from sla.reports import daily_counts
from sla.reports.business_days import day_number
from sla.reports.figures import FIGURES, HORIZON_DAYS, calendar_key, extend_business_days, read_state, rebuild
from sla.scheduler import add_job
from tickets.clock import Clock
from tickets.config import Config

log = logging.getLogger(__name__)

FACTS_JOB = "report-facts"
FACTS_MINUTES = 5


@dataclass(frozen=True)
class Maintenance:
    """What a `maintain_figures` pass did."""

    rebuilt: bool
    compacted: int  # dates whose daily counts were summed


def maintain_figures(session: Session, config: Config, now: dt.datetime) -> Maintenance:
    """The `report-facts` job: rebuild when the stored figures are missing or follow another calendar;
    otherwise keep business time a good while ahead of now and compact the daily counts."""
    connection = session.connection()
    state = read_state(connection)
    if state is None or state.calendar != calendar_key(config):
        rebuilt = rebuild(session, config, now)
        log.info("report figures rebuilt: %d tickets, %d clocks", rebuilt.tickets, rebuilt.clocks)
        return Maintenance(True, 0)
    today = day_number(now)
    if state.last_day < today + HORIZON_DAYS // 2:
        extend_business_days(connection, state, state.first_day, today + HORIZON_DAYS)
    return Maintenance(False, daily_counts.compact(connection, FIGURES.daily))


def vacuum_figures(engine: Engine) -> None:
    """After a rebuild commits, VACUUM ANALYZE the figures on PostgreSQL: reports then read them from
    their indexes alone at once, not after autovacuum's next pass. SQLite needs nothing."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in (FIGURES.hours, FIGURES.tickets, FIGURES.clocks, FIGURES.daily):
                connection.execute(text(f"VACUUM ANALYZE {table.name}"))


def schedule(scheduler: BackgroundScheduler, config: Config, sessions: sessionmaker[Session], clock: Clock) -> Job:
    """`maintain_figures` every few minutes, and once as the scheduler starts."""
    def run() -> None:
        with sessions.begin() as session:
            kept = maintain_figures(session, config, clock.now())
            engine = session.get_bind()
        if kept.rebuilt:
            vacuum_figures(engine)  # type: ignore[arg-type]  # the sessions are bound to an Engine
    return add_job(scheduler, FACTS_JOB, run, minutes=FACTS_MINUTES, next_run_time=clock.now())
