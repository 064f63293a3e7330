"""Threading, exactly as DESIGN section 3 orders it, through the real ingestion pipeline."""
from __future__ import annotations

import datetime as dt
import email
from collections.abc import Callable
from email import policy

import pytest
from mailfactory import make_mail
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.ingest import Ingestor, Outcome, RawMail
from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Message, Outbox, Ticket

EMILY = "Emily Carter <emily@example.com>"


@pytest.fixture
def ingest(session: Session, make_ingestor: Callable[..., Ingestor]) -> Callable[..., Outcome]:
    """Ingest raw bytes into `mailbox` and commit, as one batch of one."""
    ingestor = make_ingestor()

    def run(raw: bytes, mailbox: str = "support") -> Outcome:
        [outcome] = ingestor.ingest_batch(session, [RawMail(raw, "test")], mailbox)
        session.commit()
        return outcome

    return run


def ticket_of(session: Session, reference: str | None) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.reference == reference))
    assert ticket is not None
    return ticket


def test_reply_threads_by_in_reply_to(ingest) -> None:
    # A customer's reply naming the first mail in In-Reply-To joins that ticket.
    first = ingest(make_mail(message_id="<a1@example.com>"))
    second = ingest(make_mail(subject="Re: Where is my order AP-123456?", message_id="<a2@example.com>",
                              in_reply_to="<a1@example.com>"))
    assert first.status == "created" and second.status == "threaded" and second.ticket == first.ticket


def test_reply_threads_by_references_only(ingest) -> None:
    # A client that sets only References still threads.
    first = ingest(make_mail(message_id="<b1@example.com>"))
    second = ingest(make_mail(message_id="<b2@example.com>", references="<zz@elsewhere> <b1@example.com>"))
    assert second.status == "threaded" and second.ticket == first.ticket


def test_tag_alone_threads_for_the_customer(ingest) -> None:
    # Outlook drops References: the [#HD-n] tag from the ticket's customer is enough.
    first = ingest(make_mail(message_id="<c1@example.com>"))
    second = ingest(make_mail(subject=f"RE: Where is my order [#{first.ticket}]", message_id="<c2@example.com>"))
    assert second.status == "threaded" and second.ticket == first.ticket


def test_cc_colleague_with_tag_threads(ingest) -> None:
    # A colleague who was copied on the thread may answer with the tag and joins the ticket.
    first = ingest(make_mail(message_id="<d1@example.com>", cc="Bob <bob@example.com>"))
    second = ingest(make_mail(sender="Bob <bob@example.com>", subject=f"Re: order [#{first.ticket}]",
                              message_id="<d2@example.com>"))
    assert second.status == "threaded" and second.ticket == first.ticket


def test_stranger_with_guessed_tag_opens_linked_ticket(ingest, session: Session) -> None:
    # A guessed tag must not inject mail into someone else's ticket: a new ticket, linked for merging.
    first = ingest(make_mail(message_id="<e1@example.com>"))
    stranger = ingest(make_mail(sender="Mallory <mallory@evil.example>", subject=f"Re: [#{first.ticket}] refund me",
                                message_id="<e2@example.com>"))
    assert stranger.status == "created" and stranger.ticket != first.ticket
    assert ticket_of(session, stranger.ticket).linked_ticket_id == ticket_of(session, first.ticket).id


def test_reply_arriving_before_its_original(ingest) -> None:
    # The reply comes first and opens a ticket; the original, when it arrives, joins it.
    reply = ingest(make_mail(message_id="<f2@example.com>", in_reply_to="<f1@example.com>",
                             references="<f1@example.com>"))
    original = ingest(make_mail(message_id="<f1@example.com>"))
    assert reply.status == "created" and original.status == "threaded" and original.ticket == reply.ticket


def test_same_mail_in_two_mailboxes_is_stored_once(ingest, session: Session) -> None:
    # One message delivered to support@ and press@ is one message on one ticket.
    raw = make_mail(to="support@aeropressmall.com, press@aeropressmall.com", message_id="<g1@example.com>")
    first = ingest(raw, "support")
    second = ingest(raw, "press")
    assert (first.status, second.status) == ("created", "duplicate") and second.ticket == first.ticket
    assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_identical_subjects_from_two_customers_are_two_tickets(ingest) -> None:
    # Never thread on subject text: two customers asking the same thing get a ticket each.
    one = ingest(make_mail(sender="A <a@example.com>", subject="Refund", message_id="<h1@example.com>"))
    two = ingest(make_mail(sender="B <b@example.com>", subject="Refund", message_id="<h2@example.com>"))
    assert one.ticket != two.ticket and two.status == "created"


def test_similar_subject_without_tag_is_a_new_ticket(ingest) -> None:
    # The same customer writing again without reply headers or tag starts a new ticket.
    one = ingest(make_mail(subject="Order AP-123456", message_id="<i1@example.com>"))
    two = ingest(make_mail(subject="Re: Order AP-123456", message_id="<i2@example.com>"))
    assert two.status == "created" and two.ticket != one.ticket


