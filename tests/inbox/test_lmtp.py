"""The LMTP listener, by its wire transcript (smtplib.LMTP as the MTA)."""
from __future__ import annotations

import dataclasses
import smtplib
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from dovecot import free_port
from inbox.ingest import Ingestor
from inbox.lmtp import LmtpController, start_lmtp
from mailfactory import make_mail
from tickets.config import Config, DatabaseConfig, LmtpConfig, StorageConfig
from tickets.db import make_engine, session_factory
from tickets.models import Direction, Message, Quarantine

SENDER = "emily@example.com"
SUPPORT = "support@aeropressmall.com"
PRESS = "press@aeropressmall.com"


def listen(config: Config, engine: Engine, max_bytes: int = 1_000_000,
           sessions: sessionmaker[Session] | None = None) -> LmtpController:
    config = dataclasses.replace(config, lmtp=LmtpConfig(host="127.0.0.1", port=free_port(),
                                                         max_message_bytes=max_bytes))
    return start_lmtp(config, sessions or session_factory(engine), Ingestor(config))


@pytest.fixture
def lmtp(config: Config, engine: Engine) -> Iterator[smtplib.LMTP]:
    """An LMTP client connected to a listener storing into the test database; LHLO done."""
    controller = listen(config, engine)
    client = smtplib.LMTP(controller.hostname, controller.port, timeout=30)
    client.ehlo("mta.example.com")
    yield client
    client.close()
    controller.stop()


def inbound(engine: Engine) -> list[tuple[str, str]]:
    with session_factory(engine, readonly=True)() as session:
        return [tuple(row) for row in session.execute(select(Message.message_id, Message.mailbox)
                                                      .where(Message.direction == Direction.INBOUND.value))]


def deliver(client: smtplib.LMTP, rcpts: list[str], raw: bytes, mail_from: str = SENDER) -> list[tuple[int, bytes]]:
    """MAIL, RCPT..., DATA; the answers after DATA, one per accepted recipient (RFC 2033)."""
    assert client.mail(mail_from)[0] == 250
    accepted = [r for r in rcpts if client.rcpt(r)[0] == 250]
    assert client.putcmd("data") is None and client.getreply()[0] == 354
    client.send(smtplib.quotedata(raw.decode("ascii")).encode("ascii") + b"\r\n.\r\n")
    return [client.getreply() for _ in accepted]


def test_250_comes_after_the_commit(lmtp: smtplib.LMTP, engine: Engine) -> None:
    # When the MTA reads 250 the message is already in the database (a crash now loses nothing).
    answers = deliver(lmtp, [SUPPORT], make_mail(message_id="<lmtp1@example.com>"))
    assert [code for code, _ in answers] == [250]
    assert inbound(engine) == [("<lmtp1@example.com>", "support")]


def test_a_failed_commit_is_answered_451(config: Config, engine: Engine) -> None:
    # The answer waits for the commit: when the commit itself fails the MTA hears 451, never 250.
    sessions = session_factory(engine)

    def refuse(session: Session) -> None:
        raise OSError("disk full")

    event.listen(sessions, "before_commit", refuse)
    controller = listen(config, engine, sessions=sessions)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as client:
            client.ehlo("mta.example.com")
            answers = deliver(client, [SUPPORT], make_mail(message_id="<uncommitted@example.com>"))
    finally:
        controller.stop()
    assert [code for code, _ in answers] == [451]
    assert inbound(engine) == []


def test_each_recipient_gets_its_answer_and_the_message_is_stored_once(lmtp: smtplib.LMTP, engine: Engine) -> None:
    # Two of our mailboxes in one transaction: one 250 each; the same Message-ID is stored once.
    answers = deliver(lmtp, [SUPPORT, PRESS], make_mail(message_id="<twice@example.com>", to=f"{SUPPORT}, {PRESS}"))
    assert [code for code, _ in answers] == [250, 250]
    assert b"support@aeropressmall.com" in answers[0][1] and b"press@aeropressmall.com" in answers[1][1]
    assert [message_id for message_id, _ in inbound(engine)] == ["<twice@example.com>"]


def test_unknown_recipient_is_refused_at_rcpt(lmtp: smtplib.LMTP, engine: Engine) -> None:
    # A recipient that is none of our mailboxes gets 550 at RCPT; the known one still gets its mail.
    assert lmtp.mail(SENDER)[0] == 250
    code, text = lmtp.rcpt("nobody@aeropressmall.com")
    assert code == 550 and b"no such mailbox" in text
    assert lmtp.rcpt(SUPPORT)[0] == 250
    assert lmtp.data(make_mail(message_id="<known@example.com>"))[0] == 250
    assert inbound(engine) == [("<known@example.com>", "support")]


def test_over_the_size_limit_is_552(config: Config, engine: Engine) -> None:
    # Over max_message_bytes is 552: at MAIL when announced (SIZE=), else after DATA once per recipient.
    controller = listen(config, engine, max_bytes=2_000)
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
    assert inbound(engine) == []


def test_database_down_is_451_so_the_mta_retries(tmp_path: Path) -> None:
    # With the database unreachable the message is not lost: each recipient gets 451 and the MTA keeps it.
    url = f"postgresql+psycopg://helpdesk@127.0.0.1:{free_port()}/helpdesk"
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=url),
                                 storage=StorageConfig(path=str(tmp_path / "files")))
    engine = make_engine(url)
    controller = listen(config, engine)
    try:
        with smtplib.LMTP(controller.hostname, controller.port, timeout=30) as client:
            client.ehlo("mta.example.com")
            answers = deliver(client, [SUPPORT, PRESS], make_mail(message_id="<later@example.com>"))
    finally:
        controller.stop()
        engine.dispose()
    assert [code for code, _ in answers] == [451, 451]
    assert all(text.startswith(b"4.3.0") for _, text in answers)


def test_unparseable_mail_is_quarantined_and_accepted(lmtp: smtplib.LMTP, engine: Engine) -> None:
    # Mail that cannot be parsed is kept in quarantine and answered 250: kept, and not retried forever.
    answers = deliver(lmtp, [SUPPORT], b"")
    assert [code for code, _ in answers] == [250]
    with session_factory(engine, readonly=True)() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 1
    assert inbound(engine) == []


def test_the_null_envelope_sender_makes_a_mail_automatic_and_is_recorded(lmtp: smtplib.LMTP, engine: Engine) -> None:
    # MAIL FROM:<> is how MTAs send bounces and auto-replies: stored as auto mail, its Return-Path kept.
    raw = make_mail(sender="Delivery System <system@mx.example.com>", subject="Undelivered Mail",
                    message_id="<null-1@example.com>")
    assert deliver(lmtp, [SUPPORT], raw, mail_from="")[0][0] == 250
    ordinary = make_mail(message_id="<null-2@example.com>")
    assert deliver(lmtp, [SUPPORT], ordinary)[0][0] == 250
    with session_factory(engine, readonly=True)() as session:
        rows = {m.message_id: m for m in session.scalars(select(Message).where(Message.direction == "inbound"))}
        null, human = rows["<null-1@example.com>"], rows["<null-2@example.com>"]
        assert (null.auto, null.auto_reason) == (True, "MAIL FROM:<> (null envelope sender)")
        assert ["Return-Path", "<>"] in null.headers
        assert not human.auto and ["Return-Path", f"<{SENDER}>"] in human.headers
