"""Tickets close by themselves (Privacy Policy 003: closed after-sales data is cleaned automatically).

A solved ticket closes once the customer has been quiet for `[tickets] close_solved_after_days`
(default 7): their reply inside that time reopens it instead. Automatic mail (bounces, out-of-office
replies, newsletters) needs nobody's answer and closes as it arrives (`operations.open_ticket`); this
pass also closes any automatic ticket left open. Closing starts the retention period.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tickets import operations
from tickets.config import Config
from tickets.models import Status, Ticket

_CHUNK = 500
AUTO_QUEUE = "auto"  # where the router puts automatic mail (sla.policy.NO_CLOCK_QUEUE)


def close_quiet_tickets(session: Session, config: Config, now: dt.datetime) -> dict[str, int]:
    """One pass: close solved tickets quiet for the configured days, and open automatic mail."""
    cutoff = now - dt.timedelta(days=config.tickets.close_solved_after_days)
    quiet = (Ticket.status == Status.SOLVED.value, Ticket.solved_at < cutoff,
             or_(Ticket.last_customer_message_at.is_(None), Ticket.last_customer_message_at <= Ticket.solved_at))
    return {"solved": _close(session, now, *quiet),
              "auto": _close(session, now, or_(Ticket.auto.is_(True), Ticket.queue == AUTO_QUEUE),
                             Ticket.status != Status.CLOSED.value)}


def _close(session: Session, now: dt.datetime, *where: object) -> int:
    closed = 0
    while True:
        chunk = list(session.scalars(select(Ticket).where(*where).order_by(Ticket.id).limit(_CHUNK)))  # type: ignore[arg-type]
        for ticket in chunk:
            operations.set_status(session, ticket, Status.CLOSED.value, now)
        session.flush()
        closed += len(chunk)
        if len(chunk) < _CHUNK:
            return closed
