"""Outbound delivery of outbox rows to a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from dovecot import TlsFiles, free_port, make_tls_files
from mailfactory import make_mail
from smtpsink import Sink, serving
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor, RawMail
from inbox.sender import CLAIM_SECONDS, claim, deliver_due
from services import Services
from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import Message, Outbox, Ticket, TicketEvent

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)  # where the services' frozen clock stands
CUSTOMER_ID = "<order-question@example.com>"


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    with serving(handler) as port:
        yield handler, port


def smtp_to(config: Config, port: int, **fields: object) -> Config:
    settings = {"host": "127.0.0.1", "port": port, "tls": "none", "retry_base_seconds": 60.0, **fields}
    return dataclasses.replace(config, smtp=SmtpConfig(**settings))  # type: ignore[arg-type]


def new_ticket(services: Services, session: Session, config: Config, acknowledge: bool = False) -> Ticket:
    """A ticket opened by a customer's mail to support@, as ingestion makes it (on the services' clock)."""
    ingestor = Ingestor(config, services.store, services.clock,
                        acknowledge=Acknowledger(config, services.calendar) if acknowledge else None)
    [outcome] = ingestor.ingest_batch(session, [RawMail(make_mail(message_id=CUSTOMER_ID), "test", NOW)], "support")
    ticket = session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
    session.commit()  # end the transaction: on SQLite an open one would hold the write lock
    assert ticket is not None
    return ticket


def replied(services: Services, session: Session, config: Config) -> tuple[Ticket, Message]:
    ticket = new_ticket(services, session, config)
    message = operations.reply(session, config, ticket, None, "Your parcel left our warehouse today.", NOW)
    session.commit()
    return ticket, message


def delivery_of(session: Session, message: Message) -> tuple[str, str]:
    session.expire_all()
    session.refresh(message)
    result = (message.delivery, message.delivery_error)
    session.rollback()
    return result


def test_reply_goes_out_from_the_ticket_mailbox_threaded(config: Config, services: Services, session: Session,
                                                         sink: tuple[Sink, int]) -> None:
    # An agent's reply reaches the customer from support@, tagged and threaded, text and HTML, not auto-submitted.
    handler, port = sink
    config = smtp_to(config, port)
    ticket, message = replied(services, session, config)
    assert deliver_due(services.sessions, config, NOW) == {"claimed": 1, "sent": 1, "retry": 0, "failed": 0}
    [envelope] = handler.received
    assert (envelope.mail_from, envelope.rcpt_tos) == ("support@aeropressmall.com", ["emily@example.com"])
    [mail] = handler.messages()
    assert mail["From"] == "AeroPress Mall <support@aeropressmall.com>"
    assert mail["To"] == "Emily Carter <emily@example.com>"
    assert mail["Subject"] == f"Re: Where is my order AP-123456? [#{ticket.reference}]"
    assert mail["Message-ID"] == message.message_id
    assert mail["In-Reply-To"] == CUSTOMER_ID and CUSTOMER_ID in mail["References"]
    assert mail["X-Loop"] == "support@aeropressmall.com" and mail["Auto-Submitted"] is None
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    assert "left our warehouse" in mail.get_body(("plain",)).get_content()
    assert delivery_of(session, message) == ("sent", "")


def test_acknowledgement_goes_out_auto_submitted(config: Config, services: Services, session: Session,
                                                 sink: tuple[Sink, int], frozen_clock: FrozenClock) -> None:
    # The acknowledgement of a new ticket is marked Auto-Submitted: auto-replied, with our X-Loop and the tag.
    # It is queued at the services' clock and is due at once.
    handler, port = sink
    config = smtp_to(config, port)
    ticket = new_ticket(services, session, config, acknowledge=True)
    assert deliver_due(services.sessions, config, frozen_clock.now())["sent"] == 1
    [mail] = handler.messages()
    assert mail["Auto-Submitted"] == "auto-replied" and mail["X-Loop"] == "support@aeropressmall.com"
    assert mail["Subject"].endswith(f"[#{ticket.reference}]") and mail["In-Reply-To"] == CUSTOMER_ID
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]


def test_a_4xx_answer_is_retried_later(config: Config, services: Services, session: Session,
                                       sink: tuple[Sink, int]) -> None:
    # "451 try again later" keeps the reply queued with a backoff; the next due pass delivers it once.
    handler, port = sink
    handler.data_answers.append("451 4.3.0 Greylisted, try again later")
    config = smtp_to(config, port)
    _, message = replied(services, session, config)
    sessions = services.sessions
    assert deliver_due(sessions, config, NOW)["retry"] == 1
    with sessions() as check:
        row = check.scalars(select(Outbox)).one()
        assert (row.status, row.attempts) == ("pending", 1) and row.last_error.startswith("451")
        assert NOW + dt.timedelta(seconds=30) <= row.next_attempt_at <= NOW + dt.timedelta(seconds=60)
    assert deliver_due(sessions, config, NOW)["claimed"] == 0  # not due yet
    assert deliver_due(sessions, config, NOW + dt.timedelta(minutes=2))["sent"] == 1
    assert len(handler.received) == 1
    assert delivery_of(session, message) == ("sent", "")


def test_a_5xx_answer_marks_the_reply_failed_on_its_ticket(config: Config, services: Services, session: Session,
                                                           sink: tuple[Sink, int]) -> None:
    # "550 no such user" is permanent: the reply shows as failed, and the ticket's history says why.
    handler, port = sink
    handler.rcpt_answers.append("550 5.1.1 <emily@example.com>: no such user")
    config = smtp_to(config, port)
    ticket, message = replied(services, session, config)
    assert deliver_due(services.sessions, config, NOW)["failed"] == 1
    delivery, error = delivery_of(session, message)
    assert delivery == "failed" and error.startswith("550") and "no such user" in error
    event = session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                     TicketEvent.kind == "delivery_failed"))
    assert event is not None and event.data["message_id"] == message.message_id
    assert session.scalars(select(Outbox.status)).one() == "failed"


def test_retries_stop_after_max_attempts(config: Config, services: Services, session: Session,
                                         sink: tuple[Sink, int]) -> None:
    # A server that keeps answering 4xx: after max_attempts the reply is failed, not retried forever.
    handler, port = sink
    handler.data_answers += ["452 4.2.2 Mailbox full"] * 3
    config = smtp_to(config, port, max_attempts=2)
    _, message = replied(services, session, config)
    sessions = services.sessions
    assert deliver_due(sessions, config, NOW)["retry"] == 1
    assert deliver_due(sessions, config, NOW + dt.timedelta(hours=1))["failed"] == 1
    assert delivery_of(session, message)[0] == "failed"
    assert handler.received == []


def test_unreachable_server_keeps_mail_queued(config: Config, services: Services, session: Session) -> None:
    # With the SMTP server down, mail waits for a retry with the reason recorded; nothing is marked failed.
    config = smtp_to(config, free_port())
    _, message = replied(services, session, config)
    assert deliver_due(services.sessions, config, NOW)["retry"] == 1
    row = session.scalars(select(Outbox)).one()
    assert row.status == "pending" and "connection to 127.0.0.1" in row.last_error
    assert delivery_of(session, message)[0] == "queued"


def test_no_smtp_host_means_mail_stays_queued(config: Config, services: Services, session: Session) -> None:
    # Without [smtp] host nothing is attempted: the reply stays queued, no attempt is spent.
    replied(services, session, config)
    assert deliver_due(services.sessions, config, NOW)["claimed"] == 0
    assert session.scalars(select(Outbox.attempts)).one() == 0


def test_a_claim_is_exclusive_until_it_expires(config: Config, services: Services, session: Session,
                                               sink: tuple[Sink, int]) -> None:
    # A row claimed by one sender is not taken by another, unless that sender died: its claim expires
    # within a minute, and the stranded row is sent by the next pass.
    handler, port = sink
    config = smtp_to(config, port)
    replied(services, session, config)
    sessions = services.sessions
    assert len(claim(sessions, "dead-sender", NOW, 10)) == 1
    assert claim(sessions, "other-sender", NOW, 10) == []
    assert deliver_due(sessions, config, NOW + dt.timedelta(seconds=CLAIM_SECONDS / 2))["claimed"] == 0
    later = NOW + dt.timedelta(minutes=1)
    assert deliver_due(sessions, config, later) == {"claimed": 1, "sent": 1, "retry": 0, "failed": 0}
    assert len(handler.received) == 1


def test_locked_rows_are_skipped_not_waited_for(config: Config, services: Services, session: Session) -> None:
    # PostgreSQL: a row locked by another sender's open claim transaction is skipped, the rest are claimed.
    if services.engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers instead")
    ticket, _ = replied(services, session, config)
    operations.reply(session, config, ticket, None, "A second reply.", NOW)
    session.commit()
    first, second = session.scalars(select(Outbox.id).order_by(Outbox.id)).all()
    with services.sessions.begin() as other:
        other.execute(select(Outbox).where(Outbox.id == first).with_for_update())
        assert claim(services.sessions, "me", NOW, 10) == [second]


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return make_tls_files(tmp_path / "tls")


def test_starttls_is_verified_and_login_used(config: Config, services: Services, session: Session, tls_files: TlsFiles,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # STARTTLS checks the server's certificate (here against ca_file) and logs in with the configured secret.
    seen: list[tuple[str, str]] = []

    def authenticate(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"smtp-secret")

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files.cert, tls_files.key)
    handler = Sink()
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "smtp-secret")
    with serving(handler, tls_context=context, require_starttls=True, authenticator=authenticate,
                 auth_required=True) as port:
        untrusted = smtp_to(config, port, tls="starttls", user="helpdesk", password_env="TEST_SMTP_PASSWORD")
        replied(services, session, untrusted)
        sessions = services.sessions
        assert deliver_due(sessions, untrusted, NOW)["retry"] == 1
        with sessions() as check:
            assert "certificate" in check.scalars(select(Outbox.last_error)).one()
        trusted = dataclasses.replace(untrusted, smtp=dataclasses.replace(untrusted.smtp, ca_file=str(tls_files.ca)))
        assert deliver_due(sessions, trusted, NOW + dt.timedelta(hours=1))["sent"] == 1
    assert seen == [("helpdesk", "smtp-secret")] and len(handler.received) == 1


def test_a_bounce_marks_the_reply_undelivered(config: Config, services: Services, session: Session,
                                              sink: tuple[Sink, int]) -> None:
    # A delivery-status notification returning our reply marks that reply as bounced on its ticket.
    handler, port = sink
    config = smtp_to(config, port)
    ticket, message = replied(services, session, config)
    deliver_due(services.sessions, config, NOW)
    [sent] = handler.received
    dsn = make_dsn(sent.original_content or b"", "emily@example.com")  # type: ignore[arg-type]
    ingestor = Ingestor(config, services.store, services.clock)
    [outcome] = ingestor.ingest_batch(session, [RawMail(dsn, "bounce", NOW)], "support")
    session.commit()
    assert outcome.status == "auto"
    assert delivery_of(session, message)[0] == "bounced"


def make_dsn(returned: bytes, rcpt: str) -> bytes:
    """An RFC 3464 bounce as Postfix sends it: multipart/report with the returned headers."""
    headers = returned.split(b"\r\n\r\n", 1)[0].decode("ascii")
    boundary = "dsn-boundary-1"
    report = (f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n"
              f"\r\nFinal-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n")
    return (
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\n"
        "To: support@aeropressmall.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Date: Tue, 24 Nov 2026 15:05:00 +0000\r\nMessage-ID: <dsn-1@mx.example.com>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n"
        f"<{rcpt}>: host mx.example.com said: 550 5.1.1 User unknown\r\n\r\n{report}"
        f"--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n{headers}\r\n\r\n--{boundary}--\r\n"
    ).encode("ascii")


def test_a_reply_to_a_subject_without_spaces_is_folded_and_delivered(config: Config, services: Services,
                                                                      session: Session, sink: tuple[Sink, int]) -> None:
    # 5,000 characters without a space once made every mail on the ticket fail with "500 Line too long":
    # the stored subject is capped and the reply's Subject folded into lines the server accepts.
    handler, port = sink
    config = smtp_to(config, port)
    raw = make_mail(message_id=CUSTOMER_ID, subject="Order" + "x" * 5000)
    [outcome] = Ingestor(config, services.store, services.clock).ingest_batch(session, [RawMail(raw, "t", NOW)],
                                                                              "support")
    ticket = session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
    assert ticket is not None
    operations.reply(session, config, ticket, None, "Refunded.", NOW)
    session.commit()
    assert deliver_due(services.sessions, config, NOW) == {"claimed": 1, "sent": 1, "retry": 0, "failed": 0}
    [mail] = handler.messages()
    assert mail["Subject"].startswith("Re: Orderxxx") and mail["Subject"].endswith(f"[#{ticket.reference}]")
    assert max(len(line) for line in (handler.received[0].original_content or b"").splitlines()) <= 78
