"""A hostile subject (10 MB, or thousands of characters without a space) is capped when stored, so the
console's lists stay small; the ticket still works, and the acknowledgement does not echo 10 MB back."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from inbox.ingest import RawMail
from services import Services
from tickets.mail import SUBJECT_CHARS
from tickets.models import Message, Outbox, Ticket


def test_a_ten_megabyte_subject_is_capped_in_the_ticket_and_its_list(console: Console, services: Services,
                                                                     writer: sessionmaker[Session],
                                                                     staff: Staff) -> None:
    # The list page shows the start of the subject, not 10 MB of it; the message record is capped too.
    subject = b"Refund " + b"x" * 10_000_000
    raw = (b"From: Flood <flood@example.com>\r\nTo: support@aeropressmall.com\r\nSubject: " + subject
           + b"\r\nMessage-ID: <flood@example.com>\r\n\r\nPlease refund.\r\n")
    with writer.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(raw, "test")], "support")
    assert outcome.status == "created"
    with writer() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
        message = session.scalar(select(Message).where(Message.message_id == "<flood@example.com>"))
        assert ticket is not None and message is not None
        assert len(ticket.subject) == SUBJECT_CHARS and ticket.subject.startswith("Refund xxx")
        assert len(message.subject) == SUBJECT_CHARS and len(str(message.headers)) < 10_000
        queue = ticket.queue
        [ack] = session.scalars(select(Outbox).where(Outbox.kind == "ack"))
        assert b"Refund xxx" in ack.raw and len(ack.raw) < 20_000
    page = console.sign_in(staff.admin).get(f"/tickets?queue={queue}")
    assert page.status_code == 200 and "Refund xxx" in page.text and len(page.data) < 200_000
