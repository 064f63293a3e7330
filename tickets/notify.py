"""Who hears of a ticket's trouble: a notice (an SLA warning, a reopened ticket) always reaches someone.

New tickets are unassigned and a queue's `team_address` is empty by default, so a notice sent only
to those would reach nobody. The chain: the assignee; else the queue's team address; else the
active agents who work the queue; else the active managers; else the active admins.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.config import Config
from tickets.models import Role, Ticket, User
from tickets.outbox import queue_notification

_STAFF = "notify_staff_by_role"


def _active_staff(session: Session) -> list[User]:
    """Every active account, read once per transaction (an SLA pass may notify on many tickets)."""
    if _STAFF not in session.info:
        session.info[_STAFF] = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
    staff: list[User] = session.info[_STAFF]
    return staff


def forget_staff(session: Session, *_: object) -> None:
    """After a commit or rollback: the next transaction reads the accounts afresh."""
    session.info.pop(_STAFF, None)


def recipients(session: Session, config: Config, ticket: Ticket) -> tuple[str, ...]:
    """The addresses a notice about `ticket` goes to: the first link of the chain that names anyone."""
    assignee = session.get(User, ticket.assignee_id) if ticket.assignee_id else None
    if assignee is not None and assignee.active and assignee.email:
        return (assignee.email,)
    team = config.queue(ticket.queue).team_address
    if team:
        return (team,)
    staff = _active_staff(session)
    for wanted in ((lambda u: u.role == Role.AGENT.value and ticket.queue in u.queue_list),
                   (lambda u: u.role == Role.MANAGER.value), (lambda u: u.role == Role.ADMIN.value)):
        found = tuple(u.email for u in staff if wanted(u) and u.email)
        if found:
            return found
    return ()


def notify_staff(session: Session, config: Config, ticket: Ticket, subject: str, body: str,
                 now: dt.datetime) -> int:
    """Queue the notice to each recipient; how many were queued (0 only when the shop has no staff)."""
    found = recipients(session, config, ticket)
    for to in found:
        queue_notification(session, config, to=to, subject=subject, body=body, ticket=ticket, now=now)
    return len(found)
