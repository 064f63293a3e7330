"""The SLA report for managers: compliance by queue, agent and period (docs/architecture.md).

Definitions (every time in business hours of the shop's calendar):

- received: tickets that arrived in the period;
- replied on time / late: reply clocks stopped in the period, met or missed;
- first reply time: from receipt to the first public reply, for first replies sent in the period;
- resolution time: from receipt to solved (or closed), for tickets resolved in the period;
- triage and resolution on time (complaints): those clocks stopped in the period, met or missed;
- refunds: refund clocks stopped in the period, by the warning (5 wd), by the deadline (10 wd),
  or later;
- awaiting reply, past deadline, the backlog by age: now, whatever the period; the backlog is
  bucketed by working days since receipt;
- breaches: clocks that missed their deadline in the period, and running clocks past it now.

Tickets count toward their current queue and assignee. Auto mail and merged duplicates do not
count (a merged ticket lives on in the one it was merged into); anonymised tickets do, since
retention keeps their queue, times and clocks.

The period's figures are added up from stored ones (`sla.reports.figures`: each ticket's business
times, derived once and kept current as tickets change), so a report over two years costs about as
much as reading a million small index entries; what holds now is read live.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sla.calendar import calendar_for
from sla.policy import KINDS, NO_CLOCK_QUEUE, refund_window
from sla.reports import figures, figures_feed
from sla.reports import queries as sql
from sla.reports.business_days import BusinessDays, business_days
from sla.reports.daily_counts import COUNTS
from sla.reports.figures import FigureTables
from sla.reports.tally import Tallies, Tally, keyed, percentile
from tickets.config import Config
from tickets.errors import InputError
from tickets.models import User

BACKLOG_LIMITS = (1, 2, 5)  # working days since receipt
BACKLOG_LABELS = ("under 1", "1 to 2", "2 to 5", "over 5")
BREACH_LIMIT = 50
MAX_DAYS = 3700
UNASSIGNED = "Unassigned"
_BACKLOG_REACH = dt.timedelta(days=400)  # business time tabulated before now: past the oldest backlog limit


@dataclass(frozen=True)
class Times:
    """Business hours from receipt: how many tickets, the median and the 90th percentile."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Figures:
    """The figures of one queue, one agent, or the whole report."""

    received: int
    replied_on_time: int
    replied_late: int
    awaiting_reply: int
    breached_open: int
    first_reply: Times
    resolution: Times
    triage_on_time: int
    triage_late: int
    resolution_on_time: int
    resolution_late: int
    refunds_early: int  # completed by the warning (5 wd)
    refunds_at_risk: int  # after the warning, by the deadline (5 to 10 wd)
    refunds_late: int
    refunds_open: int
    overdue_clocks: int

    @property
    def reply_on_time_percent(self) -> float | None:
        replies = self.replied_on_time + self.replied_late
        return 100.0 * self.replied_on_time / replies if replies else None


@dataclass(frozen=True)
class QueueLine:
    queue: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class AgentLine:
    agent_id: int | None
    name: str
    figures: Figures


@dataclass(frozen=True)
class BacklogLine:
    """Open tickets of a queue, one count per `BACKLOG_LABELS` bucket."""

    queue: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Breach:
    ticket_id: int
    reference: str
    queue: str
    clock: str
    due_at: dt.datetime
    stopped_at: dt.datetime | None
    late_hours: float  # business hours past the deadline

    @property
    def open(self) -> bool:
        return self.stopped_at is None


@dataclass(frozen=True)
class Week:
    """Reply clocks stopped in the week starting `monday` (only its days inside the period)."""

    monday: dt.date
    on_time: int
    late: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.on_time / (self.on_time + self.late) if self.on_time + self.late else None


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    queue: str | None
    agent_id: int | None
    timezone: str
    generated_at: dt.datetime
    refund_warn_days: float
    refund_breach_days: float
    queues: tuple[QueueLine, ...]
    agents: tuple[AgentLine, ...]
    total: Figures
    backlog: tuple[BacklogLine, ...]
    weeks: tuple[Week, ...]
    breaches: tuple[Breach, ...]
    breach_count: int


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    if (end - start).days > MAX_DAYS:
        raise InputError(f"a report covers at most {MAX_DAYS} days, not {(end - start).days + 1}")


def _check_scope(session: Session, config: Config, queue: str | None, agent_id: int | None) -> None:
    if queue is not None and (queue not in config.queues or queue == NO_CLOCK_QUEUE):
        known = ", ".join(q for q in config.queues if q != NO_CLOCK_QUEUE)
        raise InputError(f"unknown queue {queue!r} (reported queues: {known})")
    if agent_id is not None and session.get(User, agent_id) is None:
        raise InputError(f"no user with id {agent_id}")


