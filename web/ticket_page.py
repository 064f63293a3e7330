"""Everything the ticket page shows, gathered in a handful of indexed queries.

The page reads: the ticket and its customer, the whole thread (inbound, outbound and notes) with
attachments, the SLA clocks, the customer's other tickets in queues the agent may open, the
recent history, the people it can be assigned to, who else has it open, and which actions apply
(`web.actions_panel`); the router's reasons and the clocks' history in plain words (`web.plain_words`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sla.calendar import WorkingCalendar
from tickets.access import can_view_queue, sees_all_queues, visible_queues
from tickets.config import Config
from tickets.models import Customer, Direction, Message, SlaClock, Ticket, TicketEvent, User
from web.actions_panel import ActionsPanel, actions_panel
from web.clockview import ClockView, clock_views
from web.plain_words import clock_event, newest_of_each_kind, routing_reason
from web.presence import Seen, others
from web.sanitize import clean_html, has_remote_images

OTHER_TICKETS = 10
HISTORY = 30
ASSIGNABLE = 500


@dataclass(frozen=True)
class MessageView:
    message: Message
    author: str
    remote_images: bool


@dataclass(frozen=True)
class EventView:
    event: TicketEvent
    actor: str
    summary: str


@dataclass(frozen=True)
class TicketPage:
    ticket: Ticket
    customer: Customer | None
    messages: list[MessageView]
    newest_inbound_id: int
    clocks: list[ClockView]
    other_tickets: list[Ticket]
    history: list[EventView]
    assignable: list[User]
    queues: list[tuple[str, str]]
    presence: list[Seen]
    merged_into: Ticket | None
    linked: Ticket | None
    actions: ActionsPanel
    routing: list[str]  # the router's reasons, in plain words
    clock_history: list[EventView]  # the SLA events, oldest first, in plain words


def newest_inbound_id(session: Session, ticket_id: int) -> int:
    """The id of the newest customer message on the ticket (0 when none): the reply form's guard."""
    return session.scalar(select(func.max(Message.id)).where(Message.ticket_id == ticket_id,
                                                            Message.direction == Direction.INBOUND.value)) or 0


def _staff(session: Session) -> list[User]:
    """Active staff by name: the assignee choices, and the names of most authors and actors."""
    return list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)
                                .limit(ASSIGNABLE)))


def _names(session: Session, user_ids: set[Any], known: dict[int, str]) -> dict[int, str]:
    """`known` display names plus those of `user_ids`; only users not already known are read."""
    missing = {i for i in user_ids if i and i not in known}
    if not missing:
        return known
    return known | {u.id: u.name or u.email for u in session.scalars(select(User).where(User.id.in_(missing)))}


def _messages(session: Session, ticket: Ticket, known: dict[int, str]) -> list[MessageView]:
    messages = list(session.scalars(select(Message).where(Message.ticket_id == ticket.id)
                                    .options(selectinload(Message.attachments))
                                    .order_by(Message.received_at, Message.id)))
    authors = _names(session, {m.author_id for m in messages}, known)
    return [MessageView(m, authors.get(m.author_id or 0) or m.sender_name or m.sender,
                        bool(m.html) and has_remote_images(clean_html(m.html))) for m in messages]


def _newest_inbound(messages: list[MessageView]) -> int:
    """`newest_inbound_id`, from the thread already read."""
    return max((v.message.id for v in messages if v.message.direction == Direction.INBOUND.value), default=0)


def _other_tickets(session: Session, ticket: Ticket, user: User, config: Config) -> list[Ticket]:
    if ticket.customer_id is None:
        return []
    query = (select(Ticket).where(Ticket.customer_id == ticket.customer_id, Ticket.id != ticket.id)
             .order_by(Ticket.id.desc()).limit(OTHER_TICKETS))
    if not sees_all_queues(user):
        query = query.where(Ticket.queue.in_(visible_queues(user, config)))
    return list(session.scalars(query))


@dataclass(frozen=True)
class Words:
    """What a history summary may name: staff by id, queues by title, moments on the shop's clock."""

    names: dict[int, str]
    queue: Callable[[str], str]
    when: Callable[[dt.datetime | None], str]


_SUMMARIES: dict[str, Callable[[dict[str, Any], Words], str]] = {
    "created": lambda d, w: f"in {w.queue(d.get('queue') or '')}",
    "assigned": lambda d, w: f"to {w.names.get(d.get('new') or 0, 'nobody')}",
    "status": lambda d, _: f"{d.get('old')} to {d.get('new')}",
    "rerouted": lambda d, w: f"from {w.queue(d.get('old') or '')} to {w.queue(d.get('new') or '')}",
    "queue_confirmed": lambda d, w: w.queue(d.get("queue") or ""),
    "merged": lambda d, _: f"into {d.get('into')}",
    "merged_from": lambda d, _: f"{d.get('source')} merged in",
    "return_inspected": lambda d, _: "passed" if d.get("passed") else "failed",
    "sla": lambda d, w: clock_event(d, w.when),
    "delivery_failed": lambda d, _: f"to {d.get('rcpt')}: {d.get('error')}",
}


def _events(session: Session, ticket: Ticket, clocks: bool, words: Words) -> list[EventView]:
    """The latest events, each told in a few words (who was assigned, from which queue to which):
    the SLA clocks' events (`clocks`) or every other kind."""
    kind = TicketEvent.kind == "sla"
    events = list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                           kind if clocks else ~kind)
                                  .order_by(TicketEvent.id.desc()).limit(HISTORY)))
    user_ids = {e.actor_id for e in events} | {e.data.get("new") for e in events if e.kind == "assigned"}
    names = _names(session, user_ids, words.names)
    told = Words(names, words.queue, words.when)
    return [EventView(e, names.get(e.actor_id or 0, "system"), _SUMMARIES.get(e.kind, lambda d, w: "")(e.data, told))
            for e in events]


def assignable_users(staff: list[User], queue: str) -> list[User]:
    """Active staff who may open the queue: a ticket is never handed to someone who cannot see it."""
    return [u for u in staff if can_view_queue(u, queue)]


def ticket_page(session: Session, ticket: Ticket, user: User, config: Config, calendar: WorkingCalendar,
                now: dt.datetime, when: Callable[[dt.datetime | None], str]) -> TicketPage:
    """One users query names the staff for the thread, the history and the assignee choices.

    Only the newest clock of each kind is shown (after a customer's second mail, the running reply
    clock, not also the one the first reply met); the others are in the clock history."""
    staff = _staff(session)
    known = {u.id: u.name or u.email for u in staff}
    messages = _messages(session, ticket, known)
    clocks = list(session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)))
    words = Words(known, lambda queue: config.queue(queue).title or queue, when)
    return TicketPage(
        ticket=ticket, customer=ticket.customer, messages=messages, newest_inbound_id=_newest_inbound(messages),
        clocks=clock_views(newest_of_each_kind(clocks), calendar, now),
        other_tickets=_other_tickets(session, ticket, user, config),
        history=_events(session, ticket, False, words), assignable=assignable_users(staff, ticket.queue),
        queues=[(name, config.queue(name).title or name) for name in config.queues],
        presence=others(session, ticket.id, user.id, now),
        merged_into=session.get(Ticket, ticket.merged_into_id) if ticket.merged_into_id else None,
        linked=session.get(Ticket, ticket.linked_ticket_id) if ticket.linked_ticket_id else None,
        actions=actions_panel(ticket, user, config, clocks),
        routing=[routing_reason(str(reason), words.queue) for reason in ticket.routing_reasons],
        clock_history=_events(session, ticket, True, words)[::-1])
