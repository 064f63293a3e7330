"""Which ticket a message belongs to, by the three rules of docs/architecture.md ("Threading").

1. In-Reply-To/References name a Message-ID we stored, or an earlier message referenced this
   message's own ID (a reply that arrived before its original) -> that ticket.
2. The subject carries a ticket tag and the sender took part in that ticket -> that ticket; a tag
   from anyone else opens a new ticket linked to the tagged one (a guessed tag must not inject mail
   into a stranger's ticket).
3. Otherwise a new ticket. Never by subject text or sender alone.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.intake import Intake
from tickets.models import Customer, Ticket


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


def is_participant(intake: Intake, ticket: Ticket, sender: str) -> bool:
    """The sender is the ticket's customer or appeared in From, To or Cc of its messages."""
    if not sender:
        return False
    customer = ticket.customer or (intake.session.get(Customer, ticket.customer_id) if ticket.customer_id else None)
    if customer is not None and customer.email == sender:
        return True
    return sender in intake.participants_of(ticket.id)


def find_thread(intake: Intake, own_id: str, referenced: Sequence[str], tags: Sequence[str],
                sender: str) -> ThreadMatch:
    """Apply the three threading rules in order; `referenced` is In-Reply-To then References, newest first."""
    session = intake.session
    ticket_id = intake.threads.ticket_for(own_id, referenced)
    if ticket_id is not None:
        ticket = intake.ticket(ticket_id)
        if ticket is not None:
            return ThreadMatch(follow_merges(session, ticket), how="references")
    for tag in tags:
        tagged = session.scalar(select(Ticket).where(Ticket.reference == tag.upper()))
        if tagged is None:
            continue
        tagged = follow_merges(session, tagged)
        if is_participant(intake, tagged, sender.lower()):
            return ThreadMatch(tagged, how="tag")
        return ThreadMatch(None, linked=tagged, how="foreign-tag")
    return ThreadMatch(None)
