"""The reply box's server side, on SQLite and PostgreSQL: the status a reply leaves (the resolution
clock runs unless the agent says the ticket waits on the customer), assignment, drafts, canned
replies, Cc/Bcc and files, undo, "send and next", the limits, and merging two customers' tickets."""
from __future__ import annotations

import dataclasses
import datetime as dt
import email
import re
from email.policy import default
from io import BytesIO
from pathlib import Path

import pytest
import webseed
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from services import Services
from tickets import drafts
from tickets.clock import FrozenClock
from tickets.config import Config, load
from tickets.errors import ConfigError
from tickets.models import AttachmentFile, Message, Outbox, ReplyDraft, SlaClock, Ticket


def seen(console: Console, reference: str) -> int:
    return int(re.search(r'name="seen" value="(\d+)"', console.get(f"/tickets/{reference}").text).group(1))


def send(console: Console, ticket: Ticket, text: str, then: str = "send", **fields: object) -> object:
    return console.post(f"/tickets/{ticket.reference}/reply",
                        {"text": text, "seen": seen(console, ticket.reference), "then": then, **fields})


@pytest.fixture
def complaint(writer: sessionmaker[Session], web_config: Config, services: Services, staff: Staff) -> Ticket:
    """A simple complaint as the pipeline leaves it: triage, resolution (3 working days) and reply clocks."""
    with writer.begin() as s:
        ticket = webseed.ticket(s, web_config, webseed.parsed("Broken plunger", "The seal tore on day two.",
                                                              sender="omar@example.com", name="Omar Haddad"),
                                queue="complaint.simple")
        services.clocks.start_for_mail(s, ticket, True, ticket.created_at)
    return ticket


def resolution(reader: sessionmaker[Session], ticket: Ticket) -> SlaClock:
    with reader() as s:
        return s.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == "resolution"))


def test_a_holding_reply_keeps_the_resolution_clock_running_and_assigns_the_sender(
        console: Console, reader: sessionmaker[Session], complaint: Ticket, staff: Staff) -> None:
    # Policy section 5: 3 working days to resolve a complaint. "Send" is no reason to stop counting.
    console.sign_in(staff.manager)
    assert send(console, complaint, "We are looking into it.").status_code == 302
    clock = resolution(reader, complaint)
    assert clock.running and clock.paused_at is None
    with reader() as s:
        ticket = s.get(Ticket, complaint.id)
        assert ticket.status == "open" and ticket.assignee_id == staff.manager.id


def test_only_waiting_on_the_customer_for_information_pauses_the_resolution_clock(
        console: Console, reader: sessionmaker[Session], complaint: Ticket, staff: Staff) -> None:
    console.sign_in(staff.manager)
    send(console, complaint, "Which order was it? Please send the order number.", then="waiting")
    clock = resolution(reader, complaint)
    assert not clock.running and clock.paused_at is not None
    with reader() as s:
        assert s.get(Ticket, complaint.id).status == "pending"
    send(console, complaint, "Solved: a new seal is on its way.", then="solved")
    with reader() as s:
        assert s.get(Ticket, complaint.id).status == "solved"
        assert s.scalar(select(SlaClock.state).where(SlaClock.id == clock.id)) == "met"


def test_a_draft_is_kept_per_agent_and_ticket_and_goes_when_the_reply_is_sent(
        console: Console, app: Flask, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    console.sign_in(staff.agent)
    saved = console.post(f"/tickets/{desk.tracking.reference}/draft", {"text": "Dear Emily,\nhalf a thought",
                                                                      "cc": "anna@example.com"})
    assert saved.status_code == 200
    page = console.get(f"/tickets/{desk.tracking.reference}").text
    assert ">Dear Emily,\nhalf a thought</textarea>" in page and 'value="anna@example.com"' in page
    colleague = Console(app.test_client()).sign_in(staff.manager)
    assert "half a thought" not in colleague.get(f"/tickets/{desk.tracking.reference}").text
    with reader() as s:
        assert drafts.load(s, desk.tracking.id, staff.agent.id).text == "Dear Emily,\nhalf a thought"
        raw = s.connection().exec_driver_sql("SELECT text FROM reply_drafts").scalar()
        assert "half a thought" not in raw  # sealed at rest like the messages
    send(console, desk.tracking, "Dear Emily,\na whole thought.")
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(ReplyDraft)) == 0


