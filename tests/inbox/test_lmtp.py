"""The LMTP listener, by its wire transcript (smtplib.LMTP as the MTA)."""
from __future__ import annotations

import dataclasses
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest
from dovecot import free_port
from mailfactory import make_mail
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from inbox.ingest import Ingestor
from inbox.lmtp import LmtpController, start_lmtp
from services import Services
from tickets.clock import Clock, FrozenClock
from tickets.config import Config, DatabaseConfig, LmtpConfig, StorageConfig
from tickets.db import make_engine, session_factory
from tickets.models import Direction, Message, Quarantine
from tickets.storage import FileStore

SENDER = "emily@example.com"
SUPPORT = "support@aeropressmall.com"
PRESS = "press@aeropressmall.com"


def listen(config: Config, sessions: sessionmaker[Session], store: FileStore, clock: Clock,
           max_bytes: int = 1_000_000) -> LmtpController:
    config = dataclasses.replace(config, lmtp=LmtpConfig(host="127.0.0.1", port=free_port(),
                                                         max_message_bytes=max_bytes))
    return start_lmtp(config, sessions, Ingestor(config, store, clock))


def listen_for(services: Services, max_bytes: int = 1_000_000) -> LmtpController:
    """A listener storing into the test database through the services' sessions."""
    return listen(services.config, services.sessions, services.store, services.clock, max_bytes)


@pytest.fixture
def lmtp(services: Services) -> Iterator[smtplib.LMTP]:
    """An LMTP client connected to a listener storing into the test database; LHLO done."""
    controller = listen_for(services)
    client = smtplib.LMTP(controller.hostname, controller.port, timeout=30)
    client.ehlo("mta.example.com")
    yield client
    client.close()
    controller.stop()


def inbound(services: Services) -> list[tuple[str, str]]:
    with services.readonly() as session:
        return [tuple(row) for row in session.execute(select(Message.message_id, Message.mailbox)
                                                      .where(Message.direction == Direction.INBOUND.value))]


def deliver(client: smtplib.LMTP, rcpts: list[str], raw: bytes, mail_from: str = SENDER) -> list[tuple[int, bytes]]:
    """MAIL, RCPT..., DATA; the answers after DATA, one per accepted recipient (RFC 2033)."""
    assert client.mail(mail_from)[0] == 250
    accepted = [r for r in rcpts if client.rcpt(r)[0] == 250]
    assert client.putcmd("data") is None and client.getreply()[0] == 354
    client.send(smtplib.quotedata(raw.decode("ascii")).encode("ascii") + b"\r\n.\r\n")
    return [client.getreply() for _ in accepted]


def test_250_comes_after_the_commit(lmtp: smtplib.LMTP, services: Services) -> None:
    # When the MTA reads 250 the message is already in the database (a crash now loses nothing).
    answers = deliver(lmtp, [SUPPORT], make_mail(message_id="<lmtp1@example.com>"))
    assert [code for code, _ in answers] == [250]
    assert inbound(services) == [("<lmtp1@example.com>", "support")]


def test_a_failed_commit_is_answered_451(services: Services) -> None:
    # The answer waits for the commit: when the commit itself fails the MTA hears 451, never 250.
    def refuse(session: Session) -> None:
        raise OSError("disk full")

    event.listen(services.sessions, "before_commit", refuse)
    controller = listen_for(services)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as client:
            client.ehlo("mta.example.com")
            answers = deliver(client, [SUPPORT], make_mail(message_id="<uncommitted@example.com>"))
    finally:
        controller.stop()
    assert [code for code, _ in answers] == [451]
    assert inbound(services) == []


def test_each_recipient_gets_its_answer_and_the_message_is_stored_once(lmtp: smtplib.LMTP,
                                                                       services: Services) -> None:
    # Two of our mailboxes in one transaction: one 250 each; the same Message-ID is stored once.
    answers = deliver(lmtp, [SUPPORT, PRESS], make_mail(message_id="<twice@example.com>", to=f"{SUPPORT}, {PRESS}"))
    assert [code for code, _ in answers] == [250, 250]
    assert b"support@aeropressmall.com" in answers[0][1] and b"press@aeropressmall.com" in answers[1][1]
    assert [message_id for message_id, _ in inbound(services)] == ["<twice@example.com>"]