def build_report(session: Session, config: Config, start: dt.date, end: dt.date, queue: str | None = None,
                 agent_id: int | None = None, *, now: dt.datetime) -> Report:
    """The report for the days `start` to `end` (inclusive, the calendar's timezone), optionally
    for one queue or one agent; `now` is when "awaiting" and "open" are taken."""
    _check_period(start, end)
    _check_scope(session, config, queue, agent_id)
    scope = sql.Scope(queue, agent_id)
    figures_feed.settle(session)  # this transaction's own writes count
    facts = figures.for_report(session, config, now)
    when = sql.period(session, facts, start, end)
    days = business_days(calendar_for(config), now - _BACKLOG_REACH, now + dt.timedelta(days=1))
    tallies = Tallies()
    _tally_period(session, facts, scope, when, tallies)
    _tally_now(session, scope, now, tallies)
    warn, breach = refund_window(config, queue or "refunds")
    breaches = sql.worst_breaches(session, facts, scope, when, days.elapsed(now), now, BREACH_LIMIT)
    return Report(
        start=start, end=end, queue=queue, agent_id=agent_id, timezone=config.calendar.timezone, generated_at=now,
        refund_warn_days=warn, refund_breach_days=breach,
        queues=_queue_lines(config, tallies, queue), agents=_agent_lines(session, tallies),
        total=_figures(tallies.total), backlog=_backlog(session, config, scope, days, now, queue),
        weeks=_weeks(tallies, start, end),
        breaches=tuple(Breach(row.id, row.reference or f"#{row.id}", row.queue, row.kind, row.due_at,
                              row.stopped_at, row.late / 3600) for row in breaches),
        breach_count=sum(tallies.total.count(f"{kind}:missed") for kind in KINDS) + tallies.total.count("overdue"))


def _tally_period(session: Session, facts: FigureTables, scope: sql.Scope, when: sql.Period,
                  tallies: Tallies) -> None:
    for queue, agent, *numbers in sql.counts(session, facts, scope, when):
        for name, n in zip(COUNTS, numbers):
            if n:
                tallies.add(queue, agent, name.replace("_", ":", 1), n)
    for figure in ("first_reply", "resolution"):
        tallies.add_durations(figure, sql.durations(session, facts, scope, when, figure))
    for day, met, missed in sql.replies_by_day(session, facts, scope, when):
        monday = day - (day - 1) % 7  # ordinal 1 is a Monday
        tallies.weeks[(monday, "met")] += met
        tallies.weeks[(monday, "missed")] += missed


def _tally_now(session: Session, scope: sql.Scope, now: dt.datetime, tallies: Tallies) -> None:
    for queue, agent, replies, past_tickets, past_clocks, refunds in sql.running_clocks(session, scope, now):
        tallies.add(queue, agent, "awaiting", replies or 0)
        tallies.add(queue, agent, "breached_open", past_tickets or 0)
        tallies.add(queue, agent, "overdue", past_clocks or 0)
        tallies.add(queue, agent, "refund:open", refunds or 0)


def _times(tally: Tally, name: str) -> Times:
    histogram = tally.histogram(name)
    median, p90 = percentile(histogram, 0.5), percentile(histogram, 0.9)
    return Times(sum(histogram.values()), None if median is None else median / 60,
                 None if p90 is None else p90 / 60)


def _figures(tally: Tally) -> Figures:
    c = tally.count
    return Figures(
        received=c("received"), replied_on_time=c("reply:met"), replied_late=c("reply:missed"),
        awaiting_reply=c("awaiting"), breached_open=c("breached_open"),
        first_reply=_times(tally, "first_reply"), resolution=_times(tally, "resolution"),
        triage_on_time=c("triage:met"), triage_late=c("triage:missed"),
        resolution_on_time=c("resolution:met"), resolution_late=c("resolution:missed"),
        refunds_early=c("refund:early"), refunds_at_risk=c("refund:at_risk"), refunds_late=c("refund:missed"),
        refunds_open=c("refund:open"), overdue_clocks=c("overdue"))


def _queue_names(config: Config, present: Iterable[str], queue: str | None) -> list[str]:
    """The configured queues in configuration order, then any other queue that has tickets."""
    if queue is not None:
        return [queue]
    configured = [q for q in config.queues if q != NO_CLOCK_QUEUE]
    return configured + sorted(q for q in present if q not in config.queues)


def _queue_lines(config: Config, tallies: Tallies, queue: str | None) -> tuple[QueueLine, ...]:
    return tuple(QueueLine(q, config.queue(q).title or q, _figures(keyed(tallies.queues, q)))
                 for q in _queue_names(config, tallies.queues, queue))


def _agent_lines(session: Session, tallies: Tallies) -> tuple[AgentLine, ...]:
    """Everyone with tickets in the report, by name; the unassigned tickets last."""
    names = sql.agent_names(session, tallies.agent_ids())
    lines = sorted((AgentLine(a, names.get(a, f"user {a}"), _figures(t)) for a, t in tallies.agents.items()
                    if a is not None), key=lambda line: (line.name.lower(), line.agent_id))
    if None in tallies.agents:
        lines.append(AgentLine(None, UNASSIGNED, _figures(tallies.agents[None])))
    return tuple(lines)


def _backlog(session: Session, config: Config, scope: sql.Scope, days: BusinessDays, now: dt.datetime,
             queue: str | None) -> tuple[BacklogLine, ...]:
    """Open tickets by working days since receipt; a ticket exactly 1 wd old is in "1 to 2"."""
    day = calendar_for(config).working_day_seconds
    elapsed_now = days.elapsed(now)
    thresholds = [days.instant(elapsed_now - limit * day) for limit in BACKLOG_LIMITS]
    counts: dict[str, list[int]] = {}
    for name, age, n in sql.backlog(session, scope, thresholds):
        counts.setdefault(name, [0] * len(BACKLOG_LABELS))[age] += n
    return tuple(BacklogLine(q, tuple(counts.get(q, [0] * len(BACKLOG_LABELS))))
                 for q in _queue_names(config, counts, queue))


def _weeks(tallies: Tallies, start: dt.date, end: dt.date) -> tuple[Week, ...]:
    """Every week that overlaps the period, quiet ones included."""
    monday = start - dt.timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        key = monday.toordinal()
        weeks.append(Week(monday, tallies.weeks[(key, "met")], tallies.weeks[(key, "missed")]))
        monday += dt.timedelta(days=7)
    return tuple(weeks)