def test_a_canned_reply_comes_filled_for_the_page_to_insert(console: Console, desk: Desk, staff: Staff) -> None:
    console.sign_in(staff.agent)
    filled = console.get(f"/tickets/{desk.tracking.reference}/canned/tracking_verification").json
    assert "Emily" in filled["text"] and "Verification result" in filled["text"]
    assert console.get(f"/tickets/{desk.tracking.reference}/canned/..%2Fsecrets").status_code == 404


def test_cc_bcc_and_files_go_with_the_reply_and_the_files_are_stored_sealed(
        console: Console, reader: sessionmaker[Session], web_config: Config, desk: Desk, staff: Staff) -> None:
    console.sign_in(staff.agent)
    label = b"%PDF-1.4 return label for Emily"
    send(console, desk.tracking, "The return label is attached.", cc="anna@example.com",
         bcc="boss@aeropressmall.com", files=[(BytesIO(label), "label.pdf", "application/pdf")])
    with reader() as s:
        row = s.scalar(select(Outbox).where(Outbox.ticket_id == desk.tracking.id))
        assert row.more_rcpts == ["anna@example.com", "boss@aeropressmall.com"]
        mail = email.message_from_bytes(row.raw, policy=default)
        assert mail["Cc"] == "anna@example.com" and mail["Bcc"] is None
        [part] = [p for p in mail.iter_attachments()]
        assert (part.get_filename(), part.get_content()) == ("label.pdf", label)
        stored = s.scalar(select(AttachmentFile).join(Message).where(Message.ticket_id == desk.tracking.id,
                                                                     Message.direction == "outbound"))
        assert stored.filename == "label.pdf" and stored.size == len(label)
    files = [p for p in Path(web_config.storage.path).rglob("*") if p.is_file()]
    assert files and not any(label in p.read_bytes() for p in files)