def test_unknown_recipient_is_refused_at_rcpt(lmtp: smtplib.LMTP, services: Services) -> None:
    # A recipient that is none of our mailboxes gets 550 at RCPT; the known one still gets its mail.
    assert lmtp.mail(SENDER)[0] == 250
    code, text = lmtp.rcpt("nobody@aeropressmall.com")
    assert code == 550 and b"no such mailbox" in text
    assert lmtp.rcpt(SUPPORT)[0] == 250
    assert lmtp.data(make_mail(message_id="<known@example.com>"))[0] == 250
    assert inbound(services) == [("<known@example.com>", "support")]


def test_over_the_size_limit_is_552(services: Services) -> None:
    # Over max_message_bytes is 552: at MAIL when announced (SIZE=), else after DATA once per recipient.
    controller = listen_for(services, max_bytes=2_000)
    big = make_mail(message_id="<big@example.com>", body="x" * 70 + "\n" * 100 + "y" * 3_000)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as client:
            client.ehlo("mta.example.com")
            assert client.mail(SENDER, [f"SIZE={len(big)}"])[0] == 552
            client.rset()
            answers = deliver(client, [SUPPORT, PRESS], big)
    finally:
        controller.stop()
    assert [code for code, _ in answers] == [552, 552]
    assert inbound(services) == []


def test_database_down_is_451_so_the_mta_retries(tmp_path: Path, frozen_clock: FrozenClock) -> None:
    # With the database unreachable the message is not lost: each recipient gets 451 and the MTA keeps it.
    # (Services cannot be built on a database that does not answer: this is the listener of a process
    # whose database went away after it started.)
    url = f"postgresql+psycopg://helpdesk@127.0.0.1:{free_port()}/helpdesk"
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=url),
                                 storage=StorageConfig(path=str(tmp_path / "files")))
    engine = make_engine(url)
    controller = listen(config, session_factory(engine), FileStore(config.storage.path), frozen_clock)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as client:
            client.ehlo("mta.example.com")
            answers = deliver(client, [SUPPORT, PRESS], make_mail(message_id="<later@example.com>"))
    finally:
        controller.stop()
        engine.dispose()
    assert [code for code, _ in answers] == [451, 451]
    assert all(text.startswith(b"4.3.0") for _, text in answers)


def test_unparseable_mail_is_quarantined_and_accepted(lmtp: smtplib.LMTP, services: Services) -> None:
    # Mail that cannot be parsed is kept in quarantine and answered 250: kept, and not retried forever.
    answers = deliver(lmtp, [SUPPORT], b"")
    assert [code for code, _ in answers] == [250]
    with services.readonly() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 1
    assert inbound(services) == []


def test_the_null_envelope_sender_makes_a_mail_automatic_and_is_recorded(lmtp: smtplib.LMTP,
                                                                         services: Services) -> None:
    # MAIL FROM:<> is how MTAs send bounces and auto-replies: stored as auto mail, its Return-Path kept.
    raw = make_mail(sender="Delivery System <system@mx.example.com>", subject="Undelivered Mail",
                    message_id="<null-1@example.com>")
    assert deliver(lmtp, [SUPPORT], raw, mail_from="")[0][0] == 250
    ordinary = make_mail(message_id="<null-2@example.com>")
    assert deliver(lmtp, [SUPPORT], ordinary)[0][0] == 250
    with services.readonly() as session:
        rows = {m.message_id: m for m in session.scalars(select(Message).where(Message.direction == "inbound"))}
        null, human = rows["<null-1@example.com>"], rows["<null-2@example.com>"]
        assert (null.auto, null.auto_reason) == (True, "MAIL FROM:<> (null envelope sender)")
        assert ["Return-Path", "<>"] in null.headers
        assert not human.auto and ["Return-Path", f"<{SENDER}>"] in human.headers
