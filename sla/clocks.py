"""SLA clocks on tickets, driven by the ticket's events (docs/architecture.md, "SLA clocks").

The domain records every change to a ticket through `tickets.events`; the `ClockKeeper` that the
composition root adds to its ticket listeners turns those events into clock changes in the same
transaction:

- reply: started by a customer message while no reply clock runs (the ingestion pipeline's "start
  clocks" step), stopped by the next public reply;
- triage (complaints): started at creation (the same step), stopped when an agent confirms or re-routes the queue;
- resolution (complaints): paused while the ticket waits on the customer, stopped when solved;
- refund: started when the returned goods pass inspection, stopped when the refund is completed.

A clock's `warn_at` and `due_at` are always recomputed from its start, its target and the business
time it spent paused, so repeated changes never drift. Moving clocks to at_risk and breached as
time passes is the scheduler's job (`sla.jobs`); here a clock only ever relaxes, when a re-route
gives it a later deadline.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from sla.calendar import WorkingCalendar
from sla.policy import KINDS, Target, has_clocks, ticket_target
from tickets import events
from tickets.config import Config
from tickets.models import SlaClock, Status, Ticket

DONE = (Status.SOLVED.value, Status.CLOSED.value)
_RANK = {"ok": 0, "at_risk": 1, "breached": 2}


@dataclass
class _Run:
    """One event's work on one ticket: its open (not stopped) clocks and the moment of the event."""

    config: Config
    calendar: WorkingCalendar
    session: Session
    ticket: Ticket
    at: dt.datetime
    clocks: list[SlaClock] = field(default_factory=list)

    @property
    def clocked(self) -> bool:
        """Auto mail and the auto queue get no clocks."""
        return not self.ticket.auto and has_clocks(self.ticket.queue)

    def of_kind(self, *kinds: str) -> list[SlaClock]:
        return [clock for clock in self.clocks if clock.kind in kinds]

    def note(self, clock: SlaClock, action: str) -> None:
        due = clock.due_at.isoformat() if clock.due_at else None
        events.record(self.session, self.ticket,
                      events.ClockChanged(clock=clock.kind, state=clock.state, action=action, due_at=due), self.at)

    def schedule(self, clock: SlaClock, warn_days: float) -> None:
        """warn_at and due_at from the start, the targets and the business time spent paused."""
        day, paused = self.calendar.working_day_seconds, clock.paused_seconds or 0.0
        clock.warn_at = self.calendar.add_business_seconds(clock.started_at, warn_days * day + paused)
        clock.due_at = self.calendar.add_business_seconds(clock.started_at, clock.target_working_days * day + paused)

    def warn_days(self, clock: SlaClock) -> float:
        current = ticket_target(self.config, self.ticket, clock.kind)
        return current.warn_days if current else clock.target_working_days * self.config.sla.at_risk_share

    def ensure(self, kind: str, start: dt.datetime) -> None:
        """Start a `kind` clock at `start` unless one is open or the queue has no such target."""
        wanted = ticket_target(self.config, self.ticket, kind)
        if wanted is None or self.of_kind(kind) or not self.clocked:
            return
        clock = SlaClock(ticket_id=self.ticket.id, kind=kind, target_working_days=wanted.days, started_at=start,
                         running=True, state="ok", paused_seconds=0.0)
        self.schedule(clock, wanted.warn_days)
        self.session.add(clock)
        self.clocks.append(clock)
        self.note(clock, "started")
        if kind == "resolution" and self.ticket.status == Status.PENDING.value:
            self.pause(clock)

    def pause(self, clock: SlaClock) -> None:
        if clock.paused_at is None:
            clock.running, clock.paused_at = False, self.at
            self.note(clock, "paused")

    def _count_pause(self, clock: SlaClock) -> None:
        """Add the business time since the pause began to the clock's paused time, and reschedule."""
        if clock.paused_at is not None:
            paused = self.calendar.business_seconds_between(clock.paused_at, self.at)
            clock.paused_seconds = (clock.paused_seconds or 0.0) + max(paused, 0.0)
            clock.paused_at, clock.running = None, True
            self.schedule(clock, self.warn_days(clock))

    def resume(self, clock: SlaClock) -> None:
        if clock.paused_at is not None:
            self._count_pause(clock)
            self.note(clock, "resumed")

    def stop(self, clock: SlaClock) -> None:
        """Stop the clock: met when stopped by its deadline, missed otherwise."""
        self._count_pause(clock)
        late = clock.state == "breached" or (clock.due_at is not None and self.at > clock.due_at)
        clock.state, clock.running, clock.stopped_at = ("missed" if late else "met"), False, self.at
        self.clocks.remove(clock)
        self.note(clock, "stopped")

    def cancel(self, clock: SlaClock) -> None:
        """End a clock whose promise no longer applies (the ticket moved to a queue without it): neither
        met nor missed, so no report counts it as kept."""
        self._count_pause(clock)
        clock.state, clock.running, clock.stopped_at = "cancelled", False, self.at
        self.clocks.remove(clock)
        self.note(clock, "cancelled")

    def stop_kinds(self, *kinds: str) -> None:
        for clock in self.of_kind(*kinds):
            self.stop(clock)

    def retarget(self, clock: SlaClock, wanted: Target) -> None:
        """Keep the start, apply the new target; a later deadline can relax the clock's state."""
        before = clock.due_at
        clock.target_working_days = wanted.days
        self.schedule(clock, wanted.warn_days)
        assert clock.due_at is not None and clock.warn_at is not None
        now_state = "breached" if clock.due_at <= self.at else "at_risk" if clock.warn_at <= self.at else "ok"
        if clock.state in _RANK and _RANK[now_state] < _RANK[clock.state]:
            clock.state = now_state
        if clock.due_at != before:
            self.note(clock, "retargeted")

    def update_next_times(self) -> None:
        """The console sorts tickets by the earliest deadline among their running clocks, and counts
        them at risk or breached by the earliest warning and deadline."""
        running = [clock for clock in self.clocks if clock.running]
        self.ticket.next_deadline = min((clock.due_at for clock in running if clock.due_at), default=None)
        self.ticket.next_warn = min((clock.warn_at for clock in running if clock.warn_at), default=None)