def test_a_bad_cc_or_too_long_a_reply_is_refused_and_the_text_kept(
        console: Console, app: Flask, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    console.sign_in(staff.agent)
    refused = send(console, desk.tracking, "Kept, whatever happens.", cc="anna at example")
    page = console.get(refused.location).text
    assert "Cc: &#x27;anna&#x27; is not an email address" in page and ">Kept, whatever happens.</textarea>" in page
    limit = app.extensions["helpdesk"].config.web.reply_max_characters
    too_long = send(console, desk.tracking, "x" * (limit + 1))
    assert f"at most {limit:,} can be sent" in console.get(too_long.location).text
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0


def test_a_body_over_the_limit_is_refused_inside_the_console(app_for: object, web_config: Config, desk: Desk,
                                                             staff: Staff) -> None:
    # Not the server's bare "Request Entity Too Large": the ticket page, with the reason.
    small = dataclasses.replace(web_config, web=dataclasses.replace(web_config.web, reply_max_characters=1000,
                                                                    reply_attachments_max_bytes=1000))
    console = Console(app_for(small).test_client()).sign_in(staff.agent)  # type: ignore[operator]
    response = console.post(f"/tickets/{desk.tracking.reference}/reply", {"text": "x" * 3_000_000, "seen": 1})
    assert response.status_code == 302 and response.location.endswith(f"/tickets/{desk.tracking.reference}")
    assert "The reply was too large to accept" in console.get(response.location).text


def test_undo_inside_the_window_takes_the_reply_back_into_the_box(
        console: Console, reader: sessionmaker[Session], frozen_clock: FrozenClock, web_config: Config,
        complaint: Ticket, staff: Staff) -> None:
    console.sign_in(staff.manager)
    send(console, complaint, "Sent too soon.", then="solved")
    with reader() as s:
        row = s.scalar(select(Outbox).where(Outbox.ticket_id == complaint.id))
        assert row.next_attempt_at == frozen_clock.now() + dt.timedelta(seconds=web_config.web.reply_undo_seconds)
    page = console.get(f"/tickets/{complaint.reference}").text
    undo = re.search(r'action="(/tickets/[^"]+/undo)"', page).group(1)
    frozen_clock.advance(dt.timedelta(seconds=web_config.web.reply_undo_seconds - 1))
    back = console.post(undo)
    assert ">Sent too soon.</textarea>" in console.get(back.location).text
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
        assert s.scalar(select(func.count()).select_from(Message).where(Message.direction == "outbound")) == 0
        assert s.get(Ticket, complaint.id).status == "new"
        running = set(s.scalars(select(SlaClock.kind).where(SlaClock.ticket_id == complaint.id,
                                                            SlaClock.running.is_(True))))
        assert running == {"reply", "triage", "resolution"}


def test_undo_after_the_window_is_refused_and_the_reply_leaves(
        console: Console, reader: sessionmaker[Session], frozen_clock: FrozenClock, web_config: Config,
        desk: Desk, staff: Staff) -> None:
    console.sign_in(staff.agent)
    send(console, desk.tracking, "On its way.")
    undo = re.search(r'action="(/tickets/[^"]+/undo)"', console.get(f"/tickets/{desk.tracking.reference}").text)
    frozen_clock.advance(dt.timedelta(seconds=web_config.web.reply_undo_seconds))
    assert "Undo" not in console.get(f"/tickets/{desk.tracking.reference}").text
    refused = console.post(undo.group(1))
    assert "too late to undo" in console.get(refused.location).text
    with reader() as s:
        assert s.scalar(select(Outbox.status)) == "pending"


def test_send_and_next_opens_the_next_ticket_of_the_list(
        console: Console, writer: sessionmaker[Session], web_config: Config, desk: Desk, staff: Staff) -> None:
    with writer.begin() as s:
        later = webseed.ticket(s, web_config, webseed.parsed("Parcel damaged", "The box was crushed.",
                                                             sender="li@example.com", name="Li Wei"))
    console.sign_in(staff.agent)
    listed = "/tickets?queue=order.tracking"
    page = console.get(f"/tickets/{desk.tracking.reference}", headers={"Referer": f"http://localhost{listed}"}).text
    assert 'name="list" value="queue=order.tracking"' in page
    number = int(re.search(r'name="seen" value="(\d+)"', page).group(1))
    moved = console.post(f"/tickets/{desk.tracking.reference}/reply",
                         {"text": "Checking.", "seen": number, "then": "next", "list": "queue=order.tracking"})
    assert moved.location == f"/tickets/{later.reference}?list=queue%3Dorder.tracking"
    last = console.post(f"/tickets/{later.reference}/reply", {"text": "Sorry about the box.", "then": "next",
                                                              "seen": seen(console, later.reference),
                                                              "list": "queue=order.tracking"})
    assert last.location == "/tickets?queue=order.tracking"


def test_merging_two_customers_tickets_warns_and_copies_the_other_customer_on_replies(
        console: Console, writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config,
        desk: Desk, staff: Staff) -> None:
    with writer.begin() as s:
        other = webseed.ticket(s, web_config, webseed.parsed("Same parcel", "My wife's order, same parcel.",
                                                             sender="tom@example.com", name="Tom Carter"))
    console.sign_in(staff.agent)
    plan = console.get(f"/tickets/{other.reference}/merge-plan?into={desk.tracking.reference}").json
    assert plan["customers_differ"] is True
    assert plan["question"].startswith(f"Merge {other.reference} (Tom Carter <tom@example.com>) into "
                                       f"{desk.tracking.reference} (Emily Carter <emily@example.com>)?")
    assert "two different customers" in plan["question"]
    refused = console.post(f"/tickets/{other.reference}/merge", {"into": desk.tracking.reference})
    assert "two different customers" in console.get(refused.location).text
    merged = console.post(f"/tickets/{other.reference}/merge", {"into": desk.tracking.reference,
                                                                "customers_differ": "1"})
    assert merged.location == f"/tickets/{desk.tracking.reference}"
    send(console, desk.tracking, "Both parcels left today.")
    with reader() as s:
        row = s.scalar(select(Outbox).where(Outbox.ticket_id == desk.tracking.id))
        assert row.rcpt == "emily@example.com" and row.more_rcpts == ["tom@example.com"]
        assert email.message_from_bytes(row.raw, policy=default)["Cc"] == "tom@example.com"
    same = console.get(f"/tickets/{desk.returns.reference}/merge-plan?into={desk.tracking.reference}").json
    assert same["customers_differ"] is False and "different" not in same["question"]


def test_a_negative_undo_window_is_a_config_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[web]\nreply_undo_seconds = -5\n")
    with pytest.raises(ConfigError, match=r"config.toml: web.reply_undo_seconds must be 0 or more, not -5"):
        load(path)
