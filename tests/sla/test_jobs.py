"""The clock-check job and the scheduler, on SQLite and PostgreSQL (office hours 09:00-18:00 New York)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services import Services
from sla.calendar import calendar_for
from sla.jobs import check_clocks
from sla.scheduler import SLA_CHECK, add_job, build_scheduler
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, SlaClock, Ticket, TicketEvent, User

NY = ZoneInfo("America/New_York")


def ny(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY)


def check(session: Session, config: Config, now: dt.datetime) -> dict[str, int]:
    result = check_clocks(session, config, calendar_for(config), now)
    session.flush()
    return result


def mails(session: Session) -> list[tuple[str, str]]:
    """(recipient, subject) of every queued notification, oldest first."""
    rows = session.scalars(select(Outbox).where(Outbox.kind == "notification").order_by(Outbox.id)).all()
    return [(row.rcpt, str(message_from_bytes(row.raw, policy=policy.default)["Subject"])) for row in rows]


def sla_states(session: Session, ticket: Ticket) -> list[str]:
    return list(session.scalars(select(TicketEvent.data["state"].as_string()).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "sla").order_by(TicketEvent.id)))


def with_team(config: Config, queue: str, address: str) -> Config:
    queues = {**config.queues, queue: dataclasses.replace(config.queues[queue], team_address=address)}
    return dataclasses.replace(config, queues=queues)


def test_clock_turns_at_risk_then_breached_and_mails_the_assignee(
        session: Session, config: Config, agent: User, open_ticket: Callable[..., Ticket],
        clock_of: Callable[..., SlaClock | None]) -> None:
    # A 1-day returns reply (due Wednesday 10:00) is at risk from Tuesday 16:45; each change mails Ana once.
    ticket = open_ticket("returns", assignee=agent)
    assert check(session, config, ny(11, 24, 16, 44)) == {"at_risk": 0, "breached": 0, "notified": 0}
    assert check(session, config, ny(11, 24, 17)) == {"at_risk": 1, "breached": 0, "notified": 1}
    assert check(session, config, ny(11, 25, 10)) == {"at_risk": 0, "breached": 1, "notified": 1}
    session.refresh(reply := clock_of(ticket, "reply"))
    assert (reply.state, reply.running) == ("breached", True)
    assert sla_states(session, ticket) == ["ok", "at_risk", "breached"]
    (to1, subject1), (to2, subject2) = mails(session)
    assert to1 == to2 == "ana@aeropressmall.com"
    assert ticket.reference in subject1 and "reply deadline at risk" in subject1 and "Wed 25 Nov 10:00" in subject1
    assert "reply deadline breached" in subject2


def test_unassigned_ticket_notifies_the_queue_team(session: Session, config: Config,
                                                   open_ticket: Callable[..., Ticket]) -> None:
    # With nobody assigned, the warning goes to the queue's team address.
    open_ticket("returns")
    check(session, with_team(config, "returns", "returns-team@aeropressmall.com"), ny(11, 24, 17))
    assert [to for to, _ in mails(session)] == ["returns-team@aeropressmall.com"]


def test_catching_up_after_downtime_breaches_once(session: Session, config: Config, agent: User,
                                                  open_ticket: Callable[..., Ticket]) -> None:
    # After a gap past both the warning and the deadline, the clock goes straight to breached with one mail.
    ticket = open_ticket("returns", assignee=agent)
    assert check(session, config, ny(11, 27, 12)) == {"at_risk": 0, "breached": 1, "notified": 1}
    assert sla_states(session, ticket) == ["ok", "breached"]
    assert len(mails(session)) == 1


def test_running_the_check_twice_changes_nothing(session: Session, config: Config, agent: User,
                                                 open_ticket: Callable[..., Ticket]) -> None:
    # A second pass at the same (or a later) moment records no event and sends no mail.
    for queue in ("returns", "presales.general", "complaint.complex"):
        open_ticket(queue, assignee=agent)
    first = check(session, config, ny(11, 25, 15))
    events_before = session.scalar(select(func.count()).select_from(TicketEvent))
    assert first == {"at_risk": 1, "breached": 2, "notified": 3}
    assert check(session, config, ny(11, 25, 15)) == {"at_risk": 0, "breached": 0, "notified": 0}
    assert check(session, config, ny(11, 25, 16)) == {"at_risk": 0, "breached": 0, "notified": 0}
    assert session.scalar(select(func.count()).select_from(TicketEvent)) == events_before
    assert len(mails(session)) == 3


def test_stopped_and_paused_clocks_are_left_alone(session: Session, config: Config, agent: User,
                                                  open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                  clock_of: Callable[..., SlaClock | None]) -> None:
    # A replied-to message and a complaint waiting on the customer never turn at risk or breached.
    ticket = open_ticket("complaint.simple", assignee=agent)
    act(ticket, "queue_confirmed", ny(11, 24, 11))
    act(ticket, "public_reply", ny(11, 24, 12), message_id="<r@us>")
    act(ticket, "status", ny(11, 24, 13), new="pending")
    assert check(session, config, ny(12, 31, 12)) == {"at_risk": 0, "breached": 0, "notified": 0}
    assert [clock_of(ticket, kind).state for kind in ("triage", "reply", "resolution")] == ["met", "met", "ok"]


def test_refund_warns_after_five_and_breaches_after_ten_working_days(
        session: Session, config: Config, agent: User, open_ticket: Callable[..., Ticket],
        act: Callable[..., None], clock_of: Callable[..., SlaClock | None]) -> None:
    # Inspected Monday 30 November at noon: at risk from 7 December noon, breached from 14 December noon.
    ticket = open_ticket("returns", assignee=agent)
    act(ticket, "public_reply", ny(11, 24, 12), message_id="<r@us>")
    act(ticket, "return_inspected", ny(11, 30, 12), passed=True)
    assert check(session, config, ny(12, 7, 11, 59))["at_risk"] == 0
    assert check(session, config, ny(12, 7, 12))["at_risk"] == 1
    assert check(session, config, ny(12, 14, 11, 59))["breached"] == 0
    assert check(session, config, ny(12, 14, 12))["breached"] == 1
    session.refresh(refund := clock_of(ticket, "refund"))
    assert refund.state == "breached"
    assert [subject.split("] ")[1].split(":")[0] for _, subject in mails(session)] == [
        "refund deadline at risk", "refund deadline breached"]


def test_scheduler_job_commits_its_pass(services: Services, session: Session, config: Config,
                                        open_ticket: Callable[..., Ticket], frozen_clock: FrozenClock) -> None:
    # The scheduled "sla-check" job runs the check at the current time in its own committed transaction.
    ticket = open_ticket("returns")
    session.commit()
    scheduler = build_scheduler(config, services.calendar, services.sessions, frozen_clock)
    job = scheduler.get_job(SLA_CHECK)
    assert (job.coalesce, job.max_instances, job.trigger.interval) == (True, 1, dt.timedelta(seconds=60))
    frozen_clock.set(ny(11, 25, 11))
    job.func()
    with services.sessions() as other:
        assert other.scalar(select(SlaClock.state).where(SlaClock.ticket_id == ticket.id)) == "breached"


def test_other_packages_add_jobs_by_id(config: Config, services: Services) -> None:
    # Other jobs join the same scheduler under their own id; adding one again replaces it.
    scheduler = build_scheduler(config, services.calendar, services.sessions, services.clock)
    add_job(scheduler, "retention", print, trigger="cron", hour=3)
    add_job(scheduler, "outbox-sender", print, seconds=5)
    add_job(scheduler, "outbox-sender", print, seconds=10)
    assert sorted(job.id for job in scheduler.get_jobs()) == ["outbox-sender", "retention", SLA_CHECK]
    assert scheduler.get_job("outbox-sender").trigger.interval == dt.timedelta(seconds=10)
    assert "hour='3'" in str(scheduler.get_job("retention").trigger)
