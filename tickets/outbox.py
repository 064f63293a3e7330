"""Outgoing mail, queued in the caller's transaction (a transactional outbox).

An agent's reply, an acknowledgement or a notification is composed here into RFC 5322 bytes and
written as an outbox row in the same transaction as its message record, so a reply is never sent
without being stored, nor stored without being sent. The sender (`inbox.sender`) delivers rows.

Header injection is impossible: every header value taken from mail (subjects, names) is folded
onto one line before it reaches `email.message.EmailMessage`, which refuses CR and LF anyway.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlalchemy.orm import Session

from tickets.config import Config
from tickets.models import Direction, Message, Outbox, Ticket

AUTO_KINDS = frozenset({"ack", "notification", "digest"})
_SPACES = re.compile(r"\s+")
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|fw|fwd|wg|tr|rv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def one_line(value: str) -> str:
    """Fold any whitespace run (CR and LF included) into one space: no header can be injected."""
    return _SPACES.sub(" ", value or "").strip()


def reply_subject(subject: str, reference: str) -> str:
    """`Re: <original subject> [#HD-n]`: one Re:, the tag once."""
    base = _REPLY_PREFIX.sub("", one_line(subject)).replace(f"[#{reference}]", "").strip()
    return f"Re: {base} [#{reference}]".replace("  ", " ")


def text_to_html(text: str) -> str:
    """The HTML twin of a plain-text body: escaped paragraphs, nothing remote."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in paragraphs)
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif">\n{body}</body></html>\n'


@dataclass(frozen=True)
class Outgoing:
    """A mail to queue: who, what, and how it threads."""

    kind: str
    mail_from: str
    to: str
    subject: str
    text: str
    to_name: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def compose(out: Outgoing, now: dt.datetime, loop_address: str) -> tuple[str, bytes]:
    """The Message-ID and RFC 5322 bytes (text and HTML parts) of one outgoing mail."""
    msg = EmailMessage()
    msg["From"] = HeaderAddress(addr_spec=out.mail_from)
    msg["To"] = HeaderAddress(display_name=one_line(out.to_name), addr_spec=out.to)
    msg["Subject"] = one_line(out.subject)
    msg["Date"] = format_datetime(now)
    message_id = make_msgid(domain=_domain(out.mail_from))
    msg["Message-ID"] = message_id
    if out.in_reply_to:
        msg["In-Reply-To"] = out.in_reply_to
    if out.references:
        msg["References"] = " ".join(out.references[-20:])
    if out.kind in AUTO_KINDS:
        msg["Auto-Submitted"] = "auto-replied" if out.kind == "ack" else "auto-generated"
    msg["X-Loop"] = loop_address
    msg.set_content(out.text)
    msg.add_alternative(text_to_html(out.text), subtype="html")
    return message_id, msg.as_bytes(policy=SMTP)


def queue_mail(session: Session, config: Config, out: Outgoing, now: dt.datetime, ticket: Ticket | None = None,
               author_id: int | None = None, on_thread: bool = True) -> Outbox:
    """Compose `out` and queue it; on a ticket's thread it is also stored as an outbound message."""
    mailbox = config.mailboxes.get(ticket.mailbox) if ticket else None
    message_id, raw = compose(out, now, mailbox.address if mailbox else out.mail_from)
    stored = None
    if ticket is not None and on_thread:
        stored = Message(ticket_id=ticket.id, direction=Direction.OUTBOUND.value, message_id=message_id,
                         in_reply_to=out.in_reply_to, references=" ".join(out.references), mailbox=ticket.mailbox,
                         sender=out.mail_from, recipients={"to": [out.to]}, subject=one_line(out.subject),
                         text=out.text, new_text=out.text, auto=out.kind in AUTO_KINDS, author_id=author_id,
                         delivery="queued", received_at=now, created_at=now)
        session.add(stored)
        session.flush()
    row = Outbox(message_id=stored.id if stored else None, ticket_id=ticket.id if ticket else None, kind=out.kind,
                 mail_from=out.mail_from, rcpt=out.to.lower(), raw=raw, next_attempt_at=now, created_at=now)
    session.add(row)
    return row


def queue_notification(session: Session, config: Config, to: str, subject: str, body: str,
                       ticket: Ticket | None, now: dt.datetime) -> Outbox:
    """A mail to staff (an SLA warning, a digest): auto-generated, kept off the customer's thread."""
    mailbox = config.mailboxes.get(ticket.mailbox) if ticket else None
    sender = mailbox.address if mailbox else min(config.our_addresses(), default="helpdesk@localhost")
    out = Outgoing(kind="notification", mail_from=sender, to=to, subject=subject, text=body)
    return queue_mail(session, config, out, now, ticket=ticket, on_thread=False)
