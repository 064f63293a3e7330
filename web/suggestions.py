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
_SPACE_BEFORE_MARK = re.compile(r"[ \t]+([,.!])")
ORDER_PLACEHOLDER = "[order number]"


@dataclass(frozen=True)
class Suggestion:
    reference: str
    subject: str
    reply: str
    score: float


def _swaps(old_email: str | None, old_name: str, old_orders: str, new: Customer | None,
           new_orders: str) -> list[tuple[str, str]]:
    """(old, new) pairs: the solved ticket's customer and order numbers, for this ticket's."""
    orders = new_orders.split()
    pairs = [(number, orders[0] if orders else ORDER_PLACEHOLDER) for number in old_orders.split()]
    name = new.name if new is not None and new.name else ""
    if old_email:
        pairs.append((old_email, new.email if new is not None else ""))
    if old_name:
        pairs += [(old_name, name), (old_name.split()[0], name.split()[0] if name else "")]
    return [(before, after) for before, after in pairs if len(before) > 1]


def _whole(text: str, before: str, after: str) -> str:
    """`before` replaced where it stands as a whole word or phrase (not inside a longer word)."""
    parts, start = [], 0
    while (at := text.find(before, start)) >= 0:
        end = at + len(before)
        whole = (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
        parts += [text[start:at], after if whole else before]
        start = end
    return "".join(parts) + text[start:]


def personalise(text: str, swaps: list[tuple[str, str]]) -> str:
    """Each `before` (a whole word or phrase) replaced by its `after`, longest first, so a full name
    goes before its first name. Plain string scans: a pattern built per ticket cost more than the
    search itself."""
    for before, after in sorted(swaps, key=lambda pair: -len(pair[0])):
        text = _whole(text, before, after)
    return _SPACE_BEFORE_MARK.sub(r"\1", text)  # "Hi ," when no name is known: "Hi,"


def suggested_answers(session: Session, index: SuggestionIndex, page: TicketPage, user: User) -> list[Suggestion]:
    """Up to three suggestions for the page's ticket, best first. Hits are read as plain rows and only
    the chosen replies' text is decrypted."""
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
    rows = {row.id: row for row in session.execute(
        select(Ticket.id, Ticket.reference, Ticket.subject, Ticket.order_numbers, Customer.email, Customer.name,
               Customer.erased_at).outerjoin(Customer, Customer.id == Ticket.customer_id)
        .where(Ticket.id.in_([h.ticket_id for h in hits]), Ticket.queue == ticket.queue,
               Ticket.status.in_((Status.SOLVED.value, Status.CLOSED.value)), Ticket.anonymised_at.is_(None)))}
    chosen = [h for h in hits if h.ticket_id in rows and rows[h.ticket_id].erased_at is None][:COUNT]
    replies = {(m.id, m.ticket_id): m.text for m in session.execute(
        select(Message.id, Message.ticket_id, Message.text).where(
            Message.id.in_([h.reply_id for h in chosen]), Message.direction == Direction.OUTBOUND.value))}
    found: list[Suggestion] = []
    for hit in chosen:
        row, text = rows[hit.ticket_id], replies.get((hit.reply_id, hit.ticket_id))
        if text is not None:
            swaps = _swaps(row.email, row.name or "", row.order_numbers, page.customer, ticket.order_numbers)
            found.append(Suggestion(row.reference or "", row.subject, personalise(text, swaps), hit.score))
    return found
