"""Stored report figures stay what the tickets say, on SQLite and PostgreSQL (office hours 09:00-18:00
New York): tickets go through the domain's operations in sessions of the test's services (clock keeper
and report feed attached), and every report read from the stored figures is checked against the
figures the manager expects and against the same report computed from scratch."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from reportkit import ny
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services import Services
from sla.reports import figures, figures_feed, figures_job, queries
from sla.reports.export import report_json
from sla.reports.figures import FIGURES, for_report, rebuild
from sla.reports.figures_job import Maintenance, maintain_figures
from sla.reports.report import Report, build_report
from sla.scheduler import build_scheduler
from tickets import operations, retention
from tickets.clock import FrozenClock
from tickets.config import CalendarConfig, Config
from tickets.models import Customer, ReportDaily, ReportState, Status, Ticket, User

NOW = ny(11, 17, 12)
START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 15)


@pytest.fixture
def built(session: Session, config: Config) -> None:
    """Stored figures built on the empty database; from here on the feed keeps them current."""
    rebuild(session, config, NOW)


@pytest.fixture
def mail(session: Session, open_ticket: Callable[..., Ticket]) -> Callable[..., Ticket]:
    """A customer's mail opening a ticket in `queue` at `received` (a customer we can reply to)."""
    def make(queue: str, received: dt.datetime, assignee: User | None = None) -> Ticket:
        ticket = open_ticket(queue, received, assignee=assignee)
        customer = Customer(email=f"customer{ticket.id}@example.com", created_at=received)
        session.add(customer)
        session.flush()
        ticket.customer_id = customer.id
        session.flush()
        return ticket
    return make


@pytest.fixture
def reply(session: Session, config: Config) -> Callable[[Ticket, dt.datetime], None]:
    def send(ticket: Ticket, at: dt.datetime) -> None:
        operations.reply(session, config, ticket, None, "Thank you for writing.", at)
        session.flush()
    return send


def report(session: Session, config: Config, start: dt.date = START, end: dt.date = END) -> Report:
    """The report from the stored figures, after checking it equals the one computed from scratch."""
    assert for_report(session, config, NOW) is FIGURES
    stored = build_report(session, config, start, end, now=NOW)
    savepoint = session.begin_nested()
    session.execute(delete(ReportState))
    scratch = build_report(session, config, start, end, now=NOW)
    savepoint.rollback()
    assert report_json(stored) == report_json(scratch)
    return stored


def queue(result: Report, name: str) -> Any:
    return next(line.figures for line in result.queues if line.queue == name)


def agents(result: Report) -> dict[str, tuple[int, int, float | None]]:
    return {line.name: (line.figures.received, line.figures.replied_on_time, line.figures.first_reply.median)
            for line in result.agents}


def test_a_rerouted_ticket_counts_in_its_new_queue(session: Session, config: Config, built: None,
                                                   mail: Callable[..., Ticket], reply: Callable[..., None]) -> None:
    # Received in presales and answered in 1.5 business hours, then re-routed: the figures move to wholesale.
    ticket = mail("presales.general", ny(11, 3, 10))
    reply(ticket, ny(11, 3, 11, 30))
    before = report(session, config)
    assert (queue(before, "presales.general").received, queue(before, "presales.general").first_reply.median) \
        == (1, 1.5)
    operations.reroute(session, config, ticket, "wholesale", None, ny(11, 4, 9))
    session.flush()
    after = report(session, config)
    presales, wholesale = queue(after, "presales.general"), queue(after, "wholesale")
    assert (presales.received, presales.replied_on_time, presales.first_reply.count) == (0, 0, 0)
    assert (wholesale.received, wholesale.replied_on_time, wholesale.first_reply.median) == (1, 1, 1.5)