def test_missing_message_id_gets_a_stable_synthetic_one(ingest) -> None:
    # A mail without Message-ID can still be deduplicated when it arrives again.
    raw = make_mail(message_id="")
    first = ingest(raw)
    again = ingest(raw)
    assert first.message_id and again.status == "duplicate" and again.message_id == first.message_id


def test_customer_reply_to_our_reply_threads(ingest, session: Session, config: Config) -> None:
    # The customer answers the agent's mail (In-Reply-To is our own Message-ID): same ticket.
    first = ingest(make_mail(message_id="<j1@example.com>"))
    ticket = ticket_of(session, first.ticket)
    ours = operations.reply(session, config, ticket, None, "We are checking with the carrier.", ticket.created_at)
    session.commit()
    answer = ingest(make_mail(subject=f"Re: Where is my order [#{first.ticket}]", message_id="<j3@example.com>",
                              in_reply_to=ours.message_id))
    assert answer.status == "threaded" and answer.ticket == first.ticket


def test_mail_to_merged_ticket_lands_on_the_survivor(ingest, session: Session) -> None:
    # After a merge, replies to the old thread land on the ticket it was merged into.
    one = ingest(make_mail(message_id="<k1@example.com>"))
    two = ingest(make_mail(subject="Another question", message_id="<k2@example.com>"))
    source, target = ticket_of(session, two.ticket), ticket_of(session, one.ticket)
    operations.merge(session, source, target, None, target.created_at)
    session.commit()
    reply = ingest(make_mail(message_id="<k3@example.com>", in_reply_to="<k2@example.com>"))
    assert reply.ticket == one.ticket


def test_a_stranger_with_a_foreign_tag_its_acknowledgement_and_the_reply_make_one_ticket(
        session: Session, make_ingestor: Callable[..., Ingestor]) -> None:
    # The acknowledgement carries only the new ticket's tag, so the stranger's answers stay on that one ticket.
    ingestor = make_ingestor(acknowledge=True)

    def ingest(raw: bytes) -> Outcome:
        [outcome] = ingestor.ingest_batch(session, [RawMail(raw, "test")], "support")
        session.commit()
        return outcome

    first = ingest(make_mail(message_id="<k1@example.com>"))
    mallory = "Mallory <mallory@evil.example>"
    stranger = ingest(make_mail(sender=mallory, subject=f"Re: Where is my order [#{first.ticket}]",
                                message_id="<k2@example.com>"))
    raw = session.scalars(select(Outbox.raw).where(Outbox.rcpt == "mallory@evil.example")).one()
    ack = email.message_from_bytes(raw, policy=policy.default)
    assert ack["Subject"] == f"Re: Where is my order [#{stranger.ticket}]"
    answer = ingest(make_mail(sender=mallory, subject=f"Re: {ack['Subject']}", message_id="<k3@example.com>",
                              in_reply_to=ack["Message-ID"], references=ack["References"]))
    again = ingest(make_mail(sender=mallory, subject=f"Re: {ack['Subject']}", message_id="<k4@example.com>"))
    assert stranger.status == "created" and stranger.ticket != first.ticket
    assert (answer.status, answer.ticket) == ("threaded", stranger.ticket)
    assert (again.status, again.ticket) == ("threaded", stranger.ticket)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 2
    assert ticket_of(session, stranger.ticket).linked_ticket_id == ticket_of(session, first.ticket).id


def test_an_agent_reply_answers_the_customer_newest_message_and_references_the_thread(
        session: Session, config: Config, frozen_clock: FrozenClock, make_ingestor: Callable[..., Ingestor]) -> None:
    # Not our acknowledgement: the customer's client threads our answer under what they wrote last.
    ingestor = make_ingestor(acknowledge=True)
    [first] = ingestor.ingest_batch(session, [RawMail(make_mail(message_id="<m1@example.com>"), "test")], "support")
    ticket = ticket_of(session, first.ticket)
    ack_id = session.scalars(select(Message.message_id).where(Message.direction == "outbound")).one()
    frozen_clock.advance(dt.timedelta(minutes=5))
    ingestor.ingest_batch(session, [RawMail(make_mail(message_id="<m2@example.com>", in_reply_to=ack_id,
                                                      references=f"<m1@example.com> {ack_id}"), "test")], "support")
    reply = operations.reply(session, config, ticket, None, "It ships today.",
                             frozen_clock.advance(dt.timedelta(minutes=5)))
    session.commit()
    sent = email.message_from_bytes(session.scalars(select(Outbox.raw).where(Outbox.message_id == reply.id)).one(),
                                    policy=policy.default)
    assert sent["In-Reply-To"] == "<m2@example.com>"
    assert sent["References"].split() == ["<m1@example.com>", ack_id, "<m2@example.com>"]
