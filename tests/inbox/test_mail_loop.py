"""Mail loops: helpdesks that answer each other over real SMTP and LMTP must stop after one acknowledgement."""
from __future__ import annotations

import dataclasses
import email
import shutil
import smtplib
from collections.abc import Callable, Iterator
from email.policy import default
from email.utils import make_msgid
from pathlib import Path

import pytest
from aiosmtpd.smtp import Envelope
from dovecot import free_port
from mailfactory import make_mail
from smtpsink import serving
from sqlalchemy import func, select

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor
from inbox.lmtp import LmtpController, start_lmtp
from inbox.sender import deliver_due
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config, DatabaseConfig, LmtpConfig, MailboxConfig, RoutingConfig, SmtpConfig, StorageConfig
from tickets.models import Direction, Message, Outbox

OURS = "support@aeropressmall.com"
OTHER = "help@coffee-b.example"
FORWARDER = "old-address@forward.example"


class Relay:
    """The MTA between the helpdesks: hands mail to the LMTP listener of the recipient's domain.

    `rewrite` lets a test play a broken forwarder that strips headers on the way.
    """

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, int]] = {}
        self.forwards: dict[str, tuple[str, Callable[[bytes], bytes]]] = {}
        self.relayed = 0

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        for rcpt in envelope.rcpt_tos:
            data = envelope.original_content or b""
            target = rcpt
            if rcpt in self.forwards:
                target, rewrite = self.forwards[rcpt]
                data = rewrite(data)
            host, port = self.routes[target.rpartition("@")[2]]
            with smtplib.LMTP(host, port, timeout=30) as lmtp:
                lmtp.sendmail(envelope.mail_from, [target], data)
            self.relayed += 1
        return "250 OK"


@pytest.fixture
def relay() -> Iterator[tuple[Relay, int]]:
    handler = Relay()
    with serving(handler) as port:
        yield handler, port


@dataclasses.dataclass
class Helpdesk:
    config: Config
    services: Services
    lmtp: LmtpController

    def deliver(self) -> int:
        return deliver_due(self.services.sessions, self.config, self.services.clock.now())["sent"]

    def count(self, model: type, *where: object) -> int:
        with self.services.readonly() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def helpdesk(services: Services, relay_port: int) -> Helpdesk:
    """A helpdesk on `services` that receives by LMTP, acknowledges new tickets and sends through the relay."""
    config = dataclasses.replace(services.config, lmtp=LmtpConfig(host="127.0.0.1", port=free_port()),
                                 smtp=SmtpConfig(host="127.0.0.1", port=relay_port, tls="none"))
    ingestor = Ingestor(config, services.store, services.clock, acknowledge=Acknowledger(config, services.calendar))
    return Helpdesk(config, services, start_lmtp(config, services.sessions, ingestor))


@pytest.fixture
def pair(services: Services, frozen_clock: FrozenClock, relay: tuple[Relay, int], tmp_path: Path,
         sqlite_template: Path, router_model: Path) -> Iterator[tuple[Helpdesk, Helpdesk]]:
    """Helpdesk A (aeropressmall.com, the test database) and B (coffee-b.example, its own SQLite)."""
    handler, port = relay
    shutil.copyfile(sqlite_template, tmp_path / "b.db")
    b_config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{tmp_path / 'b.db'}"),
                                   storage=StorageConfig(path=str(tmp_path / "b-files")),
                                   routing=RoutingConfig(model_path=str(router_model)),
                                   mailboxes={"support": MailboxConfig(address=OTHER, default_queue="order.tracking")})
    b_services = Services.build(b_config, frozen_clock)
    a, b = helpdesk(services, port), helpdesk(b_services, port)
    handler.routes = {"aeropressmall.com": (a.lmtp.hostname, a.lmtp.port),
                      "coffee-b.example": (b.lmtp.hostname, b.lmtp.port)}
    yield a, b
    for side in (a, b):
        side.lmtp.stop()
    b_services.close()


def exchange(*sides: Helpdesk, rounds: int = 5) -> None:
    """Let every helpdesk send what it has queued, a few times over, as the scheduler would."""
    for _ in range(rounds):
        for side in sides:
            side.deliver()


def acks(side: Helpdesk) -> int:
    return side.count(Outbox, Outbox.kind == "ack")


def test_two_helpdesks_stop_after_the_first_acknowledgement(pair: tuple[Helpdesk, Helpdesk],
                                                            relay: tuple[Relay, int]) -> None:
    # B writes to A; A acknowledges; B sees A's Auto-Submitted acknowledgement as auto mail and stays quiet.
    a, b = pair
    handler, port = relay
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(OTHER, [OURS], make_mail(sender=f"Coffee B <{OTHER}>", to=OURS, subject="Bulk order?"))
    exchange(a, b)
    assert (acks(a), acks(b)) == (1, 0)
    assert b.count(Message, Message.direction == Direction.INBOUND.value, Message.auto.is_(True)) == 1
    assert a.count(Message, Message.direction == Direction.INBOUND.value) == 1
    assert handler.relayed == 2


def remail(data: bytes) -> bytes:
    """A broken remailer: resends with its own Message-ID and drops Auto-Submitted, but keeps our X-Loop."""
    message = email.message_from_bytes(data, policy=default)
    del message["Auto-Submitted"]
    del message["Message-ID"]
    message["Message-ID"] = make_msgid(domain="forward.example")
    return message.as_bytes(policy=default.clone(linesep="\r\n"))


def test_our_mail_forwarded_back_is_stopped_by_x_loop(pair: tuple[Helpdesk, Helpdesk],
                                                      relay: tuple[Relay, int]) -> None:
    # A customer's old address remails everything back to us, minus Auto-Submitted: our X-Loop still stops it.
    a, _ = pair
    handler, port = relay
    handler.forwards[FORWARDER] = (OURS, remail)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(FORWARDER, [OURS], make_mail(sender=FORWARDER, to=OURS, subject="Where is my parcel?"))
    exchange(a)
    assert acks(a) == 1
    with a.services.readonly() as session:
        returned = session.scalars(select(Message).where(Message.direction == Direction.INBOUND.value,
                                                         Message.auto.is_(True))).one()
    assert "X-Loop" in returned.auto_reason and returned.subject.startswith("Re: Where is my parcel?")
