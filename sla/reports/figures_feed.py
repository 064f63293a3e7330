"""Keeps the stored report figures (`sla.reports.figures`) current, in the writer's transaction.

Each flush notes the tickets whose reported fields changed (queue, assignee, receipt, first reply,
resolution, auto or merged) or that gained or changed a stopped clock; before the transaction (or a
savepoint) commits, and before a report reads the figures, their figures are derived again from
their rows, once however many flushes touched them (a reply flushes twice). Writers need not know:
the console's actions, ingestion, the clock keeper and a test writing rows all flush through a
session. A rolled-back savepoint takes its changes with it: its tickets are derived again from the
rows it left.

ORM bulk UPDATEs and raw SQL bypass the feed; the ones the helpdesk runs change no reported field
(the clock check moves running clocks on, retention blanks personal fields), and
`helpdesk report rebuild` derives everything again. Until the figures were built once
(`report_state`), the feed does nothing and reports compute from scratch.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import Connection, delete, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from sla.reports.business_days import day_number
from sla.reports.figures import FIGURES, STOPPED_STATES, FiguresState, derive_figures, extend_business_days, read_state
from tickets.changes import changed, values
from tickets.models import SlaClock, Ticket

_TICKET_FIELDS = ("queue", "assignee_id", "auto", "merged_into_id", "created_at", "first_reply_at", "solved_at",
                  "closed_at")
_CLOCK_FIELDS = ("ticket_id", "kind", "state", "warn_at", "due_at", "stopped_at")
_STATE = "report_state"
_PENDING = "report_pending"
_CHUNK = 500


@dataclass
class _Pending:
    """The tickets flushed since the figures were last written, with the times they are taken at."""

    tickets: set[int] = field(default_factory=set)
    moments: list[dt.datetime] = field(default_factory=list)
    created: set[int] = field(default_factory=set)


def _stopped(clock: SlaClock) -> bool:
    """Met or missed now, or before this flush: only stopped clocks have figures."""
    return any(state in STOPPED_STATES for state in (clock.state, *inspect(clock).attrs.state.history.deleted))


def after_flush(session: Session, _context: Any) -> None:
    """The `after_flush` listener: note the tickets this flush changed, for `settle`."""
    tickets: set[int] = set()
    moments: list[dt.datetime | None] = []
    new, dirty = session.new, session.dirty
    for obj in chain(new, dirty, session.deleted):
        if isinstance(obj, Ticket) and (obj not in dirty or changed(obj, _TICKET_FIELDS)):
            tickets.add(obj.id)
            moments += [obj.created_at, obj.first_reply_at, obj.solved_at, obj.closed_at]
        elif isinstance(obj, SlaClock) and _stopped(obj) and (obj not in dirty or changed(obj, _CLOCK_FIELDS)):
            tickets.update([*values(obj, "ticket_id"), obj.ticket_id])
            moments += [obj.stopped_at, obj.due_at]
    if tickets:
        pending = session.info.setdefault(_PENDING, _Pending())
        pending.tickets |= tickets
        pending.moments += [moment for moment in moments if moment is not None]
        pending.created |= {obj.id for obj in new if isinstance(obj, Ticket)}


def settle(session: Session) -> None:
    """Derive again the figures of the tickets flushed since the last time: the `before_commit`
    listener, and what a report calls before it reads the figures in a writer's transaction."""
    if _PENDING not in session.info and not session.dirty and not session.new and not session.deleted:
        return
    session.flush()
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is not None:
        refresh(session, pending.tickets, pending.moments, pending.created)


def _state(session: Session, connection: Connection) -> FiguresState | None:
    """`report_state`, read once per transaction."""
    if _STATE not in session.info:
        session.info[_STATE] = read_state(connection)
    state: FiguresState | None = session.info[_STATE]
    return state


def forget_state(session: Session, *_: Any) -> None:
    """After a commit or rollback: the next transaction reads `report_state` afresh."""
    session.info.pop(_STATE, None)


def forget_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    """After the transaction rolled back (not a savepoint: its tickets are settled from the rows it
    left), nothing is pending."""
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def refresh(session: Session, ticket_ids: Iterable[int], moments: list[dt.datetime],
            created: Collection[int] = ()) -> None:
    """Derive these tickets' figures again (a ticket no longer reported loses them); `moments` are
    the times they are taken at, which business time per day must cover; `created` tickets are
    new in this transaction, so they have no figures to take back yet."""
    connection = session.connection()
    state = _state(session, connection)
    if state is None:
        return
    if moments:
        days = [day_number(moment) for moment in moments]
        session.info[_STATE] = extend_business_days(connection, state, min(days), max(days))
    ids = sorted(i for i in set(ticket_ids) if i is not None)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        old = [i for i in chunk if i not in created]
        if old:
            if connection.dialect.name == "postgresql":  # a concurrent writer of these tickets waits for us
                connection.execute(select(Ticket.id).where(Ticket.id.in_(old)).order_by(Ticket.id).with_for_update())
            FIGURES.add_counts(connection, -1, old)
            connection.execute(delete(FIGURES.tickets).where(FIGURES.tickets.c.ticket_id.in_(old)))
            connection.execute(delete(FIGURES.clocks).where(FIGURES.clocks.c.ticket_id.in_(old)))
        derive_figures(connection, FIGURES, Ticket.id.in_(chunk))
        FIGURES.add_counts(connection, 1, chunk)
