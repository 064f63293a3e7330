"""Counts per shop date, queue and assignee, so a long period's counts add up a few rows a day.

`report_daily` is a sum of the stored figures (`sla.reports.figures`): a ticket counts as received
on its date, a stopped clock by its kind and outcome on the date it stopped. When the feed derives
a ticket's figures again it appends the ticket's old contribution negated and its new one, rather
than updating a shared row: the row of today's unassigned tickets in a queue would otherwise be
locked by every ingesting transaction until it commits. `compact` (the `report-facts` job) sums
each date's rows into one per queue and assignee.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

COUNTS = ("received", "reply_met", "reply_missed", "triage_met", "triage_missed", "resolution_met",
          "resolution_missed", "refund_early", "refund_at_risk", "refund_missed")
_OUTCOMES = {  # count: (clock kind, state, stopped by its warning or not (None: either))
    "reply_met": ("reply", "met", None), "reply_missed": ("reply", "missed", None),
    "triage_met": ("triage", "met", None), "triage_missed": ("triage", "missed", None),
    "resolution_met": ("resolution", "met", None), "resolution_missed": ("resolution", "missed", None),
    "refund_early": ("refund", "met", True), "refund_at_risk": ("refund", "met", False),
    "refund_missed": ("refund", "missed", None),
}


def contributions(tickets: Table, clocks: Table, sign: int, *ticket_ids: list[int]) -> Select[*tuple[Any, ...]]:
    """The counts of the figures in `tickets` and `clocks` (of `ticket_ids` only, when given), times
    `sign`, as `report_daily` rows."""
    def outcome(kind: str, state: str, early: bool | None) -> ColumnElement[int]:
        wanted = [clocks.c.kind == kind, clocks.c.state == state]
        if early is not None:
            wanted.append(clocks.c.early == early)
        return case((and_(*wanted), sign), else_=0)

    received = select(tickets.c.received_on.label("day"), tickets.c.queue, tickets.c.assignee_id,
                      literal(sign).label("received"), *(literal(0).label(name) for name in COUNTS[1:]))
    stopped = select(clocks.c.stopped_on.label("day"), clocks.c.queue, clocks.c.assignee_id,
                     literal(0).label("received"), *(outcome(*_OUTCOMES[name]).label(name) for name in COUNTS[1:]))
    for ids in ticket_ids:
        received = received.where(tickets.c.ticket_id.in_(ids))
        stopped = stopped.where(clocks.c.ticket_id.in_(ids))
    return _summed(union_all(received, stopped).subquery())


def add(connection: Connection, tickets: Table, clocks: Table, daily: Table, sign: int, *ticket_ids: list[int]) -> None:
    """Append `contributions` to `daily`."""
    columns = ["day", "queue", "assignee_id", *COUNTS]
    connection.execute(insert(daily).from_select(columns, contributions(tickets, clocks, sign, *ticket_ids)))


def compact(connection: Connection, daily: Table) -> int:
    """Sum the rows of each date that has several for a queue and assignee; the dates done.

    Writers may append meanwhile: on PostgreSQL one statement deletes the rows it sums (a row
    committed after it began is neither); SQLite has one writer at a time."""
    keys = (daily.c.day, daily.c.queue, daily.c.assignee_id)
    days = [day for (day,) in connection.execute(select(daily.c.day).group_by(*keys).having(func.count() > 1)
                                                 .distinct())]
    if not days:
        return 0
    columns = ["day", "queue", "assignee_id", *COUNTS]
    if connection.dialect.name == "postgresql":
        gone = delete(daily).where(daily.c.day.in_(days)).returning(*daily.c).cte("gone")
        connection.execute(insert(daily).add_cte(gone).from_select(columns, _summed(gone)))
    else:
        last = connection.execute(select(func.max(daily.c.id))).scalar_one()
        old = and_(daily.c.day.in_(days), daily.c.id <= last)
        connection.execute(insert(daily).from_select(columns, _summed(daily, old)))
        connection.execute(delete(daily).where(old))
    return len(days)


def _summed(rows: FromClause, *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """`rows` summed per date, queue and assignee; those summing to nothing left out."""
    keys = (rows.c.day, rows.c.queue, rows.c.assignee_id)
    sums = [func.sum(rows.c[name]) for name in COUNTS]
    return select(*keys, *sums).where(*where).group_by(*keys).having(or_(*(total != 0 for total in sums)))
