"""The queries behind the queue overview and the ticket lists.

A list is sorted by next deadline (tickets without one last), then id, or by another `Sort` the
list's `sort=` asks for (the newest customer message, the ticket number), and paginated by keyset:
the page after a ticket starts right after its (sort value, id), so no page ever counts or skips
rows with OFFSET. Each (queue, status) pair is read in the order of the index
`ix_tickets_queue_status_deadline` (queue, status, next_deadline, id) with its own LIMIT, all the
pairs in one statement (UNION ALL: one round trip however many queues a list spans), and the few
rows they return are sorted: a page costs about the same however long the queue is. Tickets with
a deadline are read first; those without follow by id, with the same trick.

The page's tickets come back as plain rows (`ListedTicket`) holding only what a list shows:
building full ORM objects (and decrypting every customer's sealed name) was most of a list's cost.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, tuple_, union_all
from sqlalchemy.orm import Session

from sla.state import STATES, state_at
from tickets.errors import InputError
from tickets.models import Customer, Direction, Message, Ticket, User
from tickets.operations import OPEN_STATUSES
from web.inputs import row_id

PAGE_SIZE = 50
SLA_STATES = STATES


PREVIEW_CHARS = 140


@dataclass(frozen=True)
class Sort:
    """A list order: by a nullable moment of the ticket (rows without one last), then id; or by id alone."""

    column: str | None
    descending: bool = False

    def key(self) -> ColumnElement[dt.datetime] | None:
        return None if self.column is None else getattr(Ticket, self.column)


# The `sort=` values a list accepts; a leading '-' reverses. "waiting" puts the longest-waiting first.
SORTS = {"due": Sort("next_deadline"), "-due": Sort("next_deadline", True),
         "waiting": Sort("last_customer_message_at"), "-waiting": Sort("last_customer_message_at", True),
         "ticket": Sort(None), "-ticket": Sort(None, True)}
DEFAULT_SORT = "due"


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: its last ticket's sort value (None in the tail ordered by id alone) and id."""

    value: dt.datetime | None
    id: int

    def encode(self) -> str:
        stamp = "-" if self.value is None else str(round(self.value.timestamp() * 1_000_000))
        return f"{stamp}.{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        stamp, _, ident = text.partition(".")
        try:
            value = None if stamp == "-" else dt.datetime.fromtimestamp(int(stamp) / 1_000_000, dt.UTC)
            return cls(value, row_id(ident))
        except (ValueError, OverflowError, OSError):
            raise InputError(f"not a page position: {text!r}") from None


@dataclass(frozen=True)
class ListFilter:
    """`assignee`: None for anyone, 0 for unassigned, else a user id; `sla`: '' or a clock state, as it
    is at `now` (`sla.state`)."""

    queues: tuple[str, ...]
    statuses: tuple[str, ...] = OPEN_STATUSES
    assignee: int | None = None
    sla: str = ""
    now: dt.datetime = field(kw_only=True)


@dataclass(frozen=True)
class Person:
    """A listed ticket's customer (only the address is read) or assignee."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class ListedTicket:
    """One list row: the attributes of `Ticket` that the rows template reads, under the same names."""

    id: int
    reference: str | None
    subject: str
    queue: str
    status: str
    next_deadline: dt.datetime | None
    merged_into_id: int | None
    last_customer_message_at: dt.datetime | None
    customer: Person | None
    assignee: Person | None
    to_triage: bool = False  # the router was unsure and no agent has placed it yet


@dataclass(frozen=True)
class Page:
    tickets: list[ListedTicket]
    sla: dict[int, str]
    next_cursor: Cursor | None


def _filtered(query: Select, wanted: ListFilter) -> Select:
    if wanted.assignee == 0:
        query = query.where(Ticket.assignee_id.is_(None))
    elif wanted.assignee is not None:
        query = query.where(Ticket.assignee_id == wanted.assignee)
    if wanted.sla:
        query = query.where(worst_state_is(wanted.sla, wanted.now))
    return query


def worst_state_is(state: str, now: dt.datetime) -> ColumnElement[bool]:
    """SQL: the worst running clock of the ticket is in `state` at `now`, from the ticket's earliest
    deadline and warning (`sla.clocks` keeps both): what the overview counts, the list shows."""
    breached = Ticket.next_deadline <= now
    at_risk = and_(Ticket.next_warn <= now, Ticket.next_deadline > now)
    ok = and_(Ticket.next_deadline > now, or_(Ticket.next_warn.is_(None), Ticket.next_warn > now))
    return {"breached": breached, "at_risk": at_risk, "ok": ok}[state]


def _slice(wanted: ListFilter, sort: Sort, after: Cursor | None, valued: bool, limit: int, queue: str,
           status: str) -> Select:
    """One (queue, status) slice in sort order after the cursor, with its own LIMIT: the rows with a
    sort value (`valued`), or the tail without one (every row, when the sort is by id alone)."""
    column = sort.key()
    query = _filtered(select(Ticket.id, Ticket.id if column is None else column)
                      .where(Ticket.queue == queue, Ticket.status == status), wanted)
    ident = Ticket.id.desc() if sort.descending else Ticket.id
    if valued and column is not None:
        query = query.where(column.is_not(None)).order_by(column.desc() if sort.descending else column, ident)
        if after is not None:
            key, mark = tuple_(column, Ticket.id), tuple_(after.value, after.id)
            query = query.where(key < mark if sort.descending else key > mark)
    else:
        if column is not None:
            query = query.where(column.is_(None))
        query = query.order_by(ident)
        if after is not None:
            query = query.where(Ticket.id < after.id if sort.descending else Ticket.id > after.id)
    return query.limit(limit)


def _merged(session: Session, wanted: ListFilter, sort: Sort, after: Cursor | None, valued: bool,
            limit: int) -> list[Cursor]:
    """The first `limit` keys over every slice. Each slice is a subquery (SQLite allows a LIMIT in a
    UNION ALL only there); at most `limit` rows a slice come back, sorted here."""
    slices = [_slice(wanted, sort, after, valued, limit, q, s).subquery().select()
              for q in wanted.queues for s in wanted.statuses]
    if not slices:
        return []
    rows = session.execute(slices[0] if len(slices) == 1 else union_all(*slices)).all()
    order = (lambda row: (row[1], row[0])) if valued else (lambda row: row[0])
    return [Cursor(value if valued else None, ident)
            for ident, value in sorted(rows, key=order, reverse=sort.descending)[:limit]]


def ticket_page(session: Session, wanted: ListFilter, after: Cursor | None = None, size: int = PAGE_SIZE,
                sort: Sort = SORTS[DEFAULT_SORT]) -> Page:
    """The `size` tickets after `after` in `sort` order, with their worst running SLA state."""
    keys: list[Cursor] = []
    if sort.column is not None and (after is None or after.value is not None):
        keys = _merged(session, wanted, sort, after, True, size + 1)
    if len(keys) <= size:
        tail_after = after if after is not None and after.value is None else None
        keys += _merged(session, wanted, sort, tail_after, False, size + 1 - len(keys))
    more = len(keys) > size
    keys = keys[:size]
    ids = [k.id for k in keys]
    found = listed_tickets(session, ids)
    states = worst_states(session, ids, wanted.now)
    return Page([found[i] for i in ids if i in found], states, keys[-1] if more else None)


def listed_tickets(session: Session, ticket_ids: Sequence[int]) -> dict[int, ListedTicket]:
    """The rows for these tickets by id, in one query with their customer's address and assignee."""
    rows = session.execute(
        select(Ticket.id, Ticket.reference, Ticket.subject, Ticket.queue, Ticket.status, Ticket.next_deadline,
               Ticket.merged_into_id, Ticket.last_customer_message_at, Customer.email, User.email, User.name,
               Ticket.unsure, Ticket.queue_confirmed)
        .outerjoin(Customer, Customer.id == Ticket.customer_id).outerjoin(User, User.id == Ticket.assignee_id)
        .where(Ticket.id.in_(list(ticket_ids))))
    return {row[0]: ListedTicket(*row[:8], customer=Person(row[8]) if row[8] is not None else None,
                                 assignee=Person(row[9], row[10]) if row[9] is not None else None,
                                 to_triage=bool(row[11]) and not row[12]) for row in rows}


