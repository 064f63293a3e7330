"""Everything the running product is made of, built from one config: the ingestion pipeline
and the scheduler with all its jobs. `helpdesk run`, `demo`, `ingest`, `poll` and `lmtp` share it."""
from __future__ import annotations

import functools
import logging

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor
from inbox.parse import parse_message
from inbox.sender import deliver_due
from routing.classify import Router
from routing.corpus import Parse
from routing.model import retrain
from sla import report_upkeep
from sla.digest import schedule_digest
from sla.scheduler import add_job, build_scheduler, in_session
from tickets import clock
from tickets.config import Config
from web.commands_privacy import schedule_retention

log = logging.getLogger(__name__)

OUTBOX_JOB = "outbox-send"
RETRAIN_JOB = "router-retrain"
OUTBOX_INTERVAL_SECONDS = 5


def parser_for(config: Config) -> Parse:
    """bytes -> ParsedMessage with our addresses known, for the router's training set."""
    return functools.partial(parse_message, now=clock.now(), our_addresses=config.our_addresses())


def make_router(config: Config) -> Router:
    return Router.load(config, parser_for(config))


def make_ingestor(config: Config) -> Ingestor:
    """The ingestion pipeline with everything wired: router, SLA clocks, acknowledgements."""
    return Ingestor(config, router=make_router(config), after_create=[Acknowledger(config)])


def make_scheduler(config: Config, sessions: sessionmaker[Session], ingestor: Ingestor) -> BackgroundScheduler:
    """The one scheduler: SLA checks, outbox delivery, router retraining (the running ingestor
    then routes with the new model), retention, the weekly digest, the stored report figures."""
    scheduler = build_scheduler(config, sessions)
    add_job(scheduler, OUTBOX_JOB, lambda: deliver_due(sessions, config, clock.now()),
            seconds=OUTBOX_INTERVAL_SECONDS)

    def retrain_router(session: Session, now: object) -> None:
        log.info("router retrained: %s", retrain(session, config, parser_for(config)))
        ingestor.router = make_router(config)

    add_job(scheduler, RETRAIN_JOB, in_session(sessions, retrain_router), hours=config.routing.retrain_interval_hours)
    schedule_retention(scheduler, config, sessions)
    schedule_digest(scheduler, config, sessions)
    report_upkeep.schedule(scheduler, config, sessions)
    return scheduler
