"""A return from the customer's first mail to the refund paid, through the console (Customer
Service Policy section 4): application, return authorisation, inspection, refund; the report counts it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

import pytest
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from inbox.ingest import RawMail
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config, RoutingRule
from tickets.models import AuditEvent, SlaClock, Ticket


@pytest.fixture
def web_config(web_config: Config) -> Config:
    """Return applications go to the returns queue whatever the learned model thinks."""
    rules = (RoutingRule(queue="returns", name="returns", subject=r"\breturn\b"),)
    return dataclasses.replace(web_config, routing=dataclasses.replace(web_config.routing, rules=rules))


def _ingest(services: Services, raw: bytes) -> str:
    """The customer's mail through the whole pipeline (router, clocks, acknowledgement), committed."""
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(raw, "scenario")], "support")
    assert outcome.status == "created" and outcome.ticket
    return outcome.ticket


def _refund(reader: sessionmaker[Session], reference: str) -> SlaClock:
    with reader() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.reference == reference))
        clock = s.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == "refund"))
        assert clock is not None
        return clock


def test_a_return_from_first_mail_to_refund_paid_on_time(console: Console, services: Services, staff: Staff,
                                                         reader: sessionmaker[Session],
                                                         frozen_clock: FrozenClock) -> None:
    # Tuesday 24 November: Emily asks to return her AeroPress; the agent approves it with the RA reply.
    reference = _ingest(services, make_mail(subject="Return request for order AP-654321",
                                            body="Hello,\nI would like to return my AeroPress Go, order AP-654321,"
                                                 " it is the wrong colour.\nEmily\n"))
    console.sign_in(staff.agent)
    page = console.get(f"/tickets/{reference}?canned=return_authorization").text
    assert "Returns" in page and "Refund paid" not in page
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    reply = html.unescape(re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert "order AP-654321" in reply and "77 Test Street" in reply
    assert console.post(f"/tickets/{reference}/reply", {"text": reply, "seen": seen, "then": "waiting",
                                                        "canned": "return_authorization",
                                                        "confirmed": "1"}).status_code == 302
    # Tuesday 1 December the parcel arrives and passes inspection: the refund clock runs.
    frozen_clock.set(dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC))
    console.sign_in(staff.agent)  # a week on, the agent signs in again
    console.post(f"/tickets/{reference}/inspected", {"result": "pass"})
    page = console.get(f"/tickets/{reference}").text
    assert "Refund paid" in page and "Refund owed" in page
    # Solving now would forget the refund: the console refuses and offers the refund-paid action.
    refused = console.post(f"/tickets/{reference}/status", {"status": "solved"})
    assert "still owes the customer a refund" in console.get(refused.location).text
    with reader() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.reference == reference)) == "pending"
    # Thursday 3 December, two working days later, the refund is paid; now the ticket may be solved.
    frozen_clock.set(dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC))
    paid = console.sign_in(staff.agent).post(f"/tickets/{reference}/refund-paid")
    assert "Refund marked paid on time." in console.get(paid.location).text
    assert _refund(reader, reference).state == "met"
    console.post(f"/tickets/{reference}/status", {"status": "solved"})
    with reader() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.reference == reference)) == "solved"
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "refund_paid")).all()
        assert (event.actor, event.target, event.detail["outcome"]) == (staff.agent.email, f"ticket:{reference}",
                                                                         "met")
    # The manager's report for those two weeks: one refund paid inside 5 working days, no breach.
    report = console.sign_in(staff.manager).get("/reports.json?from=2026-11-23&to=2026-12-06").json
    total = report["total"]
    assert (total["refunds_early"], total["refunds_at_risk"], total["refunds_late"], total["refunds_open"]) == \
        (1, 0, 0, 0)
    assert report["breach_count"] == 0 and report["breaches"] == []


def test_a_refund_paid_twice_is_refused(console: Console, services: Services, staff: Staff) -> None:
    # Nothing is owed before inspection: the action says why, and nothing is recorded.
    reference = _ingest(services, make_mail(subject="Return request", body="I want to return my order AP-111111."))
    refused = console.sign_in(staff.agent).post(f"/tickets/{reference}/refund-paid")
    assert "owes no refund" in console.get(refused.location).text


def test_a_late_refund_is_marked_paid_from_the_command_line(  # type: ignore[no-untyped-def]
        run_cli, console: Console, services: Services, staff: Staff, reader: sessionmaker[Session],
        frozen_clock: FrozenClock) -> None:
    # The refund is paid three weeks after the inspection: `helpdesk refund paid` stops the clock as late.
    reference = _ingest(services, make_mail(subject="Return request", body="I want to return order AP-222222."))
    console.sign_in(staff.agent).post(f"/tickets/{reference}/inspected", {"result": "pass"})
    frozen_clock.advance(dt.timedelta(days=21))
    code, out, _ = run_cli("refund", "paid", reference.lower())
    assert code == 0 and (json.loads(out)["ticket"], json.loads(out)["refund"]) == (reference, "missed")
    assert _refund(reader, reference).state == "missed"
    code, _, err = run_cli("refund", "paid", reference)
    assert code == 1 and "owes no refund" in err
    with reader() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "refund_paid")).all()
        assert event.actor.startswith("cli") and event.detail["outcome"] == "missed"


def test_a_ticket_owing_a_refund_is_closed_in_bulk_only_by_saying_it_stays_owed(
        console: Console, services: Services, staff: Staff, reader: sessionmaker[Session]) -> None:
    # Bulk close refuses the lot; the ticket page's "refund still owed" form solves it with the clock running.
    reference = _ingest(services, make_mail(subject="Return request", body="I want to return order AP-333333."))
    console.sign_in(staff.agent).post(f"/tickets/{reference}/inspected", {"result": "pass"})
    with reader() as s:
        ticket_id = s.scalar(select(Ticket.id).where(Ticket.reference == reference))
    refused = console.post("/tickets/bulk", {"ticket": [ticket_id], "action": "close"})
    assert "still owes the customer a refund" in console.get(refused.location).text
    console.post(f"/tickets/{reference}/status", {"status": "solved", "refund_owed": "1"})
    with reader() as s:
        assert s.get(Ticket, ticket_id).status == "solved"
    assert _refund(reader, reference).running
