"""What the console's answers give away: nothing cached, and no hint where a refused ticket is."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from tickets.models import AttachmentFile, Message


def test_every_response_with_customer_data_forbids_caching(console: Console, desk: Desk, staff: Staff,
                                                           reader: sessionmaker[Session]) -> None:
    # Ticket pages, lists, search, the mail's HTML, attachments and report exports: `no-store`, so a
    # shared computer's browser keeps no copy after the agent signs out.
    with reader() as s:
        message = s.scalar(select(Message).where(Message.ticket_id == desk.tracking.id))
        attachment = s.scalar(select(AttachmentFile).where(AttachmentFile.message_id == message.id))
    ref = desk.tracking.reference
    console.sign_in(staff.manager)
    for url in ("/", "/tickets", "/triage", f"/tickets/{ref}", f"/tickets/{ref}/messages/{message.id}/html",
                f"/tickets/{ref}/attachments/{attachment.id}", "/search?q=parcel", "/reports", "/reports.csv",
                "/reports.json"):
        response = console.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    assert b"%PDF-1.4 receipt" in console.get(f"/tickets/{ref}/attachments/{attachment.id}").data


def test_a_refusal_does_not_say_which_queue_the_ticket_is_in(console: Console, desk: Desk, staff: Staff) -> None:
    # The wholesale agent learns that the ticket is not theirs to open, not where it is.
    console.sign_in(staff.outsider)
    refused = console.get(f"/tickets/{desk.tracking.reference}")
    assert refused.status_code == 403 and desk.tracking.reference in refused.text
    assert "order.tracking" not in refused.text and "Order tracking" not in refused.text
