"""A delivery pass as an operator sees it: replies first, one connection, each mail's own sent time,
refusals that cannot pass marked failed at once, and one log line per outage."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult
from dovecot import free_port
from mailfactory import make_mail
from smtpsink import Sink, serving
from sqlalchemy import select

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor, RawMail
from inbox.sender import Sender, deliver_due
from services import Services
from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import Message, Outbox, Ticket

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)


class CountingSink(Sink):
    """A sink that counts SMTP sessions and moves the clock on a second for each mail it takes."""

    def __init__(self, clock: FrozenClock | None = None) -> None:
        super().__init__()
        self.sessions = 0
        self.clock = clock

    async def handle_EHLO(self, server: object, session: Any, envelope: object, hostname: str,
                          responses: list[str]) -> list[str]:
        self.sessions += 1
        session.host_name = hostname  # what aiosmtpd's own EHLO does when no hook takes it over
        return responses

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.clock is not None:
            self.clock.advance(dt.timedelta(seconds=1))
        return await super().handle_DATA(server, session, envelope)  # type: ignore[arg-type]


def smtp_to(config: Config, port: int, **fields: object) -> Config:
    settings = {"host": "127.0.0.1", "port": port, "tls": "none", **fields}
    return dataclasses.replace(config, smtp=SmtpConfig(**settings))  # type: ignore[arg-type]


def acknowledged_tickets(services: Services, config: Config, count: int) -> list[Ticket]:
    """`count` new tickets, each with its acknowledgement queued."""
    ingestor = Ingestor(config, services.store, services.clock, acknowledge=Acknowledger(config, services.calendar))
    mails = [RawMail(make_mail(sender=f"Customer {n} <c{n}@example.com>", message_id=f"<t{n}@example.com>"),
                     f"test#{n}", NOW) for n in range(count)]
    with services.sessions.begin() as session:
        references = [o.ticket for o in ingestor.ingest_batch(session, mails, "support")]
        return list(session.scalars(select(Ticket).where(Ticket.reference.in_(references)).order_by(Ticket.id)))


@pytest.fixture
def counting(frozen_clock: FrozenClock) -> Iterator[tuple[CountingSink, int]]:
    handler = CountingSink(frozen_clock)
    with serving(handler) as port:
        yield handler, port


def test_replies_go_before_a_backlog_of_acknowledgements(config: Config, services: Services,
                                                         counting: tuple[CountingSink, int]) -> None:
    # Five acknowledgements wait; an agent's reply queued after them is sent first, and the whole pass
    # (three batches of two) uses one SMTP connection.
    handler, port = counting
    config = smtp_to(config, port, batch_size=2)
    tickets = acknowledged_tickets(services, config, 5)
    with services.sessions.begin() as session:
        reply = operations.reply(session, config, session.merge(tickets[2]), None, "It left today.", NOW)
    assert deliver_due(services.sessions, config, NOW)["sent"] == 6
    assert [mail["Message-ID"] for mail in handler.messages()][0] == reply.message_id
    assert [mail["Auto-Submitted"] for mail in handler.messages()][1:] == ["auto-replied"] * 5
    assert handler.sessions == 1


def test_each_mail_records_when_it_was_sent(config: Config, services: Services, frozen_clock: FrozenClock,
                                            counting: tuple[CountingSink, int]) -> None:
    # sent_at is the moment each mail went out (the server took one a second here), not the pass's start.
    _, port = counting
    config = smtp_to(config, port)
    acknowledged_tickets(services, config, 3)
    Sender(services.sessions, config, frozen_clock).run_pass(NOW)
    with services.readonly() as session:
        sent = sorted(session.scalars(select(Outbox.sent_at)))
    assert sent == [NOW + dt.timedelta(seconds=n) for n in (1, 2, 3)]


def test_a_relay_without_starttls_fails_the_mail_at_once(config: Config, services: Services) -> None:
    # tls = "starttls" against a server that does not offer it is not retried 8 times: the mail is failed
    # on the first attempt, with the setting to change.
    with serving(Sink()) as port:
        config = smtp_to(config, port, tls="starttls")
        acknowledged_tickets(services, config, 1)
        assert deliver_due(services.sessions, config, NOW)["failed"] == 1
    with services.readonly() as session:
        row = session.scalars(select(Outbox)).one()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "does not offer STARTTLS" in row.last_error and '[smtp] tls = "ssl"' in row.last_error


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_fails_the_mail_at_once_and_names_the_settings(config: Config, services: Services,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A 535 to AUTH is permanent until someone fixes the password: failed now, with the keys to check.
    def refuse(*_: object) -> AuthResult:
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535 itself

    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    with serving(Sink(), authenticator=refuse, auth_required=True, auth_require_tls=False) as port:
        config = smtp_to(config, port, user="helpdesk", password_env="TEST_SMTP_PASSWORD")
        acknowledged_tickets(services, config, 1)
        assert deliver_due(services.sessions, config, NOW)["failed"] == 1
    with services.readonly() as session:
        error = session.scalars(select(Outbox.last_error)).one()
        delivery = session.scalars(select(Message.delivery).where(Message.auto.is_(True))).one()
    assert error.startswith("login as helpdesk") and "535" in error and "$TEST_SMTP_PASSWORD" in error
    assert delivery == "failed"


def test_an_unreachable_server_is_one_warning_per_outage(config: Config, services: Services,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    # Passes that find the server down log one WARNING, without a traceback; the repeats are INFO.
    config = smtp_to(config, free_port(), retry_base_seconds=1.0)
    acknowledged_tickets(services, config, 3)
    sender = Sender(services.sessions, config, services.clock)
    with caplog.at_level(logging.INFO, logger="inbox.sender"):
        for minute in range(3):
            assert sender.run_pass(NOW + dt.timedelta(minutes=minute))["retry"] == 3
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "connection to 127.0.0.1" in warnings[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
