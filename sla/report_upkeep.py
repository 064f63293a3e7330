"""The `report-facts` job: the stored report figures (`sla.report_facts`) follow the config's
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

from sla import report_daily
from sla.report_days import day_number
from sla.report_facts import HORIZON_DAYS, STORED, calendar_key, cover, read_state, rebuild
from sla.scheduler import add_job
from tickets import clock
from tickets.config import Config

log = logging.getLogger(__name__)

FACTS_JOB = "report-facts"
FACTS_MINUTES = 5


@dataclass(frozen=True)
class Kept:
    """What a `keep` pass did."""

    rebuilt: bool
    compacted: int  # dates whose daily counts were summed


def keep(session: Session, config: Config, now: dt.datetime) -> Kept:
    """The `report-facts` job: rebuild when the stored figures are missing or follow another calendar;
    otherwise keep business time a good while ahead of now and compact the daily counts."""
    connection = session.connection()
    state = read_state(connection)
    if state is None or state.calendar != calendar_key(config):
        rebuilt = rebuild(session, config, now)
        log.info("report figures rebuilt: %d tickets, %d clocks", rebuilt.tickets, rebuilt.clocks)
        return Kept(True, 0)
    today = day_number(now)
    if state.last_day < today + HORIZON_DAYS // 2:
        cover(connection, state, state.first_day, today + HORIZON_DAYS)
    return Kept(False, report_daily.compact(connection, STORED.daily))


def settle(engine: Engine) -> None:
    """After a rebuild commits, VACUUM ANALYZE the figures on PostgreSQL: reports then read them from
    their indexes alone at once, not after autovacuum's next pass. SQLite needs nothing."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in (STORED.hours, STORED.tickets, STORED.clocks, STORED.daily):
                connection.execute(text(f"VACUUM ANALYZE {table.name}"))


def schedule(scheduler: BackgroundScheduler, config: Config, sessions: sessionmaker[Session]) -> Job:
    """`keep` every few minutes, and once as the scheduler starts."""
    def run() -> None:
        with sessions.begin() as session:
            kept = keep(session, config, clock.now())
            engine = session.get_bind()
        if kept.rebuilt:
            settle(engine)  # type: ignore[arg-type]
    return add_job(scheduler, FACTS_JOB, run, minutes=FACTS_MINUTES, next_run_time=clock.now())