def one_line(text: str, limit: int = PREVIEW_CHARS) -> str:
    """Text on one line, cut at a word near `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return cut + "…"


def previews(session: Session, ticket_ids: Sequence[int]) -> dict[int, str]:
    """Each ticket's newest customer words on one line: the new text (quoted history and signature
    already split off at ingest) of its newest human inbound message. Only that one short field is
    opened per ticket, never the whole body."""
    if not ticket_ids:
        return {}
    newest = (select(func.max(Message.id)).where(Message.ticket_id.in_(list(ticket_ids)),
                                                  Message.direction == Direction.INBOUND.value,
                                                  Message.auto.is_(False))
              .group_by(Message.ticket_id).scalar_subquery())
    rows = session.execute(select(Message.ticket_id, Message.new_text).where(Message.id.in_(newest)))
    return {ticket_id: one_line(text) for ticket_id, text in rows if text and text.strip()}


def worst_states(session: Session, ticket_ids: Sequence[int], now: dt.datetime) -> dict[int, str]:
    """Each ticket's worst running clock state at `now`, from its earliest deadline and warning (the
    definition `worst_state_is` filters and the overview counts by); tickets with no running clock
    are left out. One read by primary key, no clock row."""
    if not ticket_ids:
        return {}
    rows = session.execute(select(Ticket.id, Ticket.next_warn, Ticket.next_deadline)
                           .where(Ticket.id.in_(list(ticket_ids)), Ticket.next_deadline.is_not(None)))
    return {ticket_id: state_at(True, "", warn, due, now) for ticket_id, warn, due in rows}


@dataclass
class QueueCounts:
    """One queue's open tickets by status, and by their worst running SLA state."""

    queue: str
    statuses: dict[str, int] = field(default_factory=dict)
    sla: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return sum(self.statuses.values())


def queue_counts(session: Session, queues: Sequence[str], now: dt.datetime) -> list[QueueCounts]:
    """Active tickets per queue by status and by SLA state at `now`, in one aggregate over
    `ix_tickets_queue_status_deadline` alone: no clock row is read, however long the backlog.

    A ticket has a running clock exactly when it has a next deadline, and its worst clock is breached
    once that deadline has passed, at risk once its next warning has (`sla.clocks` keeps `next_deadline`
    and `next_warn` the earliest of its running clocks): the states at `now`, as `sla/state.py` derives
    them, not the ones the last sla-check stored.
    """
    counts = {q: QueueCounts(q) for q in queues}
    breached, at_risk = worst_state_is("breached", now), worst_state_is("at_risk", now)
    for queue, status, number, timed, late, risky in session.execute(
            select(Ticket.queue, Ticket.status, func.count(), func.count(Ticket.next_deadline),
                   func.count(case((breached, 1))), func.count(case((at_risk, 1))))
            .where(Ticket.queue.in_(list(queues)), Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.queue, Ticket.status)):
        sla = counts[queue].sla
        counts[queue].statuses[status] = number
        sla["ok"] = sla.get("ok", 0) + timed - late - risky
        for state, found in (("breached", late), ("at_risk", risky)):
            if found:
                sla[state] = sla.get(state, 0) + found
    return list(counts.values())