def _public_reply(run: _Run, event: events.PublicReply) -> None:
    run.stop_kinds("reply")


def _reply_undone(run: _Run, event: events.ReplyUndone) -> None:
    """The reply never left: the clocks it stopped (the reply clock; every clock, had it solved the
    ticket) run on from their start, as if never stopped."""
    sent = dt.datetime.fromisoformat(event.sent_at)
    running = {clock.kind for clock in run.clocks}
    stopped = run.session.scalars(select(SlaClock).where(SlaClock.ticket_id == run.ticket.id,
                                                         SlaClock.stopped_at == sent).order_by(SlaClock.id))
    for clock in stopped:
        if clock.kind in running or clock.due_at is None or clock.warn_at is None:
            continue
        clock.running, clock.stopped_at = True, None
        clock.state = "breached" if clock.due_at <= run.at else "at_risk" if clock.warn_at <= run.at else "ok"
        running.add(clock.kind)
        run.clocks.append(clock)
        run.note(clock, "resumed")


def _status(run: _Run, event: events.StatusChanged) -> None:
    """Solving stops every clock but the refund (the money is owed whatever the ticket's state);
    reopening starts a new resolution clock; waiting on the customer pauses it."""
    old, new = event.old, event.new
    if new in DONE:
        run.stop_kinds("reply", "triage", "resolution")
        return
    if old in DONE:
        run.ensure("resolution", run.at)
    for clock in run.of_kind("resolution"):
        if new == Status.PENDING.value:
            run.pause(clock)
        else:
            run.resume(clock)


