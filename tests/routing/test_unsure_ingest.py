"""Through the real ingestion path: unsure mail waits for triage and is promised only what every queue keeps."""
from __future__ import annotations

import datetime as dt
import email
from email.policy import default

from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor, RawMail
from routing.classify import Router
from services import Services
from tickets.models import Outbox, SlaClock, Ticket

TUESDAY_10AM_NEW_YORK = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
# Sentences only a queue-specific acknowledgement says (templates/mail/ack/<queue>.txt).
QUEUE_SPECIFIC = ("wholesale team", "quotation", "pre-sales", "carrier", "return authorization", "finance team",
                  "refunds are paid", "several of our teams", "personal data", "order number")
JOURNALIST = ("Interview request", "Hello, I'm a reporter with the Daily Courier writing a story about how people "
              "brew coffee at home. Could someone from your company give me a short interview by phone this week?"
              "\n\nMaya Brooks\nReporter, The Daily Courier")
GENERAL_QUESTION = ("Question", "Hello, is there a phone number I can call you on? And are you based in the US or "
                                "in Europe? Thanks")


def ingest(session: Session, services: Services, router: Router, mailbox: str, subject: str, body: str,
           sender: str = "Maya Brooks <maya@courier.example>") -> Ticket:
    """Through the whole pipeline: the session's router, the services' clocks and acknowledgements."""
    ingestor = Ingestor(services.config, services.store, services.clock, router=router, clocks=services.clocks,
                        acknowledge=Acknowledger(services.config, services.calendar))
    raw = make_mail(sender=sender, to=f"{mailbox}@aeropressmall.com", subject=subject, body=body)
    [outcome] = ingestor.ingest_batch(session, [RawMail(raw, "test", TUESDAY_10AM_NEW_YORK)], mailbox)
    session.commit()
    return session.scalars(select(Ticket).where(Ticket.reference == outcome.ticket)).one()


def acknowledgement(session: Session, ticket: Ticket) -> str:
    row = session.scalars(select(Outbox).where(Outbox.kind == "ack", Outbox.ticket_id == ticket.id)).one()
    message = email.message_from_bytes(row.raw, policy=default)
    return " ".join(message.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]


def reply_due(session: Session, ticket: Ticket) -> dt.datetime | None:
    return session.scalar(select(SlaClock.due_at).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == "reply"))


def test_a_journalist_at_press_waits_in_the_default_queue_with_a_plain_acknowledgement(
        session: Session, services: Services, router: Router) -> None:
    # The interview request is marked unsure in press@'s default queue; the acknowledgement promises the
    # reply every press@ queue keeps (2 working days) and nothing a pre-sales team would do.
    ticket = ingest(session, services, router, "press", *JOURNALIST)
    assert (ticket.queue, ticket.unsure, ticket.queue_confirmed) == ("presales.general", True, False)
    assert ticket.routing_reasons[-1].startswith("unsure: ")
    text = acknowledgement(session, ticket)
    assert "Our team will reply within 2 working days, by Thursday 26 November, 10:00" in text
    assert not [phrase for phrase in QUEUE_SPECIFIC if phrase in text.lower()]


def test_a_general_question_at_wholesale_is_not_promised_a_quotation(session: Session, services: Services,
                                                                     router: Router) -> None:
    # Sent to wholesale@ but no bulk order: it lands either in wholesale@'s default queue marked unsure, or
    # with high confidence in the queue it belongs to; either way no wholesale service is promised.
    ticket = ingest(session, services, router, "wholesale", *GENERAL_QUESTION, sender="Lee <lee@example.com>")
    text = acknowledgement(session, ticket).lower()
    assert "wholesale team" not in text and "quotation" not in text
    if ticket.unsure:
        assert ticket.queue == "wholesale"
        assert not [phrase for phrase in QUEUE_SPECIFIC if phrase in text]
    else:
        assert ticket.queue == "presales.general"
        assert float(ticket.routing_reasons[0].rsplit("(", 1)[1].rstrip(")")) >= services.config.routing.unsure_below
    assert "within 2 working days, by thursday 26 november, 10:00" in text


def test_unsure_mail_at_support_is_promised_the_fastest_support_queues_deadline_and_kept_to_it(
        session: Session, services: Services, router: Router) -> None:
    # At support@ the fastest queue (returns) answers within 1 working day: an unsure ticket waiting in
    # order.tracking (2 working days) is promised 1, and its reply clock holds the support team to that promise.
    ticket = ingest(session, services, router, "support", "Hello", "Hi again, any news on this? Thanks",
                    sender="Sam <sam@example.com>")
    assert (ticket.queue, ticket.unsure) == ("order.tracking", True)
    text = acknowledgement(session, ticket)
    assert "Our team will reply within 1 working day, by Wednesday 25 November, 10:00" in text
    assert reply_due(session, ticket) == dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)


def test_the_senders_earlier_tickets_reach_the_router(session: Session, services: Services,
                                                      router: Router) -> None:
    # A customer with a return on file who asks "any news?" is asking about the return: placed with confidence.
    ingest(session, services, router, "support", "Return", "I'd like to return the AeroPress Go from order AP-381204. "
                                                         "It's unused.", sender="Sam <sam@example.com>")
    followup = ingest(session, services, router, "support", "Hello", "Hi again, any news on this? Thanks",
                      sender="Sam <sam@example.com>")
    assert (followup.queue, followup.unsure) == ("returns", False)