def test_a_reassigned_ticket_counts_for_its_new_agent(session: Session, config: Config, built: None,
                                                      mail: Callable[..., Ticket], reply: Callable[..., None]) -> None:
    # Ana's answered ticket is handed to Bob: Bob's line has it, Ana has none left.
    ana, bob = (User(email=f"{n.lower()}@aeropressmall.com", name=n, created_at=ny(1, 5, 9)) for n in ("Ana", "Bob"))
    session.add_all([ana, bob])
    session.flush()
    ticket = mail("order.tracking", ny(11, 5, 14), assignee=ana)
    reply(ticket, ny(11, 5, 16))
    assert agents(report(session, config)) == {"Ana": (1, 1, 2.0)}
    operations.assign(session, ticket, bob, None, ny(11, 6, 9))
    session.flush()
    assert agents(report(session, config)) == {"Bob": (1, 1, 2.0)}


def test_a_late_reply_is_late_in_the_next_report(session: Session, config: Config, built: None,
                                                 mail: Callable[..., Ticket], reply: Callable[..., None]) -> None:
    # A return received Monday 10:00 is due Tuesday 10:00; answered Wednesday noon it is 11 business hours late.
    ticket = mail("returns", ny(11, 2, 10))
    waiting = report(session, config)
    assert (waiting.total.awaiting_reply, waiting.total.replied_late, [b.open for b in waiting.breaches]) \
        == (1, 0, [True])
    reply(ticket, ny(11, 4, 12))
    answered = report(session, config)
    returns = queue(answered, "returns")
    assert (returns.awaiting_reply, returns.replied_on_time, returns.replied_late) == (0, 0, 1)
    assert (returns.first_reply.count, returns.first_reply.median) == (1, 20.0)
    assert [(b.reference, b.clock, round(b.late_hours, 2), b.open) for b in answered.breaches] == \
        [(ticket.reference, "reply", 11.0, False)]
    assert answered.weeks[0].late == 1


def test_reopening_takes_the_resolution_back_until_solved_again(session: Session, config: Config, built: None,
                                                                mail: Callable[..., Ticket],
                                                                reply: Callable[..., None]) -> None:
    # Solved after 9 business hours, reopened, solved again after 29: the report follows each step.
    ticket = mail("presales.general", ny(11, 2, 10))
    reply(ticket, ny(11, 2, 11))
    resolution = []
    for status, at in ((Status.SOLVED, ny(11, 3, 10)), (Status.OPEN, ny(11, 4, 9)), (Status.SOLVED, ny(11, 5, 12))):
        operations.set_status(session, ticket, status.value, at)
        session.flush()
        times = queue(report(session, config), "presales.general").resolution
        resolution.append((times.count, times.median))
    assert resolution == [(1, 9.0), (0, None), (1, 29.0)]


def test_a_merged_ticket_stops_counting_an_anonymised_one_does_not(session: Session, config: Config, built: None,
                                                                   services: Services, mail: Callable[..., Ticket],
                                                                   reply: Callable[..., None]) -> None:
    # The duplicate merged into the original leaves the report; retention's anonymisation changes nothing.
    original, duplicate = mail("refunds", ny(11, 9, 10)), mail("refunds", ny(11, 9, 11))
    reply(original, ny(11, 9, 12))
    assert queue(report(session, config), "refunds").received == 2
    operations.merge(session, duplicate, original, None, ny(11, 9, 13))
    operations.set_status(session, original, Status.CLOSED.value, ny(11, 10, 9))
    session.flush()
    merged = report(session, config)
    retention.anonymise(session, services.store, [original.id], ny(11, 16, 3))
    session.flush()
    anonymised = report(session, config)
    refunds = queue(anonymised, "refunds")
    assert (refunds.received, refunds.first_reply.median, refunds.resolution.median) == (1, 2.0, 8.0)
    assert report_json(anonymised) == report_json(merged)


