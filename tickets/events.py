"""Ticket history, and the hook through which higher layers react to it.

Every change to a ticket is recorded here as a `TicketEvent`. Packages above `tickets` (the SLA
clocks, for one) subscribe with `subscribe`, so the domain never imports them, yet a reply, a
re-route or a status change made anywhere (console, mail, command line) reaches them in the same
transaction.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from sqlalchemy.orm import Session

from tickets.models import Ticket, TicketEvent

Listener = Callable[[Session, Ticket, TicketEvent], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Call `listener` after each recorded event (idempotent: a listener is kept once)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def record(session: Session, ticket: Ticket, kind: str, at: dt.datetime, actor_id: int | None = None,
           **data: Any) -> TicketEvent:
    """Add one event to the ticket's history and tell the listeners."""
    event = TicketEvent(ticket_id=ticket.id, kind=kind, actor_id=actor_id, at=at, data=data)
    session.add(event)
    for listener in list(_listeners):
        listener(session, ticket, event)
    return event
