"""Console test data, made the way the product makes it: through tickets.operations and the models.

Used by the web tests and by benchmarks/screenshots.py; the ingestion pipeline is not needed. Files
are sealed with the keyring of the session's engine, as the app reads them.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tickets import crypto, operations
from tickets.config import PASSWORD_HASH_MIN_ITERATIONS, PASSWORD_HASH_MIN_MEMORY_KIB, Config
from tickets.decision import Decision
from tickets.intake import Intake
from tickets.mail import Address, Attachment, ParsedMessage
from tickets.models import SlaClock, Ticket, User
from tickets.passwords import Passwords
from tickets.storage import FileStore

PASSWORD = "correct horse battery staple"
T0 = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
_ids = itertools.count(1)


@dataclass
class Staff:
    admin: User
    manager: User
    agent: User      # works order.tracking and returns
    outsider: User   # an agent who works wholesale only


@dataclass
class Desk:
    tracking: Ticket   # order.tracking: HTML mail with a PDF attachment, order AP-123456
    returns: Ticket    # returns: the same customer's return request


def parsed(subject: str, body: str, sender: str = "emily@example.com", name: str = "Emily Carter", html: str = "",
           received: dt.datetime = T0, message_id: str | None = None, in_reply_to: Sequence[str] = (),
           attachments: Sequence[Attachment] = (), to: str = "support@aeropressmall.com") -> ParsedMessage:
    """A customer's mail as the parser would hand it over."""
    return ParsedMessage(
        message_id=message_id or f"<seed-{next(_ids)}-{received.timestamp():.0f}@example.com>", subject=subject,
        sender=Address(sender, name), to=(Address(to),), cc=(), reply_to=(), date=received, received=received,
        in_reply_to=tuple(in_reply_to), references=tuple(in_reply_to), text=body, new_text=body, quoted_text="",
        signature="", html=html, attachments=tuple(attachments), headers=(("Subject", subject),), auto=False,
        auto_reason="")


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    """Argon2 is slow on purpose: hash the shared test password once per process, at the tests'
    config's cost (a sign-in at another would rehash it)."""
    return Passwords(PASSWORD_HASH_MIN_MEMORY_KIB, PASSWORD_HASH_MIN_ITERATIONS).hash(PASSWORD)


def user(session: Session, email: str, role: str = "agent", queues: Sequence[str] = (), name: str = "") -> User:
    """A staff account whose password is PASSWORD."""
    account = User(email=email, name=name or email.split("@")[0], role=role, queues=",".join(queues),
                   password_hash=_password_hash(), created_at=T0)
    session.add(account)
    session.flush()
    return account


def _store(session: Session, config: Config) -> FileStore:
    """The file store as the app reads it: sealed with the keyring attached to the session's engine."""
    return FileStore(config.storage.path, crypto.keyring_of(session.get_bind().dialect))


def ticket(session: Session, config: Config, mail: ParsedMessage, queue: str = "order.tracking",
           mailbox: str = "support", order_numbers: Sequence[str] = (), reasons: Sequence[str] = ()) -> Ticket:
    """A new ticket holding `mail`, routed to `queue`."""
    routed = Decision(queue, order_numbers=tuple(order_numbers),
                      reasons=tuple(reasons) or (f"mailbox {mailbox} default",))
    intake = Intake.start(session)
    opened = operations.open_ticket(intake, config, mail, mailbox, routed, mail.received)
    operations.add_inbound(intake, config, _store(session, config), opened, mail, mailbox, "", mail.received)
    session.flush()
    return opened


def follow_up(session: Session, config: Config, on: Ticket, mail: ParsedMessage) -> None:
    """Another customer message on an existing ticket."""
    operations.add_inbound(Intake.start(session), config, _store(session, config), on, mail, on.mailbox, "",
                           mail.received)
    session.flush()


def clock(session: Session, on: Ticket, kind: str, state: str, started: dt.datetime, due: dt.datetime) -> SlaClock:
    """A running SLA clock, as the SLA engine would keep it, and the ticket's next deadline and warning."""
    row = SlaClock(ticket_id=on.id, kind=kind, target_working_days=2, started_at=started, due_at=due,
                   warn_at=started + (due - started) * 0.75, state=state, running=True)
    session.add(row)
    on.next_deadline = min(filter(None, [on.next_deadline, due]))
    on.next_warn = min(filter(None, [on.next_warn, row.warn_at]))
    session.flush()
    return row
