"""Acknowledgements queued when human mail opens a ticket, through the real ingestion pipeline."""
from __future__ import annotations

import dataclasses
import datetime as dt
import email
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default

import pytest
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.ingest import Ingestor, Outcome, RawMail
from tickets.clock import FrozenClock
from tickets.config import AcknowledgementConfig, Config, MailboxConfig, QueueConfig
from tickets.models import Direction, Message, Outbox

TUESDAY_10AM_NEW_YORK = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
Ingest = Callable[..., Outcome]


@pytest.fixture
def ingest(session: Session, make_ingestor: Callable[..., Ingestor]) -> Ingest:
    """`ingest(config, raw, mailbox="support")`: one mail through a pipeline that acknowledges, committed."""

    def run(config: Config, raw: bytes, mailbox: str = "support",
            received: dt.datetime = TUESDAY_10AM_NEW_YORK) -> Outcome:
        ingestor = make_ingestor(config, acknowledge=True)
        [outcome] = ingestor.ingest_batch(session, [RawMail(raw, "test", received)], mailbox)
        session.commit()
        return outcome

    return run


def acks(session: Session) -> list[Outbox]:
    return list(session.scalars(select(Outbox).where(Outbox.kind == "ack").order_by(Outbox.id)))


def as_mail(row: Outbox) -> EmailMessage:
    return email.message_from_bytes(row.raw, policy=default)  # type: ignore[return-value]


def body(row: Outbox) -> str:
    return " ".join(as_mail(row).get_body(("plain",)).get_content().split())


def test_new_ticket_is_acknowledged_with_reference_and_promise(ingest: Ingest, session: Session,
                                                               config: Config) -> None:
    # The customer hears back at once: ticket reference in a threaded reply, and when to expect an answer.
    outcome = ingest(config, make_mail(message_id="<first@example.com>"))
    [row] = acks(session)
    mail = as_mail(row)
    assert (row.rcpt, mail["From"], mail["To"]) == ("emily@example.com", "AeroPress Mall <support@aeropressmall.com>",
                                                    "Emily Carter <emily@example.com>")
    assert mail["Subject"] == f"Re: Where is my order AP-123456? [#{outcome.ticket}]"
    assert mail["In-Reply-To"] == "<first@example.com>" and mail["References"] == "<first@example.com>"
    assert mail["Auto-Submitted"] == "auto-replied" and mail["X-Loop"] == "support@aeropressmall.com"
    text = body(row)
    assert f"opened ticket {outcome.ticket}" in text and f"[#{outcome.ticket}]" in text
    assert "within 2 working days, by Thursday 26 November, 10:00" in text
    assert text.startswith("Dear Emily Carter,")
    stored = session.scalars(select(Message).where(Message.direction == Direction.OUTBOUND.value)).one()
    assert stored.auto and stored.message_id == mail["Message-ID"] and stored.delivery == "queued"


def test_the_template_follows_the_queue(ingest: Ingest, session: Session, config: Config) -> None:
    # Each queue has its own wording; a queue without a template gets the default one.
    config = dataclasses.replace(config, mailboxes={
        **config.mailboxes, "wholesale": MailboxConfig(address="wholesale@aeropressmall.com", default_queue="vip")},
        queues={**config.queues, "vip": QueueConfig(title="VIP", mailbox="wholesale", reply_working_days=1)})
    ingest(config, make_mail(message_id="<t1@example.com>"), "support")
    ingest(config, make_mail(sender="Tom <tom@example.com>", message_id="<t2@example.com>"), "press")
    ingest(config, make_mail(sender="Ann <ann@example.com>", message_id="<t3@example.com>"), "wholesale")
    tracking, presales, vip = (body(row) for row in acks(session))
    assert "check your parcel with the carrier" in tracking
    assert "pre-sales specialists will reply within 2 working days" in presales
    assert "Thank you for writing to aeropressmall.com" in vip and "within 1 working day, by" in vip
    assert as_mail(acks(session)[1])["From"] == "AeroPress Mall <press@aeropressmall.com>"


def test_a_reply_on_an_open_ticket_is_not_acknowledged_again(ingest: Ingest, session: Session, config: Config) -> None:
    # Only a new ticket is acknowledged; the customer's follow-up on it is not.
    ingest(config, make_mail(message_id="<a@example.com>"))
    outcome = ingest(config, make_mail(message_id="<b@example.com>", in_reply_to="<a@example.com>"))
    assert outcome.status == "threaded"
    assert len(acks(session)) == 1


@pytest.mark.parametrize("headers", [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"},
                                     {"X-Loop": "support@aeropressmall.com"}])
def test_auto_mail_is_never_acknowledged(ingest: Ingest, session: Session, config: Config,
                                         headers: dict[str, str]) -> None:
    # Out-of-office replies, bulk mail and our own looping mail get no acknowledgement.
    outcome = ingest(config, make_mail(subject="Out of office", headers=headers))
    assert outcome.status == "auto"
    assert acks(session) == []


