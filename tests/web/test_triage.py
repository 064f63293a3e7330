"""The triage view: tickets the router was unsure of first, then complaints awaiting their queue."""
from __future__ import annotations

import datetime as dt
import re

import webseed
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.config import Config
from tickets.models import RouteCorrection, Ticket


def _ticket(writer: sessionmaker[Session], config: Config, subject: str, queue: str, unsure: bool,
            due_in_hours: int | None = None, confirmed: bool = False) -> str:
    with writer.begin() as s:
        ticket = webseed.ticket(s, config, webseed.parsed(subject, "text", sender=f"{subject[:5]}@example.com"),
                                queue=queue)
        ticket.unsure, ticket.queue_confirmed = unsure, confirmed
        if due_in_hours is not None:
            due = webseed.T0 + dt.timedelta(hours=due_in_hours)
            webseed.clock(s, ticket, "reply", "ok", webseed.T0, due)
        return ticket.reference or ""


def _section(page: str, title: str) -> str:
    """The rows of one section of the triage page."""
    return page.split(f">{title}</h2>")[1].split("</section>")[0]


def test_unsure_tickets_come_first_by_deadline_and_leave_once_placed(console: Console, writer: sessionmaker[Session],
                                                                     reader: sessionmaker[Session], web_config: Config,
                                                                     staff: Staff) -> None:
    # An agent's triage view lists the unsure tickets of their queues, soonest deadline first, marked unsure;
    # placed ones, sure ones and other queues' are not there. Confirming the queue takes a ticket off the
    # list and teaches the router.
    later = _ticket(writer, web_config, "Any news?", "order.tracking", True, due_in_hours=3)
    sooner = _ticket(writer, web_config, "Hello", "order.tracking", True, due_in_hours=1)
    _ticket(writer, web_config, "Placed already", "returns", True, confirmed=True)
    _ticket(writer, web_config, "Not my queue", "wholesale", True)
    sure = _ticket(writer, web_config, "Where is my order", "order.tracking", False, due_in_hours=2)
    console.sign_in(staff.agent)
    page = console.get("/triage").text
    unsure = _section(page, "Routing unsure")
    assert re.findall(r">(HD-\d+)</a>", unsure) == [sooner, later]
    assert unsure.count(">unsure</span>") == 2 and sure not in unsure
    assert "2 tickets to triage (routing unsure)" in console.get("/").text
    assert 'routing unsure: to triage' in console.get(f"/tickets/{sooner}").text

    console.post(f"/tickets/{sooner}/confirm-queue")
    assert re.findall(r">(HD-\d+)</a>", _section(console.get("/triage").text, "Routing unsure")) == [later]
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(RouteCorrection)) == 1
        assert s.scalar(select(Ticket.queue_confirmed).where(Ticket.reference == sooner)) is True


def test_complaints_awaiting_triage_follow_the_unsure_tickets(console: Console, writer: sessionmaker[Session],
                                                             web_config: Config, staff: Staff) -> None:
    # A manager sees, after the unsure tickets, the complaints whose queue no agent has confirmed yet.
    unsure = _ticket(writer, web_config, "No idea", "presales.general", True)
    complaint = _ticket(writer, web_config, "Very disappointed", "complaint.simple", False)
    _ticket(writer, web_config, "Handled complaint", "complaint.simple", False, confirmed=True)
    console.sign_in(staff.manager)
    page = console.get("/triage").text
    assert page.index(unsure) < page.index(complaint)
    assert re.findall(r">(HD-\d+)</a>", _section(page, "Complaints awaiting triage")) == [complaint]
