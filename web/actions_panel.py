"""Which actions the ticket page offers: only those that apply to the ticket's queue and state.

A merged ticket forwards to its target and offers nothing; a closed one can only be reopened (or
handed to someone); "Confirm queue" appears only where confirming means something (a ticket the
router was unsure of, a complaint whose triage clock runs) and says what it does; the inspection
buttons only on return and refund tickets whose goods have not passed inspection yet.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tickets.config import Config
from tickets.models import SlaClock, Status, Ticket, User

INSPECTION_QUEUES = ("returns", "refunds")
STATUS_CHOICES = ("new", "open", "pending", "solved", "closed")


@dataclass(frozen=True)
class ActionsPanel:
    assign: bool
    claim: bool
    statuses: tuple[str, ...]  # the statuses it may be set to (not the one it has)
    reroute: bool
    confirm_queue: str  # why confirming matters here; '' hides the button
    inspection: bool
    merge: bool


def _confirm_reason(ticket: Ticket, config: Config) -> str:
    if ticket.queue_confirmed:
        return ""
    if ticket.unsure:
        return ("The router was unsure where this ticket belongs and left it here. Confirm the queue if it is "
                "right (the router learns from it), or re-route it.")
    days = config.queue(ticket.queue).triage_working_days
    if days > 0:
        return (f"Complaints are classified within {days:g} working day{'' if days == 1 else 's'}. Confirming "
                "that this is the right queue stops the triage clock.")
    return ""


def actions_panel(ticket: Ticket, user: User, config: Config, clocks: Iterable[SlaClock]) -> ActionsPanel:
    """The actions the panel shows for this ticket, as `user` sees it."""
    if ticket.merged_into_id is not None:
        return ActionsPanel(False, False, (), False, "", False, False)
    closed = ticket.status == Status.CLOSED.value
    refund_started = any(clock.kind == "refund" for clock in clocks)
    return ActionsPanel(
        assign=True, claim=ticket.assignee_id != user.id and not closed,
        statuses=tuple(s for s in STATUS_CHOICES if s != ticket.status),
        reroute=not closed, confirm_queue="" if closed else _confirm_reason(ticket, config),
        inspection=ticket.queue in INSPECTION_QUEUES and not closed and not refund_started,
        merge=not closed)
