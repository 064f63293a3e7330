"""Ticket history as typed events, and the listeners of one set of services.

Every change to a ticket is recorded as a `TicketEvent` row whose `kind` is an `EventKind` and
whose `data` is one of the payload dataclasses below, so a misspelt kind or a missing field is an
error where it is written, not a silent no-op where it is read. Packages above `tickets` (the SLA
clocks) react to events without the domain importing them: the composition root (`services`)
gives each sessionmaker a `TicketListeners` in its `info`, and `record` calls those listeners in
the writer's transaction. A session made elsewhere records history and calls nobody.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from tickets.models import Ticket, TicketEvent


class EventKind(StrEnum):
    CREATED = "created"
    CUSTOMER_MESSAGE = "customer_message"
    PUBLIC_REPLY = "public_reply"
    NOTE = "note"
    ASSIGNED = "assigned"
    STATUS = "status"
    REROUTED = "rerouted"
    QUEUE_CONFIRMED = "queue_confirmed"
    RETURN_INSPECTED = "return_inspected"
    REFUND_COMPLETED = "refund_completed"
    MERGED = "merged"
    MERGED_FROM = "merged_from"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERY_RETRIED = "delivery_retried"
    REPLY_UNDONE = "reply_undone"
    SLA = "sla"


@dataclass(frozen=True)
class Created:
    kind: ClassVar[EventKind] = EventKind.CREATED
    queue: str
    message_id: str
    reasons: list[str]
    linked: str | None = None
    unsure: bool = False


@dataclass(frozen=True)
class CustomerMessage:
    kind: ClassVar[EventKind] = EventKind.CUSTOMER_MESSAGE
    message_id: str


@dataclass(frozen=True)
class PublicReply:
    kind: ClassVar[EventKind] = EventKind.PUBLIC_REPLY
    message_id: str
    status_before: str = ""  # what an undo puts back


@dataclass(frozen=True)
class ReplyUndone:
    """The agent took a reply back inside its undo window: it never left, so the clocks it stopped
    (at `sent_at`, ISO 8601) run again."""

    kind: ClassVar[EventKind] = EventKind.REPLY_UNDONE
    message_id: str
    sent_at: str


@dataclass(frozen=True)
class NoteAdded:
    kind: ClassVar[EventKind] = EventKind.NOTE


@dataclass(frozen=True)
class Assigned:
    kind: ClassVar[EventKind] = EventKind.ASSIGNED
    old: int | None
    new: int | None


@dataclass(frozen=True)
class StatusChanged:
    kind: ClassVar[EventKind] = EventKind.STATUS
    old: str
    new: str


@dataclass(frozen=True)
class Rerouted:
    kind: ClassVar[EventKind] = EventKind.REROUTED
    old: str
    new: str


@dataclass(frozen=True)
class QueueConfirmed:
    kind: ClassVar[EventKind] = EventKind.QUEUE_CONFIRMED
    queue: str


@dataclass(frozen=True)
class ReturnInspected:
    kind: ClassVar[EventKind] = EventKind.RETURN_INSPECTED
    passed: bool


@dataclass(frozen=True)
class RefundCompleted:
    kind: ClassVar[EventKind] = EventKind.REFUND_COMPLETED


@dataclass(frozen=True)
class Merged:
    kind: ClassVar[EventKind] = EventKind.MERGED
    into: str


@dataclass(frozen=True)
class MergedFrom:
    kind: ClassVar[EventKind] = EventKind.MERGED_FROM
    source: str


@dataclass(frozen=True)
class DeliveryFailed:
    kind: ClassVar[EventKind] = EventKind.DELIVERY_FAILED
    message_id: str | None
    rcpt: str
    error: str
    attempts: int


@dataclass(frozen=True)
class DeliveryRetried:
    kind: ClassVar[EventKind] = EventKind.DELIVERY_RETRIED
    outbox: int


@dataclass(frozen=True)
class ClockChanged:
    """An SLA clock started, paused, resumed, stopped, retargeted or changed state."""

    kind: ClassVar[EventKind] = EventKind.SLA
    clock: str
    state: str
    action: str
    due_at: str | None


Payload = (Created | CustomerMessage | PublicReply | NoteAdded | Assigned | StatusChanged | Rerouted | QueueConfirmed
           | ReturnInspected | RefundCompleted | Merged | MergedFrom | DeliveryFailed | DeliveryRetried | ClockChanged
           | ReplyUndone)
Listener = Callable[[Session, Ticket, Payload, dt.datetime], None]
LISTENERS_KEY = "ticket_listeners"


class TicketListeners:
    """The listeners of one set of services, handed to its sessions through `Session.info`."""

    def __init__(self, *listeners: Listener) -> None:
        self._listeners = list(listeners)

    def add(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def notify(self, session: Session, ticket: Ticket, payload: Payload, at: dt.datetime) -> None:
        for listener in self._listeners:
            listener(session, ticket, payload, at)

    def session_info(self) -> dict[str, Any]:
        """The `info` for a sessionmaker whose sessions reach these listeners."""
        return {LISTENERS_KEY: self}


def record(session: Session, ticket: Ticket, payload: Payload, at: dt.datetime,
           actor_id: int | None = None) -> TicketEvent:
    """Add one event to the ticket's history and tell the session's listeners."""
    event = TicketEvent(ticket_id=ticket.id, kind=payload.kind.value, actor_id=actor_id, at=at,
                        data=dataclasses.asdict(payload))
    session.add(event)
    listeners: TicketListeners | None = session.info.get(LISTENERS_KEY)
    if listeners is not None:
        listeners.notify(session, ticket, payload, at)
    return event
