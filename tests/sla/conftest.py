"""SLA fixtures: tickets driven the way the domain drives them, through the test's services.

The test's `session` comes from `services.sessions`, whose ticket listeners include the clock keeper:
new mail starts its clocks through the ingestion pipeline's step (`ClockKeeper.start_for_mail`), and
every other change is a typed event recorded with `tickets.events.record`.
"""
from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import Services
from sla.clocks import ClockKeeper
from tickets import events
from tickets.models import SlaClock, Ticket, User

TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/New_York"))
PAYLOADS: dict[events.EventKind, type] = {payload.kind: payload for payload in typing.get_args(events.Payload)}


@pytest.fixture
def agent(session: Session) -> User:
    user = User(email="ana@aeropressmall.com", name="Ana", created_at=TUESDAY_10)
    session.add(user)
    session.flush()
    return user


def open_mail_ticket(session: Session, keeper: ClockKeeper, queue: str = "presales.general",
                     received: dt.datetime = TUESDAY_10, auto: bool = False, assignee: User | None = None) -> Ticket:
    """A ticket opened by a customer mail, as ingestion leaves it: the "created" and "customer_message"
    events in its history, then the pipeline's "start clocks" step."""
    ticket = Ticket(queue=queue, mailbox="support", subject="Where is my AeroPress?", auto=auto,
                    assignee=assignee, created_at=received, updated_at=received,
                    last_customer_message_at=received)
    session.add(ticket)
    session.flush()
    ticket.reference = f"HD-{ticket.id}"
    message_id = f"<{ticket.id}@customer>"
    events.record(session, ticket, events.Created(queue=queue, message_id=message_id, reasons=[]), received)
    events.record(session, ticket, events.CustomerMessage(message_id), received)
    keeper.start_for_mail(session, ticket, created=True, at=received)
    session.flush()
    return ticket


def change(session: Session, keeper: ClockKeeper, ticket: Ticket, kind: str, at: dt.datetime, **data: Any) -> None:
    """Change the ticket as the domain would and record the typed event of `kind` ("status",
    "rerouted", "queue_confirmed", ...); a later customer mail also goes through the pipeline's
    "start clocks" step. An unknown kind or field is an error, as in the domain."""
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
    events.record(session, ticket, PAYLOADS[events.EventKind(kind)](**data), at)
    if kind == "customer_message":
        keeper.start_for_mail(session, ticket, created=False, at=at)
    session.flush()


@pytest.fixture
def open_ticket(session: Session, services: Services) -> Callable[..., Ticket]:
    """A ticket opened by a customer mail in the test's session (see `open_mail_ticket`)."""
    def make(queue: str = "presales.general", received: dt.datetime = TUESDAY_10, auto: bool = False,
             assignee: User | None = None) -> Ticket:
        return open_mail_ticket(session, services.clocks, queue, received, auto, assignee)
    return make


@pytest.fixture
def act(session: Session, services: Services) -> Callable[..., None]:
    """Change the ticket in the test's session and record the event (see `change`)."""
    def record(ticket: Ticket, kind: str, at: dt.datetime, **data: Any) -> None:
        change(session, services.clocks, ticket, kind, at, **data)
    return record


@pytest.fixture
def clock_of(session: Session) -> Callable[[Ticket, str], SlaClock | None]:
    """The latest clock of a kind on a ticket."""
    def latest(ticket: Ticket, kind: str) -> SlaClock | None:
        return session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == kind)
                               .order_by(SlaClock.id.desc())).first()
    return latest
