"""Several outbox senders at once on PostgreSQL (DESIGN section 7): rows are claimed with
`SELECT ... FOR UPDATE SKIP LOCKED`, so every reply reaches the SMTP server exactly once."""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.smtp import Envelope
from mailfactory import make_mail
from smtpsink import serving
from sqlalchemy import select

from inbox.ingest import Ingestor, RawMail
from inbox.sender import deliver_due
from services import Services
from tickets import operations
from tickets.config import Config, SmtpConfig
from tickets.models import Outbox, Ticket

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
REPLIES = 60
SENDERS = 3

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


class SlowSink:
    """Accepts every mail after a short pause, so a delivery pass lasts long enough to overlap others."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        await asyncio.sleep(0.01)
        mail = message_from_bytes(envelope.original_content or b"", policy=default)  # type: ignore[arg-type]
        self.message_ids.append(str(mail["Message-ID"]))
        return "250 OK"


@pytest.fixture
def sink() -> Iterator[tuple[SlowSink, int]]:
    handler = SlowSink()
    with serving(handler) as port:
        yield handler, port


def queue_replies(services: Services, config: Config) -> list[str]:
    """REPLIES tickets, each answered by an agent: one outbox row per reply; their Message-IDs."""
    sessions = services.sessions
    mails = [RawMail(make_mail(sender=f"Customer {n} <c{n}@example.com>", message_id=f"<q{n}@example.com>"),
                     f"test#{n}", NOW) for n in range(REPLIES)]
    with sessions.begin() as session:
        Ingestor(config, services.store, services.clock).ingest_batch(session, mails, "support")
    with sessions.begin() as session:
        return [operations.reply(session, config, ticket, None, "Your parcel left our warehouse.", NOW).message_id
                for ticket in session.scalars(select(Ticket).order_by(Ticket.id))]


def test_three_senders_deliver_every_reply_once(config: Config, services: Services,
                                                sink: tuple[SlowSink, int]) -> None:
    # Three senders, each with its own connections, drain one outbox together in batches of 5: each reply
    # is sent once, the work is shared, and every row ends 'sent'.
    handler, port = sink
    config = dataclasses.replace(config, smtp=SmtpConfig(host="127.0.0.1", port=port, tls="none", batch_size=5))
    expected = queue_replies(services, config)
    start, sent = threading.Barrier(SENDERS), Counter[str]()

    def sender(name: str) -> None:
        own = Services.build(config, services.clock)
        start.wait()
        while (counts := deliver_due(own.sessions, config, NOW, worker=name))["claimed"]:
            sent[name] += counts["sent"]
        own.close()

    threads = [threading.Thread(target=sender, args=(f"sender-{n}",)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(handler.message_ids) == sorted(expected)
    assert sum(sent.values()) == REPLIES and len(sent) > 1
    with services.sessions() as session:
        assert set(session.scalars(select(Outbox.status).where(Outbox.kind == "reply"))) == {"sent"}
