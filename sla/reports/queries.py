"""The report's queries: every figure is a GROUP BY in the database, never a loop over tickets.

The period's figures add up the stored ones (`sla.reports.figures`): tickets received and clocks met
or missed from the daily counts, business minutes to first reply and to resolution as histograms
of whole minutes per queue and per assignee (from which `sla.reports.tally` takes exact
percentiles, the same on both databases), the worst misses. What holds now (clocks running, the
backlog, overdue clocks) is read live from `tickets` and `sla_clocks`, whose open part is small
and indexed.

Each duration has an index by date and two that end in it (`tickets.models.ReportTicket`): a short
period ranges over the first; a long one is read whole from the others, in GROUP BY order, so
SQLite neither looks up nor sorts a million rows (`unindexed`).

The queries run on the session's connection (Core rows, no ORM loading: they select columns,
never entities).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Integer,
    Row,
    Table,
    case,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from sla.reports.business_time_sql import elapsed, epoch_day, unindexed
from sla.reports.daily_counts import COUNTS
from sla.reports.figures import FigureTables, counted
from tickets.models import SlaClock, Ticket, User
from tickets.operations import OPEN_STATUSES

RUNNING_STATES = ("ok", "at_risk", "breached")
WIDE_SHARE = 0.25  # a period spanning this share of the days with tickets reads whole indexes
Rows: TypeAlias = Sequence[Row[*tuple[Any, ...]]]  # a query's rows, however many columns it selects


@dataclass(frozen=True)
class Scope:
    """Which tickets count: customer tickets (no auto mail, no merged duplicates), optionally one
    queue or one assignee. Anonymised tickets keep their queue, times and clocks, so they count."""

    queue: str | None = None
    agent_id: int | None = None

    def where(self) -> list[ColumnElement[bool]]:
        """On the live `tickets` table."""
        return counted() + self.of(Ticket.__table__)

    def of(self, table: Table) -> list[ColumnElement[bool]]:
        """On a table with `queue` and `assignee_id` columns (stored figures hold reported tickets only)."""
        conditions = []
        if self.queue is not None:
            conditions.append(table.c.queue == self.queue)
        if self.agent_id is not None:
            conditions.append(table.c.assignee_id == self.agent_id)
        return conditions


@dataclass(frozen=True)
class Period:
    """The shop's dates `first` to `last` (ordinals, both included); `wide` when it spans much of the
    history, so the date indexes would only add lookups and a sort."""

    first: int
    last: int
    wide: bool

    def holds(self, column: ColumnElement[int]) -> ColumnElement[bool]:
        return (unindexed(column) if self.wide else column).between(self.first, self.last)


def period(session: Session, facts: FigureTables, start: dt.date, end: dt.date) -> Period:
    """The period of `start` to `end`, judged wide or not against the dates with figures (each end
    found by one index lookup)."""
    column, connection = facts.daily.c.day, session.connection()
    oldest = connection.execute(select(func.min(column))).scalar()
    newest = connection.execute(select(func.max(column))).scalar()
    first, last = start.toordinal(), end.toordinal()
    known = (newest - oldest + 1) if oldest is not None and newest is not None else 0
    return Period(first, last, wide=(last - first + 1) >= WIDE_SHARE * known)


def counts(session: Session, facts: FigureTables, scope: Scope, when: Period) -> Rows:
    """(queue, assignee_id, then each of `daily_counts.COUNTS`) of the period; a queue and assignee
    whose counts cancel out (a ticket handed on) are left out."""
    d = facts.daily
    sums = [func.sum(d.c[name]).cast(Integer) for name in COUNTS]
    return session.connection().execute(
        select(d.c.queue, d.c.assignee_id, *sums)
        .where(when.holds(d.c.day), *scope.of(d))
        .group_by(d.c.queue, d.c.assignee_id).having(or_(*(total != 0 for total in sums)))).all()


def replies_by_day(session: Session, facts: FigureTables, scope: Scope, when: Period) -> Rows:
    """(date ordinal, reply clocks met, missed) of the period's dates with replies."""
    d = facts.daily
    return session.connection().execute(
        select(d.c.day, func.sum(d.c.reply_met).cast(Integer), func.sum(d.c.reply_missed).cast(Integer))
        .where(when.holds(d.c.day), *scope.of(d))
        .group_by(d.c.day)).all()


