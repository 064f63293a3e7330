"""What the ticket page's reply box shows: the agent's draft, the replies still inside their undo
window, the limits the browser checks, and the list "send and next" moves through."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from tickets import drafts
from tickets.config import WebConfig
from tickets.models import Direction, Message, Outbox, Ticket, User

LIST_KEYS = ("queue", "status", "assignee", "sla")


@dataclass(frozen=True)
class Undoable:
    """An agent's own reply still held in the outbox: Undo takes it back until `until`."""

    message_id: int
    until: dt.datetime
    seconds_left: int


@dataclass(frozen=True)
class ReplyBox:
    draft: drafts.DraftText
    undoable: list[Undoable]
    max_characters: int
    max_attachment_bytes: int
    list_query: str


def list_query(url: str, list_path: str) -> str:
    """The filter of the ticket list `url` points at ('' for any other page): kept with the reply
    form so "send and next" moves through the list the agent came from."""
    parts = urlsplit(url or "")
    if parts.path != list_path:
        return ""
    return urlencode([(k, v) for k, v in parse_qsl(parts.query) if k in LIST_KEYS and v])


def list_args(query: str, ticket: Ticket) -> MultiDict[str, str]:
    """The list's filter as request arguments; with none known, the ticket's queue's open tickets."""
    wanted = MultiDict([(k, v) for k, v in parse_qsl(query) if k in LIST_KEYS])
    return wanted if wanted else MultiDict({"queue": ticket.queue})


def undoable(session: Session, ticket: Ticket, user: User, now: dt.datetime) -> list[Undoable]:
    rows = session.execute(select(Message.id, Outbox.next_attempt_at).join(Outbox, Outbox.message_id == Message.id)
                           .where(Message.ticket_id == ticket.id, Message.author_id == user.id,
                                  Message.direction == Direction.OUTBOUND.value, Outbox.status == "pending",
                                  Outbox.next_attempt_at > now)).all()
    return [Undoable(ident, until, max(1, int((until - now).total_seconds()))) for ident, until in rows]


def reply_box(session: Session, ticket: Ticket, user: User, web: WebConfig, now: dt.datetime, query: str) -> ReplyBox:
    return ReplyBox(drafts.load(session, ticket.id, user.id), undoable(session, ticket, user, now),
                    web.reply_max_characters, web.reply_attachments_max_bytes, query)
