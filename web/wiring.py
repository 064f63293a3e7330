"""Everything the running product is made of, built from one config: the ingestion pipeline
and the scheduler with all its jobs. `helpdesk run`, `demo`, `ingest`, `poll` and `lmtp` share it."""
from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor
from inbox.sender import deliver_due
from sla.scheduler import add_job, build_scheduler
from tickets import clock
from tickets.config import Config

OUTBOX_JOB = "outbox-send"
OUTBOX_INTERVAL_SECONDS = 5


def make_ingestor(config: Config) -> Ingestor:
    """The ingestion pipeline with everything wired: router, SLA clocks, acknowledgements."""
    return Ingestor(config, after_create=[Acknowledger(config)])


def make_scheduler(config: Config, sessions: sessionmaker[Session]) -> BackgroundScheduler:
    """The one scheduler: SLA checks, outbox delivery, and the other periodic jobs."""
    scheduler = build_scheduler(config, sessions)
    add_job(scheduler, OUTBOX_JOB, lambda: deliver_due(sessions, config, clock.now()),
            seconds=OUTBOX_INTERVAL_SECONDS)
    return scheduler
