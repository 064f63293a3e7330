"""The ticket page's actions panel: only what applies to the ticket's queue and state, grouped and
explained; the router's reasons and the clocks' history in plain words, behind a disclosure."""
from __future__ import annotations

import datetime as dt
import re

import webseed
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from services import Services
from tickets.config import Config

FRIDAY_10 = webseed.T0 - dt.timedelta(days=4)


def _panel(page: str) -> str:
    match = re.search(r'<section aria-labelledby="actions-title" class="actions">(.*?)</section>', page, re.S)
    assert match, "no actions panel"
    return match.group(1)


def _buttons(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", b).strip() for b in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)]


def test_a_complaint_offers_no_inspection_and_explains_confirming_its_queue(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        complaint = webseed.ticket(s, web_config, webseed.parsed("Broken on arrival", "The plunger cracked."),
                                   queue="complaint.simple").reference
        ret = webseed.ticket(s, web_config, webseed.parsed("Return", "Please take it back."), queue="returns").reference
    console.sign_in(staff.manager)
    panel = _panel(console.get(f"/tickets/{complaint}").text)
    assert _buttons(panel) == ["Assign", "Claim", "Set status", "Confirm queue", "Re-route", "Merge"]
    assert "Complaints are classified within 1 working day. Confirming that this is the right queue stops the " \
           "triage clock." in panel
    assert "<legend>Who works on it</legend>" in panel and "<legend>Where it belongs</legend>" in panel
    returns = _panel(console.get(f"/tickets/{ret}").text)
    assert "Inspection passed" in _buttons(returns) and "Confirm queue" not in _buttons(returns)


def test_closed_and_merged_tickets_offer_only_what_still_applies(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        first = webseed.ticket(s, web_config, webseed.parsed("Order", "Where is it?"))
        second = webseed.ticket(s, web_config, webseed.parsed("Order again", "Still waiting."))
        refs = first.reference, second.reference
    console.sign_in(staff.manager)
    assert console.post(f"/tickets/{refs[0]}/status", {"status": "closed"}).status_code == 302
    closed = _panel(console.get(f"/tickets/{refs[0]}").text)
    assert _buttons(closed) == ["Assign", "Set status"]
    assert '<option value="closed">' not in closed and '<option value="open">open</option>' in closed
    assert console.post(f"/tickets/{refs[1]}/merge", {"into": refs[0]}).status_code == 302
    merged = _panel(console.get(f"/tickets/{refs[1]}").text)
    assert _buttons(merged) == [] and "This ticket was merged into" in merged


def test_router_reasons_and_clock_history_read_in_plain_words_behind_a_disclosure(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config,
        services: Services) -> None:
    with writer.begin() as s:
        ticket = webseed.ticket(s, web_config, webseed.parsed("Where is my refund?", "Hello", received=FRIDAY_10),
                                queue="returns", reasons=["model: returns (0.75)", "words: refund, parcel"])
        services.clocks.start_for_mail(s, ticket, created=True, at=FRIDAY_10)
        reference = ticket.reference
    console.sign_in(staff.agent)
    assert console.post(f"/tickets/{reference}/reply", {"text": "On its way.", "then": "send", "seen": 10**9}
                        ).status_code == 302
    with writer.begin() as s:
        ticket = s.get(type(ticket), ticket.id)
        again = webseed.parsed("Re: Where is my refund?", "Thanks, and the refund?", received=webseed.T0)
        webseed.follow_up(s, web_config, ticket, again)
        ticket.last_customer_message_at = webseed.T0
        services.clocks.start_for_mail(s, ticket, created=False, at=webseed.T0)
    page = console.get(f"/tickets/{reference}").text
    why = re.search(r'<details class="why">(.*?)</details>', page, re.S)
    assert why and "Its words read most like Returns (75% sure)." in why.group(1)
    assert "Telling words: refund, parcel" in why.group(1) and "model: returns" not in page
    clocks = re.search(r'<ul class="clocks">(.*?)</ul>', page, re.S)
    assert clocks and clocks.group(1).count("<strong>Reply</strong>") == 1
    history = re.search(r'<details class="clock-history">(.*?)</details>', page, re.S)
    told = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", history.group(1) if history else ""))
    assert ("Fri 20 Nov 2026 10:00 Reply deadline set: due Mon 23 Nov 2026 10:00 "
            "Tue 24 Nov 2026 10:00 Reply deadline missed "
            "Tue 24 Nov 2026 10:00 Reply deadline set: due Wed 25 Nov 2026 10:00") in told
    assert "clock started" not in page and "by system" not in told
