"""Customers with internationalised addresses (RFC 6531/6532), from their first mail to our answer on the wire."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from smtpsink import Sink, serving
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_sender import smtp_to

from inbox.ingest import Ingestor, RawMail
from inbox.parse import parse_message
from inbox.sender import deliver_due
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Customer, Outbox, Quarantine, TicketEvent

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)


def mail_from(sender: str) -> bytes:
    """A customer's first mail, its From header in UTF-8 as RFC 6532 allows."""
    return (f"From: {sender}\r\nTo: support@aeropressmall.com\r\nSubject: Wo ist meine Bestellung?\r\n"
            "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <intl-1@example.com>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nHallo, wo ist meine Bestellung AP-123456?\r\n").encode()


@pytest.fixture
def acknowledged(session: Session, frozen_clock: FrozenClock,
                 make_ingestor: Callable[..., Ingestor]) -> Iterator[object]:
    frozen_clock.set(NOW)

    def ingest(sender: str) -> str:
        ingestor = make_ingestor(acknowledge=True)
        [outcome] = ingestor.ingest_batch(session, [RawMail(mail_from(sender), "test", NOW)], "support")
        session.commit()
        return outcome.status

    yield ingest


def deliver(config: Config, services: Services, smtputf8: bool) -> tuple[dict[str, int], Sink]:
    """One delivery pass to an SMTP server on loopback that offers SMTPUTF8 or not."""
    handler = Sink()
    with serving(handler, enable_SMTPUTF8=smtputf8) as port:
        counts = deliver_due(services.sessions, smtp_to(config, port), NOW)
    return counts, handler


@pytest.mark.parametrize("sender, stored", [
    ("Jörg Döe <jdöe@mächine.example>", "jdöe@mächine.example"),
    ("info@xn--bcher-kva.example", "info@bücher.example"),
])
def test_an_internationalised_sender_gets_a_ticket_and_an_acknowledgement(acknowledged, session: Session,
                                                                          sender: str, stored: str) -> None:
    # The first mail of a customer at a Unicode address or an IDN domain is stored, never quarantined.
    assert acknowledged(sender) == "created"
    assert session.scalars(select(Customer.email)).all() == [stored]
    assert session.scalars(select(Outbox.rcpt)).all() == [stored]
    assert session.scalars(select(Quarantine)).all() == []


def test_a_unicode_local_part_goes_out_over_smtputf8(acknowledged, config: Config, services: Services) -> None:
    # A server offering SMTPUTF8 gets the address as written, in the envelope and in the To header.
    acknowledged("Jörg Döe <jdöe@mächine.example>")
    counts, handler = deliver(config, services, smtputf8=True)
    [envelope] = handler.received
    assert counts["sent"] == 1
    assert envelope.rcpt_tos == ["jdöe@mächine.example"] and "SMTPUTF8" in envelope.mail_options
    [to] = parse_message(envelope.original_content, now=NOW).to
    assert (to.email, to.name) == ("jdöe@mächine.example", "Jörg Döe")


def test_an_idn_domain_goes_out_as_punycode_without_smtputf8(acknowledged, config: Config, services: Services) -> None:
    # A server without SMTPUTF8 still reaches a customer whose only non-ASCII part is the domain.
    acknowledged("info@xn--bcher-kva.example")
    counts, handler = deliver(config, services, smtputf8=False)
    [envelope] = handler.received
    assert counts["sent"] == 1 and envelope.rcpt_tos == ["info@xn--bcher-kva.example"]
    assert handler.messages()[0]["To"] == "info@xn--bcher-kva.example"


def test_a_unicode_local_part_without_smtputf8_is_a_recorded_failure(acknowledged, config: Config, services: Services,
                                                                     session: Session) -> None:
    # Nothing can carry jdöe@ without SMTPUTF8: the acknowledgement fails on the ticket; the mail stays stored.
    acknowledged("jdöe@mächine.example")
    counts, handler = deliver(config, services, smtputf8=False)
    assert counts["failed"] == 1 and handler.received == []
    event = session.scalar(select(TicketEvent).where(TicketEvent.kind == "delivery_failed"))
    assert event is not None and "SMTPUTF8" in event.data["error"]
