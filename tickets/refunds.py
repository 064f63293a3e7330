"""The refund owed once returned goods pass inspection (Customer Service Policy section 4).

Marking the refund paid stops the ticket's refund clock, met or late, and is audited. Solving or
closing a ticket whose refund is still owed needs the agent's say-so (`confirmed`): otherwise the
refund would be forgotten behind a solved ticket, and its clock breach at 10 working days.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets import audit, operations
from tickets.errors import Conflict
from tickets.models import SlaClock, Status, Ticket, User

FINISHED = (Status.SOLVED.value, Status.CLOSED.value)


class RefundOwed(Conflict):
    """Solving or closing refused: the ticket's refund clock still runs."""


def owed(session: Session, ticket: Ticket) -> SlaClock | None:
    """The ticket's running refund clock, if a refund is owed."""
    return session.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == "refund",
                                                 SlaClock.stopped_at.is_(None)).order_by(SlaClock.id).limit(1))


def mark_paid(session: Session, ticket: Ticket, user: User | None, actor: str, address: str,
              now: dt.datetime) -> SlaClock:
    """Stop the refund clock (met by its deadline, missed after it) and audit who did it; the stopped clock."""
    clock = owed(session, ticket)
    if clock is None:
        raise Conflict(f"{ticket.reference} owes no refund: its returned goods have not passed inspection, "
                       "or the refund is already marked paid")
    operations.mark_refund_completed(session, ticket, user, now)
    audit.record(session, actor, audit.REFUND_PAID, f"ticket:{ticket.reference}", address, at=now,
                 outcome=clock.state)
    return clock


def check_finish(session: Session, ticket: Ticket, status: str, confirmed: bool) -> None:
    """Refuse to solve or close a ticket that still owes a refund, unless the agent confirmed it stays owed."""
    if status not in FINISHED or confirmed or ticket.status in FINISHED:
        return
    if owed(session, ticket) is not None:
        raise RefundOwed(f"{ticket.reference} still owes the customer a refund: press \"Refund paid\" first, "
                         f"or confirm that the refund stays owed to set it {status} anyway")
