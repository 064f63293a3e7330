"""SLA fixtures: the clock keeper installed, and tickets driven by events the way the domain emits them."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sla import clocks
from tickets import events
from tickets.config import Config
from tickets.models import SlaClock, Ticket, User

TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def keeper(config: Config) -> Iterator[None]:
    """The clock keeper listening to ticket events for the test's config."""
    clocks.install(config)
    yield
    clocks.uninstall()


@pytest.fixture
def agent(session: Session) -> User:
    user = User(email="ana@aeropressmall.com", name="Ana", created_at=TUESDAY_10)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def open_ticket(session: Session, keeper: None) -> Callable[..., Ticket]:
    """A ticket opened by a customer mail: the "created" then the "customer_message" event."""
    def make(queue: str = "presales.general", received: dt.datetime = TUESDAY_10, auto: bool = False,
             assignee: User | None = None) -> Ticket:
        ticket = Ticket(queue=queue, mailbox="support", subject="Where is my AeroPress?", auto=auto,
                        assignee=assignee, created_at=received, updated_at=received,
                        last_customer_message_at=received)
        session.add(ticket)
        session.flush()
        ticket.reference = f"HD-{ticket.id}"
        events.record(session, ticket, "created", received, queue=queue, message_id=f"<{ticket.id}@customer>")
        events.record(session, ticket, "customer_message", received, message_id=f"<{ticket.id}@customer>")
        session.flush()
        return ticket
    return make


@pytest.fixture
def act(session: Session) -> Callable[..., None]:
    """Change the ticket as the domain would and record the event: status, rerouted, queue_confirmed..."""
    def record(ticket: Ticket, kind: str, at: dt.datetime, **data: Any) -> None:
        if kind == "status":
            data = {"old": ticket.status, **data}
            ticket.status = data["new"]
        elif kind == "rerouted":
            data = {"old": ticket.queue, **data}
            ticket.queue, ticket.queue_confirmed = data["new"], True
        elif kind == "queue_confirmed":
            ticket.queue_confirmed = True
            data = {"queue": ticket.queue}
        elif kind == "customer_message":
            ticket.last_customer_message_at = at
        events.record(session, ticket, kind, at, **data)
        session.flush()
    return record


@pytest.fixture
def clock_of(session: Session) -> Callable[[Ticket, str], SlaClock | None]:
    """The latest clock of a kind on a ticket."""
    def latest(ticket: Ticket, kind: str) -> SlaClock | None:
        return session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == kind)
                               .order_by(SlaClock.id.desc())).first()
    return latest
