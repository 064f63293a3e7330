"""Which ticket a message belongs to, exactly as DESIGN section 3 orders it.

1. In-Reply-To/References name a Message-ID we stored, or an earlier message referenced this
   message's own ID (a reply that arrived before its original) -> that ticket.
2. The subject carries a ticket tag and the sender took part in that ticket -> that ticket; a tag
   from anyone else opens a new ticket linked to the tagged one (a guessed tag must not inject mail
   into a stranger's ticket).
3. Otherwise a new ticket. Never by subject text or sender alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.models import Customer, Participant, ThreadKey, Ticket


@dataclass(frozen=True)
class ThreadMatch:
    """The ticket to add the message to (None: open a new one), and a ticket to link a new one to."""

    ticket: Ticket | None
    linked: Ticket | None = None
    how: str = "new"


def follow_merges(session: Session, ticket: Ticket) -> Ticket:
    """A merged ticket forwards to the ticket it was merged into."""
    seen = {ticket.id}
    while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
        seen.add(ticket.merged_into_id)
        ticket = session.get(Ticket, ticket.merged_into_id) or ticket
    return ticket


def _by_message_ids(session: Session, own_id: str, referenced: Sequence[str]) -> Ticket | None:
    """One indexed query over thread keys; the nearest reference (In-Reply-To first) wins."""
    wanted = [own_id, *referenced]
    rows = dict(session.execute(
        select(ThreadKey.message_id, ThreadKey.ticket_id)
        .where(ThreadKey.message_id.in_(wanted))
        .where((ThreadKey.stored.is_(True)) | (ThreadKey.message_id == own_id))).all())
    for key in wanted:
        if key in rows:
            return session.get(Ticket, rows[key])
    return None


def is_participant(session: Session, ticket: Ticket, addresses: Sequence[str]) -> bool:
    """The sender is the ticket's customer or appeared in From, To or Cc of its messages."""
    if not addresses:
        return False
    if ticket.customer_id is not None:
        customer = session.get(Customer, ticket.customer_id)
        if customer is not None and customer.email in addresses:
            return True
    found = session.scalar(select(Participant.id).where(Participant.ticket_id == ticket.id,
                                                        Participant.email.in_(addresses)).limit(1))
    return found is not None


def find_thread(session: Session, own_id: str, referenced: Sequence[str], tags: Sequence[str],
                sender: str) -> ThreadMatch:
    """Apply the three threading rules in order; `referenced` is In-Reply-To then References, newest first."""
    ticket = _by_message_ids(session, own_id, referenced)
    if ticket is not None:
        return ThreadMatch(follow_merges(session, ticket), how="references")
    for tag in tags:
        tagged = session.scalar(select(Ticket).where(Ticket.reference == tag.upper()))
        if tagged is None:
            continue
        tagged = follow_merges(session, tagged)
        if is_participant(session, tagged, [sender.lower()] if sender else []):
            return ThreadMatch(tagged, how="tag")
        return ThreadMatch(None, linked=tagged, how="foreign-tag")
    return ThreadMatch(None)