def durations(session: Session, facts: FigureTables, scope: Scope, when: Period, figure: str) -> Rows:
    """Histograms of business minutes of the tickets first replied to (`figure` "first_reply") or
    resolved ("resolution") in the period: (by assignee, queue, assignee_id, minutes, tickets) rows,
    per queue (by assignee 0) and per assignee (1).

    SQLite reads each histogram from its own index, in GROUP BY order. PostgreSQL hashes a GROUP BY
    on text whatever the index, so it counts once per queue, minutes and assignee in index order
    and regroups those, a fifth as many rows."""
    t = facts.tickets
    day, minutes = (t.c.replied_on, t.c.first_reply_minutes) if figure == "first_reply" else \
        (t.c.resolved_on, t.c.resolution_minutes)
    where: list[ColumnElement[bool]] = [when.holds(day), *scope.of(t)]
    rows: FromClause = t
    value: ColumnElement[int] = minutes
    tickets: ColumnElement[int] = func.count()
    if session.connection().dialect.name == "postgresql":
        rows = (select(t.c.queue, minutes.label("minutes"), t.c.assignee_id, func.count().label("n"))
                .where(*where).group_by(t.c.queue, minutes, t.c.assignee_id).cte("each"))
        value, tickets, where = rows.c.minutes, func.sum(rows.c.n).cast(Integer), []
    by_queue = (select(literal(0), rows.c.queue, null(), value, tickets)
                .where(*where).group_by(rows.c.queue, value))
    by_agent = (select(literal(1), null(), rows.c.assignee_id, value, tickets)
                .where(*where).group_by(rows.c.assignee_id, value))
    return session.connection().execute(union_all(by_queue, by_agent)).all()


def running_clocks(session: Session, scope: Scope, now: dt.datetime) -> Rows:
    """(queue, assignee_id, reply clocks running, tickets past a deadline, clocks past their deadline,
    refund clocks running) now; paused clocks wait on the customer and are left out."""
    past = SlaClock.due_at <= now
    return session.connection().execute(
        select(Ticket.queue, Ticket.assignee_id,
               func.sum(case((SlaClock.kind == "reply", 1), else_=0)),
               func.count(distinct(case((past, SlaClock.ticket_id)))),
               func.sum(case((past, 1), else_=0)),
               func.sum(case((SlaClock.kind == "refund", 1), else_=0)))
        .join(Ticket, Ticket.id == SlaClock.ticket_id)
        .where(SlaClock.running == true(), SlaClock.state.in_(RUNNING_STATES), *scope.where())
        .group_by(Ticket.queue, Ticket.assignee_id)).all()


def backlog(session: Session, scope: Scope, thresholds: Sequence[dt.datetime]) -> Rows:
    """(queue, age bucket, open tickets): bucket i holds tickets received after thresholds[i]
    (and not after thresholds[i-1]); the last bucket holds the rest."""
    age = case(*((Ticket.created_at > moment, i) for i, moment in enumerate(thresholds)),
               else_=len(thresholds)).label("age")
    return session.connection().execute(
        select(Ticket.queue, age, func.count())
        .where(Ticket.status.in_(OPEN_STATUSES), *scope.where())
        .group_by(Ticket.queue, age)).all()


def worst_breaches(session: Session, facts: FigureTables, scope: Scope, when: Period, now_elapsed: float,
                   now: dt.datetime, limit: int) -> Rows:
    """The clocks that missed their deadline in the period or are running past it now, the latest in
    business time first: (ticket id, reference, queue, kind, due_at, stopped_at, business seconds
    late). `now_elapsed` is E(now)."""
    c, due_day = facts.clocks, facts.hours.alias("due_day")
    missed = (select(c.c.clock_id, c.c.ticket_id, c.c.kind, c.c.late_seconds.label("late"))
              .where(c.c.late_seconds.is_not(None), when.holds(c.c.stopped_on), *scope.of(c))
              .order_by(c.c.late_seconds.desc(), c.c.ticket_id, c.c.kind).limit(limit).subquery())
    late = literal(now_elapsed, Float()) - elapsed(due_day, SlaClock.due_at)
    running = (select(SlaClock.id, SlaClock.ticket_id, SlaClock.kind, late.label("late"))
               .join(Ticket, Ticket.id == SlaClock.ticket_id)
               .join(due_day, due_day.c.day == epoch_day(SlaClock.due_at))
               .where(SlaClock.running == true(), SlaClock.state.in_(RUNNING_STATES), SlaClock.due_at <= now,
                      *scope.where())
               .order_by(late.desc(), SlaClock.ticket_id, SlaClock.kind).limit(limit).subquery())
    both = union_all(select(missed), select(running)).subquery()
    return session.connection().execute(
        select(Ticket.id, Ticket.reference, Ticket.queue, SlaClock.kind, SlaClock.due_at, SlaClock.stopped_at,
               both.c.late)
        .join(SlaClock, SlaClock.id == both.c.clock_id).join(Ticket, Ticket.id == SlaClock.ticket_id)
        .order_by(both.c.late.desc(), Ticket.id, SlaClock.kind).limit(limit)).all()


def agent_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.name, User.email).where(User.id.in_(sorted(ids))))
    return {row.id: row.name or row.email for row in rows}