def _rerouted(run: _Run, event: events.Rerouted) -> None:
    """Re-routing keeps each clock's start and applies the new queue's targets; it meets nothing.

    An agent's re-route into a queue that triages classifies the ticket, which is what its triage
    clock waits for (met or missed by its deadline). Clocks the new queue does not run are
    cancelled, neither met nor missed; those it runs and the ticket lacks start from receipt.
    """
    ticket = run.ticket
    if not run.clocked:
        for clock in list(run.clocks):
            run.cancel(clock)
        return
    for clock in list(run.clocks):
        wanted = ticket_target(run.config, ticket, clock.kind)
        if wanted is None:
            run.cancel(clock)
        elif clock.kind == "triage" and ticket.queue_confirmed:
            run.stop(clock)
        else:
            run.retarget(clock, wanted)
    if not has_clocks(event.old):
        run.ensure("reply", ticket.last_customer_message_at or ticket.created_at)
    if ticket.status not in DONE:
        if not ticket.queue_confirmed:
            run.ensure("triage", ticket.created_at)
        run.ensure("resolution", ticket.created_at)


def _queue_confirmed(run: _Run, event: events.QueueConfirmed) -> None:
    run.stop_kinds("triage")


def _return_inspected(run: _Run, event: events.ReturnInspected) -> None:
    if event.passed:
        run.ensure("refund", run.at)


def _refund_completed(run: _Run, event: events.RefundCompleted) -> None:
    run.stop_kinds("refund")


def _merged(run: _Run, event: events.Merged) -> None:
    """The ticket lives on in the one it was merged into; its own clocks end here."""
    run.stop_kinds(*KINDS)


_HANDLERS: dict[type, Callable[[_Run, Any], None]] = {
    events.PublicReply: _public_reply, events.ReplyUndone: _reply_undone,
    events.StatusChanged: _status, events.Rerouted: _rerouted, events.QueueConfirmed: _queue_confirmed,
    events.ReturnInspected: _return_inspected, events.RefundCompleted: _refund_completed, events.Merged: _merged,
}


@dataclass(frozen=True)
class ClockKeeper:
    """Starts clocks for new mail (the ingestion pipeline's "start clocks" step) and, as a ticket
    listener, applies each agent's or the system's change to the ticket's clocks (our own clock
    events, and every kind not listed in `_HANDLERS`, pass through untouched)."""

    config: Config
    calendar: WorkingCalendar

    def start_for_mail(self, session: Session, ticket: Ticket, created: bool, at: dt.datetime) -> None:
        """A customer's mail received `at`: a new ticket's triage and resolution clocks, and a reply
        clock unless one runs already."""
        run = _Run(self.config, self.calendar, session, ticket, at)
        if not run.clocked:
            return
        run.clocks = open_clocks(session, ticket)
        if created:
            run.ensure("triage", at)
            run.ensure("resolution", at)
        run.ensure("reply", at)
        run.update_next_times()

    def __call__(self, session: Session, ticket: Ticket, event: events.Payload, at: dt.datetime) -> None:
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return
        run = _Run(self.config, self.calendar, session, ticket, at)
        if not run.clocked and not isinstance(event, events.Rerouted):
            return
        run.clocks = open_clocks(session, ticket)
        handler(run, event)
        run.update_next_times()


_OPEN = "sla_open_clocks"


def open_clocks(session: Session, ticket: Ticket) -> list[SlaClock]:
    """The ticket's open clocks, read once per transaction and kept current in `session.info`.

    Ingestion stores a whole batch with one flush, so clocks started earlier in the batch are not
    yet in the database; this list, which `_Run` mutates in place, is what the next event sees.
    """
    cache: dict[Ticket, list[SlaClock]] = session.info.setdefault(_OPEN, {})
    if ticket not in cache:
        cache[ticket] = [] if inspect(ticket).pending else list(session.scalars(
            select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.stopped_at.is_(None))
            .order_by(SlaClock.id)))
    return cache[ticket]


def forget_open_clocks(session: Session, *_: Any) -> None:
    """After a commit or rollback: the next transaction reads the clocks afresh."""
    session.info.pop(_OPEN, None)
