"""The clock-check job: running clocks turn at_risk and breached as time passes (docs/architecture.md).

Each pass is two indexed `UPDATE ... RETURNING` statements (`ix_sla_clocks_running_warn` and
`ix_sla_clocks_running_due`), so rows that do not change cost nothing and a row changes exactly
once, even if two passes overlap. A clock whose warning and deadline both passed while the job was
down goes straight to breached: one change, one event, one notification. Running it again
changes nothing.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import TypeAlias

from sqlalchemy import ColumnElement, Row, select, true, update
from sqlalchemy.orm import Session, joinedload

from sla.calendar import WorkingCalendar
from tickets import events
from tickets.config import Config
from tickets.models import SlaClock, Ticket
from tickets.notify import notify_staff

log = logging.getLogger(__name__)
_CHUNK = 500
_LABEL = {"at_risk": "at risk", "breached": "breached"}
# A changed clock as `_advance` returns it: (id, ticket_id, kind, due_at).
_Changed: TypeAlias = Row[int, int, str, dt.datetime | None]


def _advance(session: Session, state: str, from_states: Sequence[str],
             crossed: ColumnElement[bool]) -> Sequence[_Changed]:
    """Move running clocks in `from_states` that `crossed` their mark to `state`; the changed rows."""
    statement = (update(SlaClock)
                 .where(SlaClock.running == true(), SlaClock.state.in_(from_states), crossed)
                 .values(state=state)
                 .returning(SlaClock.id, SlaClock.ticket_id, SlaClock.kind, SlaClock.due_at))
    return session.execute(statement, execution_options={"synchronize_session": "fetch"}).all()


def _tickets(session: Session, ids: Iterable[int]) -> dict[int, Ticket]:
    """The changed clocks' tickets with their assignees, a few hundred per query."""
    wanted = sorted(set(ids))
    found: dict[int, Ticket] = {}
    for i in range(0, len(wanted), _CHUNK):
        query = select(Ticket).options(joinedload(Ticket.assignee)).where(Ticket.id.in_(wanted[i:i + _CHUNK]))
        found.update((ticket.id, ticket) for ticket in session.scalars(query))
    return found


def _notify(session: Session, config: Config, calendar: WorkingCalendar, ticket: Ticket, row: _Changed,
            state: str, now: dt.datetime) -> int:
    """Tell the ticket's people (`tickets.notify`: assignee, team, queue's agents, managers, admins)."""
    due = calendar.local(row.due_at)
    subject = f"[{ticket.reference}] {row.kind} deadline {_LABEL[state]}: due {due:%a %d %b %H:%M %Z}"
    body = (f"Ticket {ticket.reference} in queue {ticket.queue}: {ticket.subject}\n\n"
            f"Its {row.kind} deadline is {_LABEL[state]}. Due: {due:%A %d %B %Y, %H:%M %Z}.\n")
    sent = notify_staff(session, config, ticket, subject, body, now)
    if not sent:
        log.warning("SLA %s %s on %s: nobody to notify (no staff account is active)", row.kind, state,
                    ticket.reference)
    return sent


def check_clocks(session: Session, config: Config, calendar: WorkingCalendar, now: dt.datetime) -> dict[str, int]:
    """One pass: the counts of clocks turned at_risk and breached, and of notifications queued (one per
    recipient)."""
    breached = _advance(session, "breached", ("ok", "at_risk"), SlaClock.due_at <= now)
    at_risk = _advance(session, "at_risk", ("ok",), SlaClock.warn_at <= now)
    changes = [(row, "breached") for row in breached] + [(row, "at_risk") for row in at_risk]
    tickets = _tickets(session, (row.ticket_id for row, _ in changes))
    notified = 0
    for row, state in changes:
        ticket = tickets[row.ticket_id]
        events.record(session, ticket, events.ClockChanged(clock=row.kind, state=state, action=state,
                                                           due_at=row.due_at.isoformat()), now)
        notified += _notify(session, config, calendar, ticket, row, state, now)
    if changes:
        log.info("SLA check: %d at risk, %d breached, %d notified", len(at_risk), len(breached), notified)
    return {"at_risk": len(at_risk), "breached": len(breached), "notified": notified}
