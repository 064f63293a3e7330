"""Reply drafts: what an agent typed on a ticket and has not sent, one per agent and ticket.

Kept on the server (sealed) as the agent types, so the text survives navigation, a reload and a
closed tab; sending the reply, or emptying the box, removes it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tickets.models import ReplyDraft


@dataclass(frozen=True)
class DraftText:
    text: str = ""
    cc: str = ""
    bcc: str = ""

    def empty(self) -> bool:
        return not (self.text.strip() or self.cc.strip() or self.bcc.strip())


def _row(session: Session, ticket_id: int, user_id: int) -> ReplyDraft | None:
    return session.scalar(select(ReplyDraft).where(ReplyDraft.ticket_id == ticket_id, ReplyDraft.user_id == user_id))


def load(session: Session, ticket_id: int, user_id: int) -> DraftText:
    draft = _row(session, ticket_id, user_id)
    return DraftText(draft.text, draft.cc, draft.bcc) if draft else DraftText()


def save(session: Session, ticket_id: int, user_id: int, wanted: DraftText, now: dt.datetime) -> None:
    """Keep `wanted` as the agent's draft on the ticket; an empty one is dropped."""
    if wanted.empty():
        discard(session, ticket_id, user_id)
        return
    draft = _row(session, ticket_id, user_id)
    if draft is None:
        draft = ReplyDraft(ticket_id=ticket_id, user_id=user_id)
        session.add(draft)
    draft.text, draft.cc, draft.bcc, draft.saved_at = wanted.text, wanted.cc, wanted.bcc, now


def discard(session: Session, ticket_id: int, user_id: int) -> None:
    session.execute(delete(ReplyDraft).where(ReplyDraft.ticket_id == ticket_id, ReplyDraft.user_id == user_id))
