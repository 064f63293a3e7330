"""SLA clocks driven by ticket events, on SQLite and PostgreSQL (office hours 09:00-18:00 New York)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import Services
from sla.calendar import calendar_for
from sla.jobs import check_clocks
from tickets import events
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import SlaClock, Ticket, TicketEvent

NY = ZoneInfo("America/New_York")
TUE = dt.datetime(2026, 11, 24, 10, 0, tzinfo=NY)


def ny(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY)


def test_every_queue_gets_its_policy_deadlines(open_ticket: Callable[..., Ticket],
                                               clock_of: Callable[..., SlaClock | None]) -> None:
    # A mail received Tuesday 10:00 is due per the policy's working days in each queue.
    reply_due = {
        "presales.general": ny(11, 26, 10), "presales.complex": ny(11, 27, 10), "wholesale": ny(11, 26, 10),
        "order.tracking": ny(11, 26, 10), "returns": ny(11, 25, 10), "refunds": ny(11, 26, 10),
        "complaint.simple": ny(11, 27, 10), "complaint.complex": ny(12, 1, 10), "privacy": ny(12, 1, 10),
    }
    for queue, due in reply_due.items():
        ticket = open_ticket(queue)
        reply = clock_of(ticket, "reply")
        assert reply is not None and reply.due_at == due and reply.started_at == TUE, queue
        complaint = queue.startswith("complaint.")
        assert (clock_of(ticket, "triage") is not None) is complaint
        assert (clock_of(ticket, "resolution") is not None) is complaint
    simple, complex_ = open_ticket("complaint.simple"), open_ticket("complaint.complex")
    assert clock_of(simple, "triage").due_at == ny(11, 25, 10)
    assert clock_of(complex_, "triage").due_at == ny(11, 25, 10)
    assert clock_of(simple, "resolution").due_at == ny(11, 27, 10)
    assert clock_of(complex_, "resolution").due_at == ny(12, 1, 10)


def test_auto_queue_and_auto_mail_get_no_clocks(session: Session, open_ticket: Callable[..., Ticket]) -> None:
    # Auto-replies and spam never start a clock, whichever queue they land in.
    tickets = [open_ticket("auto"), open_ticket("presales.general", auto=True)]
    ids = [t.id for t in tickets]
    assert session.scalars(select(SlaClock).where(SlaClock.ticket_id.in_(ids))).all() == []
    assert all(t.next_deadline is None for t in tickets)


def test_clock_turns_at_risk_at_three_quarters_of_its_target(open_ticket: Callable[..., Ticket],
                                                              clock_of: Callable[..., SlaClock | None]) -> None:
    # The warning mark is 75% of the target's business time: 6.75 h of a 1-day reply, 13.5 h of 2 days.
    assert clock_of(open_ticket("returns"), "reply").warn_at == ny(11, 24, 16, 45)
    assert clock_of(open_ticket("presales.general"), "reply").warn_at == ny(11, 25, 14, 30)


def test_public_reply_stops_the_reply_clock_met_or_missed(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                          clock_of: Callable[..., SlaClock | None]) -> None:
    # A reply by the deadline is met; one after it is missed.
    on_time, late = open_ticket("returns"), open_ticket("returns")
    act(on_time, "public_reply", ny(11, 25, 9, 59), message_id="<r1@us>")
    act(late, "public_reply", ny(11, 25, 10, 1), message_id="<r2@us>")
    for ticket, outcome in ((on_time, "met"), (late, "missed")):
        reply = clock_of(ticket, "reply")
        assert (reply.state, reply.running, reply.stopped_at is not None) == (outcome, False, True)
        assert ticket.next_deadline is None


def test_reply_clock_runs_from_the_first_unanswered_message(open_ticket: Callable[..., Ticket],
                                                            act: Callable[..., None], session: Session,
                                                            clock_of: Callable[..., SlaClock | None]) -> None:
    # A follow-up before our reply keeps the original clock; the first message after our reply starts a new one.
    ticket = open_ticket("presales.general")
    act(ticket, "customer_message", ny(11, 25, 9), message_id="<2@customer>")
    assert session.scalar(select(SlaClock.started_at).where(SlaClock.ticket_id == ticket.id)) == TUE
    act(ticket, "public_reply", ny(11, 25, 12), message_id="<r@us>")
    act(ticket, "customer_message", ny(11, 26, 9, 30), message_id="<3@customer>")
    reply = clock_of(ticket, "reply")
    assert (reply.started_at, reply.due_at, reply.state) == (ny(11, 26, 9, 30), ny(11, 30, 9, 30), "ok")
    assert len(session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)).all()) == 2


def test_resolution_pauses_while_waiting_on_the_customer(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                         clock_of: Callable[..., SlaClock | None]) -> None:
    # Waiting on the customer Wednesday 10:00 to Monday 10:00 (27 business hours) moves the deadline by as much.
    ticket = open_ticket("complaint.simple")
    act(ticket, "queue_confirmed", ny(11, 24, 11))
    act(ticket, "public_reply", ny(11, 25, 9, 30), message_id="<r@us>")
    act(ticket, "status", ny(11, 25, 10), new="pending")
    resolution = clock_of(ticket, "resolution")
    assert (resolution.running, resolution.paused_at) == (False, ny(11, 25, 10))
    assert ticket.next_deadline is None and ticket.next_warn is None
    act(ticket, "status", ny(11, 30, 10), new="open")
    assert (resolution.running, resolution.paused_seconds, resolution.due_at) == (True, 27 * 3600, ny(12, 2, 10))
    assert resolution.warn_at == ny(12, 1, 12, 15)  # 20.25 of 27 hours, plus the pause
    assert (ticket.next_deadline, ticket.next_warn) == (ny(12, 2, 10), ny(12, 1, 12, 15))  # what the overview counts
    act(ticket, "status", ny(12, 1, 12), new="solved")
    assert (resolution.state, resolution.stopped_at) == ("met", ny(12, 1, 12))


def test_solving_while_pending_does_not_count_the_wait(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                       clock_of: Callable[..., SlaClock | None]) -> None:
    # A complaint solved after a long wait on the customer is still met: waiting time does not count.
    ticket = open_ticket("complaint.simple")
    act(ticket, "status", ny(11, 25, 10), new="pending")
    act(ticket, "status", ny(12, 7, 10), new="solved")
    assert clock_of(ticket, "resolution").state == "met"


def test_solving_stops_clocks_and_reopening_starts_a_new_resolution(
        open_ticket: Callable[..., Ticket], act: Callable[..., None], session: Session,
        clock_of: Callable[..., SlaClock | None]) -> None:
    # Solved ends the reply, triage and resolution clocks; a reopened complaint gets 3 working days again.
    ticket = open_ticket("complaint.simple")
    act(ticket, "status", ny(11, 26, 12), new="solved")
    states = dict(session.execute(select(SlaClock.kind, SlaClock.state).where(SlaClock.ticket_id == ticket.id)).all())
    assert states == {"reply": "met", "triage": "missed", "resolution": "met"}
    act(ticket, "status", ny(12, 3, 9), new="open")
    resolution = clock_of(ticket, "resolution")
    assert (resolution.started_at, resolution.due_at, resolution.state) == (ny(12, 3, 9), ny(12, 7, 18), "ok")


def test_confirming_the_queue_stops_triage(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                           clock_of: Callable[..., SlaClock | None]) -> None:
    # Triage ends when an agent confirms the complaint's queue; the next deadline becomes the resolution's.
    ticket = open_ticket("complaint.simple")
    assert ticket.next_deadline == ny(11, 25, 10)
    act(ticket, "queue_confirmed", ny(11, 24, 15))
    assert clock_of(ticket, "triage").state == "met"
    assert ticket.next_deadline == ny(11, 27, 10)


def test_rerouting_keeps_the_start_and_changes_the_target(open_ticket: Callable[..., Ticket],
                                                          act: Callable[..., None],
                                                          clock_of: Callable[..., SlaClock | None]) -> None:
    # A question moved from general to complex pre-sales is due after 3 working days from receipt, not 2.
    ticket = open_ticket("presales.general")
    act(ticket, "rerouted", ny(11, 25, 12), new="presales.complex")
    reply = clock_of(ticket, "reply")
    assert (reply.started_at, reply.target_working_days, reply.due_at) == (TUE, 3, ny(11, 27, 10))
    assert ticket.next_deadline == ny(11, 27, 10)


def test_rerouting_out_of_and_into_complaints(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                              session: Session, clock_of: Callable[..., SlaClock | None]) -> None:
    # Leaving complaints cancels triage and resolution (neither met nor missed); entering starts resolution from
    # receipt; a re-route within complaints is triage.
    out = open_ticket("complaint.simple")
    act(out, "rerouted", ny(11, 24, 12), new="order.tracking")
    assert (clock_of(out, "triage").state, clock_of(out, "resolution").state) == ("cancelled", "cancelled")
    assert clock_of(out, "reply").due_at == ny(11, 26, 10)
    into = open_ticket("order.tracking")
    act(into, "rerouted", ny(11, 25, 11), new="complaint.complex")
    resolution = clock_of(into, "resolution")
    assert (resolution.started_at, resolution.due_at, resolution.running) == (TUE, ny(12, 1, 10), True)
    assert clock_of(into, "triage") is None
    assert clock_of(into, "reply").due_at == ny(12, 1, 10)
    within = open_ticket("complaint.simple")
    act(within, "rerouted", ny(11, 24, 12), new="complaint.complex")
    assert (clock_of(within, "triage").state, clock_of(within, "resolution").due_at) == ("met", ny(12, 1, 10))


def test_rerouting_to_auto_stops_clocks_and_back_starts_the_reply(
        open_ticket: Callable[..., Ticket], act: Callable[..., None], session: Session,
        clock_of: Callable[..., SlaClock | None]) -> None:
    # Spam moved to auto stops its clocks; a real mail rescued from auto is due from its receipt.
    spam = open_ticket("complaint.simple")
    act(spam, "rerouted", ny(11, 24, 11), new="auto")
    assert session.scalars(select(SlaClock).where(SlaClock.ticket_id == spam.id, SlaClock.running)).all() == []
    assert spam.next_deadline is None
    rescued = open_ticket("auto")
    act(rescued, "rerouted", ny(11, 25, 12), new="presales.general")
    reply = clock_of(rescued, "reply")
    assert (reply.started_at, reply.due_at) == (TUE, ny(11, 26, 10))


def test_later_target_after_reroute_lifts_a_breach(session: Session, config: Config,
                                                   open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                   clock_of: Callable[..., SlaClock | None]) -> None:
    # A 1-day returns reply breached on Wednesday is back to ok once moved to a 3-day queue.
    ticket = open_ticket("returns")
    check_clocks(session, config, calendar_for(config), ny(11, 25, 11))
    session.refresh(clock_of(ticket, "reply"))
    assert clock_of(ticket, "reply").state == "breached"
    act(ticket, "rerouted", ny(11, 25, 12), new="presales.complex")
    assert clock_of(ticket, "reply").state == "ok"


def test_refund_clock_runs_five_to_ten_working_days_after_inspection(
        open_ticket: Callable[..., Ticket], act: Callable[..., None],
        clock_of: Callable[..., SlaClock | None]) -> None:
    # Inspected Monday noon: at risk in 5 working days, due in 10; only completing the refund stops it.
    ticket = open_ticket("returns")
    act(ticket, "return_inspected", ny(11, 30, 12), passed=True)
    refund = clock_of(ticket, "refund")
    assert (refund.target_working_days, refund.warn_at, refund.due_at) == (10, ny(12, 7, 12), ny(12, 14, 12))
    act(ticket, "status", ny(12, 1, 9), new="solved")
    assert refund.running and ticket.next_deadline == ny(12, 14, 12)
    act(ticket, "refund_completed", ny(12, 10, 15))
    assert (refund.state, refund.running) == ("met", False)


def test_failed_inspection_starts_no_refund_clock(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                  clock_of: Callable[..., SlaClock | None]) -> None:
    # Goods that fail inspection are not refunded, so no refund deadline runs.
    ticket = open_ticket("returns")
    act(ticket, "return_inspected", ny(11, 30, 12), passed=False)
    assert clock_of(ticket, "refund") is None


def test_merged_ticket_stops_its_clocks(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                        session: Session) -> None:
    # A ticket merged into another keeps no clock of its own running.
    ticket = open_ticket("complaint.complex")
    act(ticket, "merged", ny(11, 24, 12), into="HD-1")
    assert session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.running)).all() == []
    assert ticket.next_deadline is None


def test_clock_changes_are_in_the_ticket_history(open_ticket: Callable[..., Ticket], act: Callable[..., None],
                                                 session: Session) -> None:
    # Starting and stopping a clock each leave an "sla" event naming the clock, its state and deadline.
    ticket = open_ticket("presales.general")
    act(ticket, "public_reply", ny(11, 25, 9), message_id="<r@us>")
    history = session.scalars(select(TicketEvent.data).where(TicketEvent.ticket_id == ticket.id,
                                                             TicketEvent.kind == "sla").order_by(TicketEvent.id)).all()
    due = ny(11, 26, 10).astimezone(dt.UTC).isoformat()
    assert history == [{"clock": "reply", "state": "ok", "action": "started", "due_at": due},
                       {"clock": "reply", "state": "met", "action": "stopped", "due_at": due}]


def _rescued_from_auto(session: Session) -> Ticket:
    """A mail first routed to auto (no clocks), then moved to general pre-sales by an agent."""
    ticket = Ticket(queue="auto", mailbox="support", subject="Not spam after all", created_at=TUE, updated_at=TUE,
                    last_customer_message_at=TUE)
    session.add(ticket)
    session.flush()
    ticket.queue, ticket.queue_confirmed = "presales.general", True
    events.record(session, ticket, events.Rerouted(old="auto", new="presales.general"), ny(11, 24, 11))
    session.flush()
    return ticket


def test_each_services_keeps_its_own_clock_keeper(config: Config, frozen_clock: FrozenClock,
                                                  session: Session) -> None:
    # Services built again in one process (a reconfiguration promising 5 days) neither start the first
    # one's clocks twice nor lend it their targets: each session reaches its own keeper only.
    queues = {**config.queues, "presales.general": dataclasses.replace(config.queues["presales.general"],
                                                                       reply_working_days=5)}
    slower = Services.build(dataclasses.replace(config, queues=queues), frozen_clock)
    try:
        with slower.sessions() as other:
            theirs = _rescued_from_auto(other)
            assert [(c.kind, c.due_at) for c in other.scalars(select(SlaClock).where(
                SlaClock.ticket_id == theirs.id))] == [("reply", ny(12, 1, 10))]
    finally:
        slower.close()
    ours = _rescued_from_auto(session)
    assert [(c.kind, c.due_at) for c in session.scalars(select(SlaClock).where(SlaClock.ticket_id == ours.id))] == [
        ("reply", ny(11, 26, 10))]
    started = session.scalars(select(TicketEvent.data["action"].as_string()).where(
        TicketEvent.ticket_id == ours.id, TicketEvent.kind == "sla")).all()
    assert started == ["started"]