def test_no_acknowledgement_when_switched_off(ingest: Ingest, session: Session, config: Config) -> None:
    # [acknowledgements] enabled = false, or a queue with acknowledge = false: tickets open silently.
    off = dataclasses.replace(config, acknowledgements=AcknowledgementConfig(enabled=False))
    ingest(off, make_mail(message_id="<off1@example.com>"))
    quiet_queue = dataclasses.replace(config, queues={
        **config.queues, "order.tracking": dataclasses.replace(config.queues["order.tracking"], acknowledge=False)})
    ingest(quiet_queue, make_mail(sender="tom@example.com", message_id="<off2@example.com>"))
    assert acks(session) == []
    ingest(config, make_mail(sender="ann@example.com", message_id="<on@example.com>"))
    assert [row.rcpt for row in acks(session)] == ["ann@example.com"]


def test_our_own_address_is_never_acknowledged(ingest: Ingest, session: Session, config: Config) -> None:
    # A colleague forwarding from press@ to support@ opens a ticket but gets no acknowledgement.
    outcome = ingest(config, make_mail(sender="Press desk <press@aeropressmall.com>"))
    assert outcome.status == "created"
    assert acks(session) == []


def test_acknowledgements_are_rate_limited_per_sender(ingest: Ingest, session: Session, config: Config,
                                                      frozen_clock: FrozenClock) -> None:
    # At most max_per_sender_per_hour (3) acknowledgements per hour to one address; others still get theirs.
    start = frozen_clock.now()
    for n in range(4):
        frozen_clock.set(start + dt.timedelta(minutes=n))
        ingest(config, make_mail(message_id=f"<burst{n}@example.com>", subject=f"Question {n}"))
    ingest(config, make_mail(sender="tom@example.com", message_id="<tom@example.com>"))
    frozen_clock.set(start + dt.timedelta(minutes=61))
    ingest(config, make_mail(message_id="<later@example.com>", subject="One more"))
    assert [row.rcpt for row in acks(session)] == ["emily@example.com"] * 3 + ["tom@example.com", "emily@example.com"]


def test_rate_limit_holds_within_one_batch(session: Session, make_ingestor: Callable[..., Ingestor]) -> None:
    # Five new tickets from one sender in a single batch (one IMAP fetch) still bring only three acknowledgements.
    ingestor = make_ingestor(acknowledge=True)
    batch = [RawMail(make_mail(message_id=f"<batch{n}@example.com>", subject=f"Question {n}"), f"m{n}",
                     TUESDAY_10AM_NEW_YORK) for n in range(5)]
    outcomes = ingestor.ingest_batch(session, batch, "support")
    session.commit()
    assert [o.status for o in outcomes] == ["created"] * 5
    assert len(acks(session)) == 3


@pytest.mark.parametrize("words, expected", [
    ("Guten Tag, ich habe meine Bestellung noch nicht bekommen. Wann wird sie geliefert? Bitte helfen Sie mir, "
     "danke. Mit freundlichen Grüßen",
     "Unser Team antwortet Ihnen innerhalb von 2 Werktagen, bis Donnerstag, 26. November, 10:00 Uhr "
     "(Ortszeit New York, EST)."),
    ("Bonjour, je n'ai pas encore reçu ma commande. Pouvez-vous me dire quand elle sera livrée ? Merci pour "
     "votre aide.",
     "Notre équipe vous répondra sous 2 jours ouvrés, d'ici le jeudi 26 novembre à 10:00 (heure de New York, EST)."),
    ("Hola, todavía no he recibido mi pedido. ¿Me pueden decir cuándo llegará? Gracias por su ayuda, un saludo.",
     "Nuestro equipo le responderá en un plazo de 2 días laborables, antes del jueves 26 de noviembre a las 10:00 "
     "(hora de New York, EST)."),
])
def test_acknowledgement_in_the_customers_language_names_the_time_zone(
        ingest: Ingest, session: Session, config: Config, words: str, expected: str) -> None:
    # German, French and Spanish mail is acknowledged in its language, the deadline with its time zone.
    ingest(config, make_mail(subject="AP-123456", body=words + "\n"))
    [row] = acks(session)
    assert expected in body(row)


def test_complex_complaint_acknowledgement_asks_for_order_number_and_remedy(
        ingest: Ingest, session: Session, config: Config) -> None:
    # Policy section 5: the complainant is asked for the order number and the settlement they want, in English
    # and in their own language.
    config = dataclasses.replace(config, mailboxes={
        **config.mailboxes, "support": dataclasses.replace(config.mailboxes["support"],
                                                           default_queue="complaint.complex")})
    ingest(config, make_mail(subject="Broken again", body="Second broken AeroPress, this is unacceptable.\n"))
    ingest(config, make_mail(sender="Jonas <jonas@example.de>", subject="Schon wieder kaputt",
                             body="Guten Tag, die AeroPress ist schon wieder kaputt. Ich bin sehr enttäuscht und "
                                  "möchte eine Lösung, bitte.\n"))
    english, german = (body(row) for row in acks(session))
    assert "order number" in english and "remedy you would like" in english
    assert "Bestellnummer" in german and "die Lösung, die Sie sich wünschen" in german
