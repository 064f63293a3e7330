"""The report's stored figures: each reported ticket's and each stopped clock's business times,
derived once, so a report over a million tickets only adds them up (docs/architecture.md).

One pair of INSERT ... SELECT statements (`ticket_facts`, `clock_facts`) derives them from
`tickets` and `sla_clocks` joined to business time per UTC day (`sla.reports.business_days`), and
`sla.reports.daily_counts` counts them per date, for three callers that therefore always agree:

- `rebuild` (`helpdesk report rebuild`, and `sla.reports.figures_job` when the calendar in the config is
  not the one the stored figures were computed with): every ticket, from scratch;
- `sla.reports.figures_feed`, before a transaction that changed a reported field of a ticket or a clock
  commits: those tickets, in the writer's transaction, so a re-route, a reassignment or a late reply
  is in the next report;
- `temporary_figures`: the report's own temporary copy, when the stored figures cannot serve it (not built
  yet, or built with another calendar): slow on a large database, but right.

`report_state` records the calendar (the `[calendar]` table) the stored figures follow and the UTC
days `report_hours` covers; the feed computes with that calendar, whatever its own process's config
says, so stored figures never mix two calendars. Retention's anonymisation keeps the fields the
figures come from, so anonymised tickets keep counting.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    MetaData,
    Select,
    Table,
    case,
    delete,
    false,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sla.calendar import WorkingCalendar, calendar_for
from sla.policy import NO_CLOCK_QUEUE
from sla.reports import daily_counts
from sla.reports.business_days import DayRow, day_number, day_rows
from sla.reports.business_time_sql import elapsed, epoch_day, greatest, least, local_date, whole_minutes
from tickets.config import CalendarConfig, Config, WeekHours
from tickets.models import ReportClock, ReportDaily, ReportHours, ReportState, ReportTicket, SlaClock, Ticket

log = logging.getLogger(__name__)

RESOLVED_AT = func.coalesce(Ticket.solved_at, Ticket.closed_at)
STOPPED_STATES = ("met", "missed")
HORIZON_DAYS = 400  # report_hours reaches this far past now (deadlines lie ahead of it)
STATE_ID = 1


@dataclass(frozen=True)
class FigureTables:
    """Business time per UTC day, the figures derived with it and their daily counts: the stored
    tables or a report's temporary copies."""

    hours: Table
    tickets: Table
    clocks: Table
    daily: Table

    def add_counts(self, connection: Connection, sign: int, *ticket_ids: list[int]) -> None:
        """Add the figures of `ticket_ids` (all without) to the daily counts, times `sign`."""
        daily_counts.add(connection, self.tickets, self.clocks, self.daily, sign, *ticket_ids)


FIGURES = FigureTables(ReportHours.__table__, ReportTicket.__table__, ReportClock.__table__, ReportDaily.__table__)


@dataclass(frozen=True)
class FiguresState:
    """`report_state`: the calendar of the stored figures (`calendar_key`) and the UTC days covered."""

    calendar: str
    first_day: int
    last_day: int

    def serves(self, config: Config, now: dt.datetime) -> bool:
        return self.calendar == calendar_key(config) and self.first_day <= day_number(now) <= self.last_day


def calendar_key(config: Config) -> str:
    """The `[calendar]` table as canonical JSON: what business time, and so every figure, depends on."""
    return json.dumps(dataclasses.asdict(config.calendar), sort_keys=True)


@functools.lru_cache(maxsize=8)
def calendar_of(key: str) -> WorkingCalendar:
    """The working calendar a `calendar_key` describes."""
    fields = json.loads(key)
    fields.update(hours=WeekHours(**fields["hours"]), holidays=tuple(fields["holidays"]))
    return WorkingCalendar.from_config(CalendarConfig(**fields), "report_state")


def read_state(connection: Connection) -> FiguresState | None:
    row = connection.execute(select(ReportState.calendar, ReportState.first_day, ReportState.last_day)
                             .where(ReportState.id == STATE_ID)).first()
    return FiguresState(*row) if row else None


