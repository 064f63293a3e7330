"""SLA targets per queue (docs/policies.md) and the promise an acknowledgement makes.

The numbers live in the config (`[queues."<name>"]`), so a shop changes a promise without code.
Mail in the `auto` queue is never answered, so it has no clock at all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sla.calendar import WorkingCalendar
from tickets.config import Config
from tickets.models import Ticket

NO_CLOCK_QUEUE = "auto"
KINDS = ("reply", "triage", "resolution", "refund")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Target:
    """A clock's deadline and the point where it turns at risk, both in working days from its start."""

    days: float
    warn_days: float


def has_clocks(queue: str) -> bool:
    return queue != NO_CLOCK_QUEUE


def refund_window(config: Config, queue: str) -> tuple[float, float]:
    """(warn, breach) working days for a refund after the return passes inspection.

    The 5-10 working-day refund promise (policy section 4) holds for every return, whichever queue
    the ticket sits in; a queue may set its own window, otherwise the first queue that defines one
    (`refunds`, by default) gives it.
    """
    own = config.queue(queue)
    if own.refund_breach_working_days > 0:
        return own.refund_warn_working_days, own.refund_breach_working_days
    for other in config.queues.values():
        if other.refund_breach_working_days > 0:
            return other.refund_warn_working_days, other.refund_breach_working_days
    return 0.0, 0.0


def target(config: Config, queue: str, kind: str) -> Target | None:
    """The target of clock `kind` in `queue`, or None when that queue runs no such clock."""
    if not has_clocks(queue):
        return None
    settings = config.queue(queue)
    if kind == "refund":
        warn, breach = refund_window(config, queue)
        return Target(breach, warn) if breach > 0 else None
    days = {"reply": settings.reply_working_days, "triage": settings.triage_working_days,
            "resolution": settings.resolution_working_days}[kind]
    return Target(days, days * config.sla.at_risk_share) if days > 0 else None


def shortest_reply(config: Config, mailbox: str) -> Target | None:
    """The reply target every queue of `mailbox` keeps: the shortest among its queues and its default queue.

    A ticket the router could not place waits in its mailbox's default queue until an agent moves
    it, possibly to a faster queue; only this promise holds wherever it ends up.
    """
    queues = {name for name, settings in config.queues.items() if settings.mailbox == mailbox}
    queues.add(config.mailbox(mailbox).default_queue)
    targets = [found for queue in sorted(queues) if (found := target(config, queue, "reply")) is not None]
    return min(targets, key=lambda found: found.days, default=None)


def ticket_target(config: Config, ticket: Ticket, kind: str) -> Target | None:
    """The target of a ticket's `kind` clock: its queue's, except the first reply to a ticket the router
    was unsure of, which keeps the promise its acknowledgement made (`shortest_reply`)."""
    own = target(config, ticket.queue, kind)
    if kind != "reply" or own is None or not ticket.unsure or ticket.first_reply_at is not None:
        return own
    promised = shortest_reply(config, ticket.mailbox)
    return promised if promised is not None and promised.days < own.days else own


def working_days_text(days: float) -> str:
    return f"{days:g} working day" + ("" if days == 1 else "s")


def promise_text(config: Config, calendar: WorkingCalendar, queue: str, received: dt.datetime,
                 unsure_at: str = "", now: dt.datetime | None = None) -> str:
    """The acknowledgement's promise, e.g. "within 2 working days, by Thursday 26 November, 10:00".

    The time is the calendar's local time; the year is named only when it is not the year of
    receipt. A queue without a reply clock promises nothing (an empty string). For mail the
    router was unsure of, `unsure_at` names the mailbox it came to, and the promise is the one
    every queue of that mailbox keeps. A deadline at or before `now` is never promised (an empty string).
    """
    reply = shortest_reply(config, unsure_at) if unsure_at else target(config, queue, "reply")
    if reply is None:
        return ""
    deadline = calendar.add_working_days(received, reply.days)
    if now is not None and deadline <= now:
        return ""
    due = calendar.local(deadline)
    year = f" {due.year}" if due.year != calendar.local(received).year else ""
    return (f"within {working_days_text(reply.days)}, by {_DAYS[due.weekday()]} {due.day} "
            f"{_MONTHS[due.month - 1]}{year}, {due:%H:%M}")
