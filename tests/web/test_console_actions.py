"""What agents do to tickets from the console: reply, note, assign, status, re-route, merge, bulk, presence."""
from __future__ import annotations

import email
import re
from email.policy import default

import webseed
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from tickets.config import Config
from tickets.models import AuditEvent, Message, Outbox, RouteCorrection, Ticket, TicketEvent


def newest_seen(console: Console, reference: str) -> int:
    page = console.get(f"/tickets/{reference}").text
    return int(re.search(r'name="seen" value="(\d+)"', page).group(1))


def test_reply_is_stored_and_queued_with_threading_headers(console: Console, reader: sessionmaker[Session],
                                                           desk: Desk, staff: Staff) -> None:
    # The reply lands on the thread and in the outbox, threaded to the customer's mail, tagged, and the ticket waits.
    console.sign_in(staff.agent)
    seen = newest_seen(console, desk.tracking.reference)
    response = console.post(f"/tickets/{desk.tracking.reference}/reply",
                            {"text": "Your parcel is in Memphis.", "seen": seen, "then": "waiting"})
    assert response.status_code == 302
    with reader() as s:
        row = s.scalar(select(Outbox).where(Outbox.ticket_id == desk.tracking.id))
        customer_mail = s.scalar(select(Message).where(Message.ticket_id == desk.tracking.id,
                                                       Message.direction == "inbound"))
        sent = email.message_from_bytes(row.raw, policy=default)
        assert row.rcpt == "emily@example.com" and row.status == "pending"
        assert sent["In-Reply-To"] == customer_mail.message_id and customer_mail.message_id in sent["References"]
        assert sent["Subject"] == f"Re: Where is my order AP-123456? [#{desk.tracking.reference}]"
        assert s.get(Ticket, desk.tracking.id).status == "pending"
    assert "Reply queued for delivery." in console.get(f"/tickets/{desk.tracking.reference}").text


def test_reply_written_before_a_newer_customer_message_is_held_until_confirmed(
        console: Console, writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config,
        desk: Desk, staff: Staff) -> None:
    # The customer writes while the agent types: the reply is held, the new message shown, Send again confirms.
    console.sign_in(staff.agent)
    seen = newest_seen(console, desk.tracking.reference)
    with writer.begin() as s:
        webseed.follow_up(s, web_config, s.get(Ticket, desk.tracking.id),
                          webseed.parsed("Re: order", "Never mind, it just arrived!", received=webseed.T0))
    held = console.post(f"/tickets/{desk.tracking.reference}/reply", {"text": "Sorry for the delay.", "seen": seen})
    assert held.status_code == 409
    assert "The customer wrote again" in held.text and "Never mind, it just arrived!" in held.text
    assert ">Sorry for the delay.</textarea>" in held.text
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
    confirmed = int(re.search(r'name="seen" value="(\d+)"', held.text).group(1))
    assert console.post(f"/tickets/{desk.tracking.reference}/reply",
                        {"text": "Sorry for the delay.", "seen": confirmed}).status_code == 302
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 1


def test_empty_reply_is_refused_with_a_reason(console: Console, reader: sessionmaker[Session], desk: Desk,
                                              staff: Staff) -> None:
    # Nothing is queued and the agent reads why.
    console.sign_in(staff.agent)
    response = console.post(f"/tickets/{desk.tracking.reference}/reply", {"text": "  ", "seen": 0})
    assert "the reply is empty" in console.get(response.location).text
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0


def test_internal_note_is_on_the_thread_and_never_mailed(console: Console, reader: sessionmaker[Session],
                                                         desk: Desk, staff: Staff) -> None:
    # A note is stored for agents only.
    console.sign_in(staff.agent).post(f"/tickets/{desk.tracking.reference}/note", {"text": "Called the carrier."})
    with reader() as s:
        note = s.scalar(select(Message).where(Message.direction == "note"))
        assert note.text == "Called the carrier." and note.author_id == staff.agent.id
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0