def test_a_calendar_change_is_computed_from_scratch_until_the_job_rebuilds(session: Session, config: Config,
                                                                           built: None, mail: Callable[..., Ticket],
                                                                           reply: Callable[..., None]) -> None:
    # With Wednesday 11 November made a holiday, Tuesday 17:00 to Thursday 10:00 is two business hours, not eleven.
    holiday = dataclasses.replace(config, calendar=CalendarConfig(holidays=("2026-11-11",)))
    reply(mail("wholesale", ny(11, 10, 17)), ny(11, 12, 10))
    assert figures.read_state(session.connection()).serves(config, NOW)  # type: ignore[union-attr]
    assert for_report(session, holiday, NOW) is not FIGURES
    assert queue(build_report(session, holiday, START, END, now=NOW), "wholesale").first_reply.median == 2.0
    assert maintain_figures(session, holiday, NOW).rebuilt
    assert queue(report(session, holiday), "wholesale").first_reply.median == 2.0
    assert queue(build_report(session, config, START, END, now=NOW), "wholesale").first_reply.median == 11.0


def _stored_rows(session: Session) -> tuple[list[Any], ...]:
    """The stored figures, and the daily counts summed per date, queue and assignee."""
    daily = FIGURES.daily
    keys = (daily.c.day, daily.c.queue, daily.c.assignee_id)
    sums = [func.sum(daily.c[name]) for name in figures.daily_counts.COUNTS]
    return (session.execute(select(FIGURES.tickets).order_by(FIGURES.tickets.c.ticket_id)).all(),
            session.execute(select(FIGURES.clocks).order_by(FIGURES.clocks.c.clock_id)).all(),
            [row for row in session.execute(select(*keys, *sums).group_by(*keys).order_by(*keys)) if any(row[3:])])


def test_the_feed_leaves_what_a_rebuild_derives(session: Session, config: Config, built: None,
                                                mail: Callable[..., Ticket], reply: Callable[..., None]) -> None:
    # After replies, re-routes, reassignments, merges and reopenings, rebuilding changes no stored row.
    bob = User(email="bob@aeropressmall.com", name="Bob", created_at=ny(1, 5, 9))
    session.add(bob)
    complaint, late, duplicate = mail("complaint.simple", ny(11, 2, 10)), mail("returns", ny(11, 3, 16)), \
        mail("returns", ny(11, 3, 17))
    reply(complaint, ny(11, 2, 15))
    operations.confirm_queue(session, complaint, None, ny(11, 2, 15))
    operations.reroute(session, config, late, "refunds", None, ny(11, 4, 9))
    reply(late, ny(11, 6, 10))
    operations.assign(session, late, bob, None, ny(11, 6, 11))
    operations.merge(session, duplicate, late, None, ny(11, 6, 12))
    for status, at in ((Status.SOLVED, ny(11, 9, 10)), (Status.OPEN, ny(11, 10, 10)), (Status.SOLVED, ny(11, 12, 10))):
        operations.set_status(session, complaint, status.value, at)
    figures_feed.settle(session)  # as a commit or a report does
    fed = _stored_rows(session)
    assert fed[0] and fed[1] and fed[2]
    rebuild(session, config, NOW)
    assert _stored_rows(session) == fed


def test_a_rolled_back_savepoint_takes_its_figures_with_it(session: Session, config: Config, built: None,
                                                           mail: Callable[..., Ticket],
                                                           reply: Callable[..., None]) -> None:
    # A re-route undone by its savepoint (as one failed message in an ingestion batch) leaves the figures as they were.
    ticket = mail("presales.general", ny(11, 3, 10))
    reply(ticket, ny(11, 3, 11))
    savepoint = session.begin_nested()
    operations.reroute(session, config, ticket, "wholesale", None, ny(11, 4, 9))
    session.flush()
    savepoint.rollback()
    assert queue(report(session, config), "presales.general").received == 1


