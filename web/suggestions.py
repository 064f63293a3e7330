"""The ticket page's suggested answers: the three solved tickets of its queue most like it, each with
the reply that solved it, ready to insert into the reply box (`routing.similar` finds them).

Privacy: suggestions come from the ticket's own queue and only for an agent who may open it; every
hit is read again here, so a ticket re-routed, reopened, anonymised or whose customer was erased
since the index was built is left out. The other customer's name, address and order numbers in the
reply are replaced by this ticket's before the agent sees it: a reply is a pattern to reuse, never a
way to read someone else's details.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.access import can_view_queue
from tickets.models import Customer, Direction, Message, Status, Ticket, User

if TYPE_CHECKING:
    from routing.similar import SuggestionIndex
    from web.ticket_page import TicketPage

COUNT = 3
ORDER_PLACEHOLDER = "[order number]"


@dataclass(frozen=True)
class Suggestion:
    reference: str
    subject: str
    reply: str
    score: float


def _swaps(old: Customer | None, old_orders: str, new: Customer | None, new_orders: str) -> list[tuple[str, str]]:
    """(old, new) pairs: the solved ticket's customer and order numbers, for this ticket's."""
    orders = new_orders.split()
    pairs = [(number, orders[0] if orders else ORDER_PLACEHOLDER) for number in old_orders.split()]
    if old is not None:
        name = new.name if new is not None and new.name else ""
        pairs.append((old.email, new.email if new is not None else ""))
        if old.name:
            pairs.append((old.name, name))
            pairs.append((old.name.split()[0], name.split()[0] if name else ""))
    return [(before, after) for before, after in pairs if len(before) > 1]


def personalise(text: str, swaps: list[tuple[str, str]]) -> str:
    """Each `before` (a whole word or phrase) replaced by its `after`, in one pass, longest first."""
    if not swaps:
        return text
    wanted = dict(swaps)
    alternatives = "|".join(re.escape(before) for before in sorted(wanted, key=len, reverse=True))
    text = re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", lambda match: wanted[match.group(0)], text)
    return re.sub(r"[ \t]+([,.!])", r"\1", text)  # "Hi ," when no name is known: "Hi,"


def suggested_answers(session: Session, index: SuggestionIndex, page: TicketPage, user: User) -> list[Suggestion]:
    """Up to three suggestions for the page's ticket, best first."""
    from routing.similar import ticket_text

    ticket = page.ticket
    if not can_view_queue(user, ticket.queue):
        return []
    queue_index = index.get(ticket.queue)
    if queue_index is None:
        return []
    bodies = [v.message.new_text or v.message.text for v in page.messages
              if v.message.direction == Direction.INBOUND.value]
    hits = queue_index.nearest(ticket_text(ticket.subject, bodies), exclude=ticket.id, count=COUNT * 3)
    if not hits:
        return []
    tickets = {t.id: t for t in session.scalars(select(Ticket).where(
        Ticket.id.in_([h.ticket_id for h in hits]), Ticket.queue == ticket.queue,
        Ticket.status.in_((Status.SOLVED.value, Status.CLOSED.value)), Ticket.anonymised_at.is_(None)))}
    replies = {m.id: m for m in session.scalars(select(Message).where(
        Message.id.in_([h.reply_id for h in hits]), Message.direction == Direction.OUTBOUND.value))}
    customers = {c.id: c for c in session.scalars(select(Customer).where(
        Customer.id.in_([t.customer_id for t in tickets.values() if t.customer_id])))}
    found: list[Suggestion] = []
    for hit in hits:
        solved, reply = tickets.get(hit.ticket_id), replies.get(hit.reply_id)
        if solved is None or reply is None or reply.ticket_id != solved.id:
            continue
        old = customers.get(solved.customer_id or 0)
        if old is not None and old.erased_at is not None:
            continue
        swaps = _swaps(old, solved.order_numbers, page.customer, ticket.order_numbers)
        found.append(Suggestion(solved.reference or "", solved.subject, personalise(reply.text, swaps), hit.score))
    return found[:COUNT]