def counted() -> list[ColumnElement[bool]]:
    """The tickets reports count: customer tickets, neither auto mail nor merged duplicates (a merged
    ticket lives on in the one it was merged into)."""
    return [Ticket.auto == false(), Ticket.merged_into_id.is_(None), Ticket.queue != NO_CLOCK_QUEUE]


def ticket_facts(hours: Table, *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """One row per reported ticket, in `ReportTicket`'s column order."""
    got, replied, resolved = hours.alias("got"), hours.alias("replied"), hours.alias("resolved")
    received = elapsed(got, Ticket.created_at)
    return (select(Ticket.id, Ticket.queue, Ticket.assignee_id, local_date(got, Ticket.created_at),
                   local_date(replied, Ticket.first_reply_at),
                   whole_minutes(elapsed(replied, Ticket.first_reply_at) - received),
                   local_date(resolved, RESOLVED_AT), whole_minutes(elapsed(resolved, RESOLVED_AT) - received))
            .join(got, got.c.day == epoch_day(Ticket.created_at))
            .outerjoin(replied, replied.c.day == epoch_day(Ticket.first_reply_at))
            .outerjoin(resolved, resolved.c.day == epoch_day(RESOLVED_AT))
            .where(*counted(), *where))


def clock_facts(hours: Table, *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """One row per stopped clock of a reported ticket, in `ReportClock`'s column order; a missed
    clock's lateness is left out when it had no deadline."""
    stop, due = hours.alias("stop"), hours.alias("due")
    late = case((SlaClock.state == "missed", elapsed(stop, SlaClock.stopped_at) - elapsed(due, SlaClock.due_at)))
    early = case((SlaClock.stopped_at <= SlaClock.warn_at, True), else_=False)
    return (select(SlaClock.id, SlaClock.ticket_id, Ticket.queue, Ticket.assignee_id, SlaClock.kind, SlaClock.state,
                   early, local_date(stop, SlaClock.stopped_at), late)
            .join(Ticket, Ticket.id == SlaClock.ticket_id)
            .join(stop, stop.c.day == epoch_day(SlaClock.stopped_at))
            .outerjoin(due, due.c.day == epoch_day(SlaClock.due_at))
            .where(SlaClock.state.in_(STOPPED_STATES), *counted(), *where))


def derive_figures(connection: Connection, tables: FigureTables, *tickets: ColumnElement[bool]) -> None:
    """Insert the figures of the reported tickets matching `tickets` (conditions on `Ticket`)."""
    connection.execute(insert(tables.tickets).from_select([c.name for c in tables.tickets.c],
                                                          ticket_facts(tables.hours, *tickets)))
    connection.execute(insert(tables.clocks).from_select([c.name for c in tables.clocks.c],
                                                         clock_facts(tables.hours, *tickets)))


def hour_records(rows: Sequence[DayRow]) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        record: dict[str, Any] = {"day": row.day, "base": row.before, "date_before": row.date_before,
                                  "date_split": row.date_split, "date_after": row.date_after}
        for k, (lo, hi) in enumerate(row.padded()):
            record[f"lo{k}"], record[f"hi{k}"] = lo, hi
        records.append(record)
    return records


def _span(connection: Connection, now: dt.datetime) -> tuple[int, int]:
    """The UTC days from the earliest to the latest moment a figure or a deadline is taken at, and
    `HORIZON_DAYS` past now."""
    moments = [Ticket.created_at, Ticket.first_reply_at, Ticket.solved_at, Ticket.closed_at]
    clock_moments = [SlaClock.stopped_at, SlaClock.due_at]
    found = [*connection.execute(select(*(f(m) for m in moments for f in (func.min, func.max)))).one(),
             *connection.execute(select(*(f(m) for m in clock_moments for f in (func.min, func.max)))).one(), now]
    days = [day_number(moment) for moment in found if moment is not None]
    return min(days) - 1, max(max(days), day_number(now) + HORIZON_DAYS) + 1


def _fill(connection: Connection, tables: FigureTables, calendar: WorkingCalendar, span: tuple[int, int]) -> None:
    connection.execute(insert(tables.hours), hour_records(day_rows(calendar, *span)))
    derive_figures(connection, tables)
    tables.add_counts(connection, 1)


@dataclass(frozen=True)
class Rebuilt:
    tickets: int
    clocks: int
    days: int


def rebuild(session: Session, config: Config, now: dt.datetime) -> Rebuilt:
    """Derive every stored figure again with `config`'s calendar (after a calendar change, or to
    start). On PostgreSQL writers wait meanwhile, so none feeds a figure with the old calendar, and
    reports wait too (the figures' indexes are rebuilt)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE tickets, sla_clocks IN SHARE MODE"))
    span = _span(connection, now)
    indexes = [index for table in (FIGURES.tickets, FIGURES.clocks, FIGURES.daily) for index in table.indexes]
    for index in indexes:  # built afterwards by sorting, many times faster than row by row
        index.drop(connection)
    connection.execute(delete(ReportState))
    for table in (FIGURES.daily, FIGURES.clocks, FIGURES.tickets, FIGURES.hours):
        connection.execute(delete(table))
    _fill(connection, FIGURES, calendar_for(config), span)
    for index in indexes:
        index.create(connection)
    connection.execute(insert(ReportState).values(id=STATE_ID, calendar=calendar_key(config), first_day=span[0],
                                                  last_day=span[1], built_at=now))
    count = functools.partial(_count, connection)
    return Rebuilt(count(FIGURES.tickets), count(FIGURES.clocks), count(FIGURES.hours))


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def extend_business_days(connection: Connection, state: FiguresState, first_day: int, last_day: int) -> FiguresState:
    """Add the UTC days `report_hours` lacks between `first_day` and `last_day`; concurrent writers
    compute the same rows, so a day another one added first is skipped."""
    wanted = [(a, b) for a, b in ((first_day, state.first_day - 1), (state.last_day + 1, last_day)) if a <= b]
    if not wanted:
        return state
    calendar = calendar_of(state.calendar)
    insert_new = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(ReportHours)
    for span in wanted:
        connection.execute(insert_new.on_conflict_do_nothing(), hour_records(day_rows(calendar, *span)))
    connection.execute(update(ReportState).where(ReportState.id == STATE_ID).values(
        first_day=least(ReportState.first_day, first_day), last_day=greatest(ReportState.last_day, last_day)))
    return FiguresState(state.calendar, min(first_day, state.first_day), max(last_day, state.last_day))


def temporary_figures(session: Session, config: Config, now: dt.datetime) -> FigureTables:
    """The figures derived into temporary tables of the session's connection, for one report."""
    connection = session.connection()
    schema = "temp" if connection.dialect.name == "sqlite" else "pg_temp"
    metadata = MetaData()
    copies = []
    for table in (FIGURES.hours, FIGURES.tickets, FIGURES.clocks, FIGURES.daily):
        name = f"{table.name}_now"
        connection.execute(text(f"DROP TABLE IF EXISTS {schema}.{name}"))
        copy = Table(name, metadata, *(Column(c.name, c.type) for c in table.c), prefixes=["TEMPORARY"])
        copy.create(connection)
        copies.append(copy)
    tables = FigureTables(*copies)
    _fill(connection, tables, calendar_for(config), _span(connection, now))
    return tables


def for_report(session: Session, config: Config, now: dt.datetime) -> FigureTables:
    """The stored figures when they follow `config`'s calendar and cover `now`; else a scratch copy."""
    state = read_state(session.connection())
    if state is not None and state.serves(config, now):
        return FIGURES
    log.warning("stored report figures %s: computing this report from scratch; run `helpdesk report rebuild`",
                "missing" if state is None else "computed with another calendar or out of date")
    return temporary_figures(session, config, now)