def test_assign_claim_and_status(console: Console, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    # Tickets go to people who can see them; claiming takes one; statuses change and unknown ones are refused.
    console.sign_in(staff.agent)
    ref = desk.tracking.reference
    refused = console.post(f"/tickets/{ref}/assign", {"assignee": staff.outsider.id})
    assert "cannot open queue order.tracking" in console.get(refused.location).text
    console.post(f"/tickets/{ref}/assign", {"assignee": staff.manager.id})
    with reader() as s:
        assert s.get(Ticket, desk.tracking.id).assignee_id == staff.manager.id
    console.post(f"/tickets/{ref}/claim")
    console.post(f"/tickets/{ref}/status", {"status": "solved"})
    bad = console.post(f"/tickets/{ref}/status", {"status": "deleted"})
    assert "unknown status" in console.get(bad.location).text
    with reader() as s:
        ticket = s.get(Ticket, desk.tracking.id)
        assert (ticket.assignee_id, ticket.status) == (staff.agent.id, "solved")


def test_reroute_teaches_the_router_and_confirming_records_triage(console: Console, reader: sessionmaker[Session],
                                                                  desk: Desk, staff: Staff) -> None:
    # A re-route is kept as a correction; moving a ticket out of the agent's queues sends them to the overview.
    console.sign_in(staff.agent)
    console.post(f"/tickets/{desk.returns.reference}/confirm-queue")
    response = console.post(f"/tickets/{desk.tracking.reference}/reroute", {"queue": "complaint.simple"})
    assert response.location == "/"
    with reader() as s:
        correction = s.scalar(select(RouteCorrection))
        assert (correction.from_queue, correction.to_queue) == ("order.tracking", "complaint.simple")
        assert "parcel has not moved" in correction.text
        assert s.get(Ticket, desk.returns.id).queue_confirmed
    assert console.get(f"/tickets/{desk.tracking.reference}").status_code == 403


def test_return_inspection_is_recorded(console: Console, reader: sessionmaker[Session], desk: Desk,
                                       staff: Staff) -> None:
    # Marking the returned goods inspected records the result on the ticket (the SLA engine starts the refund clock).
    console.sign_in(staff.agent).post(f"/tickets/{desk.returns.reference}/inspected", {"result": "pass"})
    with reader() as s:
        event = s.scalar(select(TicketEvent).where(TicketEvent.kind == "return_inspected"))
        assert event.ticket_id == desk.returns.id and event.data["passed"] is True


def test_merge_moves_the_thread_and_closes_the_source(console: Console, reader: sessionmaker[Session],
                                                      writer: sessionmaker[Session], web_config: Config,
                                                      desk: Desk, staff: Staff) -> None:
    # Merging by reference moves every message; an unknown or forbidden target is refused.
    console.sign_in(staff.agent)
    missing = console.post(f"/tickets/{desk.returns.reference}/merge", {"into": "HD-4242"})
    assert re.search(r"no ticket <a [^>]+>HD-4242</a> to merge into", console.get(missing.location).text)
    with writer.begin() as s:
        foreign = webseed.ticket(s, web_config, webseed.parsed("Bulk", "100 units"), queue="wholesale")
    assert console.post(f"/tickets/{desk.returns.reference}/merge", {"into": foreign.reference}).status_code == 403
    response = console.post(f"/tickets/{desk.returns.reference}/merge", {"into": f"#{desk.tracking.reference}"})
    assert response.location == f"/tickets/{desk.tracking.reference}"
    with reader() as s:
        source = s.get(Ticket, desk.returns.id)
        assert source.status == "closed" and source.merged_into_id == desk.tracking.id
        assert s.scalar(select(func.count()).select_from(Message).where(Message.ticket_id == desk.tracking.id)) == 2


def test_bulk_actions_apply_to_all_selected_tickets_or_none(console: Console, reader: sessionmaker[Session],
                                                            writer: sessionmaker[Session], web_config: Config,
                                                            desk: Desk, staff: Staff) -> None:
    # Bulk assign and close change every selected ticket; one ticket outside the agent's queues stops the lot.
    ids = [desk.tracking.id, desk.returns.id]
    console.sign_in(staff.agent)
    response = console.post("/tickets/bulk", {"ticket": ids, "action": "assign", "to_user": staff.agent.id,
                                              "queue": "returns", "evil": "x"})
    assert response.location == "/tickets?queue=returns"
    with writer.begin() as s:
        foreign = webseed.ticket(s, web_config, webseed.parsed("Bulk", "100 units"), queue="wholesale")
    assert console.post("/tickets/bulk", {"ticket": ids + [foreign.id], "action": "close"}).status_code == 403
    with reader() as s:
        assert {s.get(Ticket, i).assignee_id for i in ids} == {staff.agent.id}
        assert {s.get(Ticket, i).status for i in ids} == {"new"}
    console.post("/tickets/bulk", {"ticket": ids, "action": "reroute", "to_queue": "refunds"})
    console.sign_in(staff.manager).post("/tickets/bulk", {"ticket": ids, "action": "close"})
    with reader() as s:
        assert {(s.get(Ticket, i).queue, s.get(Ticket, i).status) for i in ids} == {("refunds", "closed")}


def test_presence_shows_who_else_is_viewing_or_writing(app, desk: Desk, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    # Two agents on one ticket see each other; the one typing shows as writing.
    sam, max_ = Console(app.test_client()).sign_in(staff.agent), Console(app.test_client()).sign_in(staff.manager)
    url = f"/tickets/{desk.tracking.reference}/presence"
    assert sam.post(url, {"activity": "viewing"}).json == {"others": []}
    assert max_.post(url, {"activity": "writing"}).json == {"others": [{"name": "Sam Agent", "activity": "viewing"}]}
    assert sam.post(url, {"activity": "viewing"}).json == {"others": [{"name": "Max Manager", "activity": "writing"}]}
    assert "Max Manager is writing" in sam.get(f"/tickets/{desk.tracking.reference}").text


def test_agent_corrects_the_customers_details_and_it_is_audited(console: Console, reader: sessionmaker[Session],
                                                                desk: Desk, staff: Staff) -> None:
    # A customer asks to fix their postal address: the agent corrects it on the ticket, and the audit log says so
    # by field name, never by value.
    console.sign_in(staff.agent)
    page = console.get(f"/tickets/{desk.tracking.reference}").text
    assert 'for="customer-address">Postal address</label>' in page
    response = console.post(f"/tickets/{desk.tracking.reference}/customer",
                            {"name": "Emily Carter", "address": "12 Harbour Street\nLeeds LS1 4AB"})
    assert response.status_code == 302
    with reader() as s:
        customer = s.get(Ticket, desk.tracking.id).customer
        assert customer.address == "12 Harbour Street\nLeeds LS1 4AB"
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "correction")).all()
        assert event.actor == staff.agent.email and "Harbour" not in str(event.detail)
    assert "address corrected" in console.get(f"/tickets/{desk.tracking.reference}").text
