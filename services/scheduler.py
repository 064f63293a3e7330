"""The one scheduler of a worker process, with every periodic job, built from the services:
SLA checks, outbox delivery, router retraining, closing quiet solved tickets, retention, the daily
at-risk and weekly digests and the stored report figures (docs/operations.md lists them with their
times)."""
from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session

from inbox.sender import Sender
from services import Services
from sla.at_risk_digest import schedule_at_risk_digest
from sla.reports import figures_job
from sla.reports.digest import schedule_digest
from sla.scheduler import add_job, build_scheduler, in_session
from tickets import lifecycle, retention

log = logging.getLogger(__name__)

OUTBOX_JOB = "outbox-send"
RETRAIN_JOB = "router-retrain"
RETENTION_JOB = "privacy-retention"
CLOSE_JOB = "tickets-close"
SUGGESTIONS_JOB = "suggestions-index"


def make_scheduler(services: Services) -> BackgroundScheduler:
    """Every job, on the services' sessions and clock; a retrained router routes the next mail."""
    config, sessions, clock = services.config, services.sessions, services.clock
    scheduler = build_scheduler(config, services.calendar, sessions, clock)
    if config.smtp.host:  # without a server, mail stays queued
        sender = Sender(sessions, config, clock)  # one for the process: it remembers an outage between passes
        add_job(scheduler, OUTBOX_JOB, lambda: sender.run_pass(clock.now()),
                seconds=config.smtp.pass_interval_seconds)

    def retrain_router(session: Session, now: object) -> None:
        from routing.model import retrain

        log.info("router retrained: %s", retrain(session, config, services.parser(), clock.now()))
        services.reload_router()

    add_job(scheduler, RETRAIN_JOB, in_session(sessions, clock, retrain_router),
            hours=config.routing.retrain_interval_hours)
    add_job(scheduler, CLOSE_JOB, in_session(sessions, clock, lambda session, now: lifecycle.close_quiet_tickets(
        session, config, now)), hours=1)
    add_job(scheduler, RETENTION_JOB, lambda: run_retention(services), trigger="cron", hour=3, minute=17)
    schedule_digest(scheduler, config, services.calendar, sessions, clock)
    schedule_at_risk_digest(scheduler, config, services.calendar, sessions, clock)
    figures_job.schedule(scheduler, config, sessions, clock)
    add_job(scheduler, SUGGESTIONS_JOB, lambda: rebuild_suggestions(services),
            minutes=config.routing.suggestions_rebuild_minutes, next_run_time=clock.now())
    return scheduler


def rebuild_suggestions(services: Services) -> dict[str, int]:
    """The suggested answers' index, fitted again from the solved tickets (read-only)."""
    with services.readonly() as session:
        result = services.suggestions.rebuild(session)
    log.info("suggestions index rebuilt: %s", result)
    return result


def run_retention(services: Services) -> None:
    """Retention, daily at 03:17 shop time (the scheduler's timezone), then the database scrubbed."""
    with services.sessions.begin() as session:
        result = retention.run(session, services.config, services.clock.now(), actor="scheduler", address="local")
    if result["tickets"] or result["customers_deleted"] or result["quarantine_deleted"] or result["outbox_emptied"]:
        retention.scrub(services.engine)