def test_the_job_sums_the_daily_counts_and_keeps_the_figures(session: Session, config: Config, built: None,
                                                             mail: Callable[..., Ticket],
                                                             reply: Callable[..., None]) -> None:
    # Each change (a transaction of its own, as each agent's action is) appends to the daily counts; the
    # job sums them to a row per date, queue and assignee.
    tickets = [mail("order.tracking", ny(11, 2, 10 + n)) for n in range(3)]
    for ticket in tickets:
        reply(ticket, ny(11, 3, 10))
        figures_feed.settle(session)
        operations.reroute(session, config, ticket, "wholesale", None, ny(11, 3, 11))
        figures_feed.settle(session)
    before = report_json(report(session, config))
    rows = session.scalar(select(func.count()).select_from(ReportDaily))
    assert maintain_figures(session, config, NOW) == Maintenance(rebuilt=False, compacted=2)
    assert session.scalar(select(func.count()).select_from(ReportDaily)) < rows
    assert maintain_figures(session, config, NOW) == Maintenance(rebuilt=False, compacted=0)
    assert report_json(report(session, config)) == before


def test_counts_appended_while_the_job_sums_are_kept(services: Services, config: Config) -> None:
    # PostgreSQL: a writer appends a count while the job sums that date; once both commit, none is lost.
    if services.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    sessions = services.sessions

    def received(session: Session, queue: str, at: dt.datetime) -> None:
        session.add(Ticket(queue=queue, mailbox="support", created_at=at, updated_at=at))
        figures_feed.settle(session)  # the count is appended as the commit would: one row per ticket

    with sessions.begin() as session:
        rebuild(session, config, NOW)
        received(session, "wholesale", ny(11, 2, 10))
        received(session, "wholesale", ny(11, 2, 11))
    with sessions() as writer:  # closed even when an assertion fails: an open writer would block the teardown
        received(writer, "wholesale", ny(11, 2, 12))
        with sessions.begin() as session:
            assert maintain_figures(session, config, NOW).compacted == 1
        writer.commit()
    with sessions() as session:
        assert queue(build_report(session, config, START, END, now=NOW), "wholesale").received == 3


def test_old_mail_imported_later_extends_business_time(session: Session, config: Config, built: None,
                                                       mail: Callable[..., Ticket], reply: Callable[..., None]) -> None:
    # An archive from 2019 imported after the build: the figures cover it, in that year's business hours.
    reply(mail("wholesale", ny(3, 1, 16, year=2019)), ny(3, 4, 10, year=2019))
    result = report(session, config, dt.date(2019, 3, 1), dt.date(2019, 3, 7))
    assert (queue(result, "wholesale").received, queue(result, "wholesale").first_reply.median) == (1, 3.0)


def test_long_and_short_periods_read_the_same_figures(session: Session, config: Config, built: None,
                                                      mail: Callable[..., Ticket], reply: Callable[..., None],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Whether a period reads the date indexes or whole indexes in group order, the figures are the same.
    for n, queue_name in enumerate(("presales.general", "wholesale", "returns")):
        ticket = mail(queue_name, ny(11, 2 + n, 10))
        reply(ticket, ny(11, 3 + n, 9 + n))
        operations.set_status(session, ticket, Status.SOLVED.value, ny(11, 6, 10 + n))
    session.flush()
    monkeypatch.setattr(queries, "WIDE_SHARE", 1e9)
    narrow = report_json(report(session, config))
    monkeypatch.setattr(queries, "WIDE_SHARE", 0.0)
    assert report_json(report(session, config)) == narrow


def test_the_scheduler_builds_the_figures_at_start(services: Services, config: Config,
                                                   frozen_clock: FrozenClock) -> None:
    # The "report-facts" job runs as the scheduler starts, then every few minutes, each pass committed.
    sessions = services.sessions
    scheduler = build_scheduler(config, services.calendar, sessions, frozen_clock)
    job = figures_job.schedule(scheduler, config, sessions, frozen_clock)
    assert (job.id, job.trigger.interval) == ("report-facts", dt.timedelta(minutes=5))
    assert job.next_run_time is not None and job.next_run_time <= frozen_clock.now() + dt.timedelta(seconds=1)
    job.func()
    with sessions() as session:
        assert figures.read_state(session.connection()).serves(config, frozen_clock.now())  # type: ignore[union-attr]
