"""Outgoing mail, queued in the caller's transaction (a transactional outbox).

An agent's reply, an acknowledgement or a notification is composed here into RFC 5322 bytes and
written as an outbox row in the same transaction as its message record, so a reply is never sent
without being stored, nor stored without being sent. The sender (`inbox.sender`) delivers rows.

Header injection is impossible: every header value taken from mail (subjects, names, ids) is
folded onto one line before it is set, so no CR or LF can start a header of its own.

Addresses are Unicode as customers write them (RFC 6531/6532). An IDN domain is written in its
ASCII (punycode) form, which every server accepts; only a local part that is not ASCII goes into
the header as UTF-8, which needs a server offering SMTPUTF8 (`inbox.sender` decides at delivery).
"""
from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from dataclasses import dataclass
from email import charset as charsets
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from typing import Any

import idna
from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.config import Config
from tickets.mail import stored_subject
from tickets.models import Direction, Message, Outbox, Ticket

_PLAIN = re.compile(r"[\t\x20-\x7e]*")  # printable ASCII: nothing the folder would split or encode


class _SmtpCompat(Compat32):
    """compat32 with CRLF line endings (as SMTP wants them) that writes a short plain-ASCII header as
    it is: it needs no folding, and compat32's folder spends about 20 µs on each of a mail's 17. An
    address header holding a UTF-8 local part is written as UTF-8 (RFC 6532), which compat32 cannot."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        limit = self.max_line_length or 0  # None (no limit) leaves every header to compat32's folder
        if isinstance(value, str) and len(name) + 2 + len(value) <= limit and _PLAIN.fullmatch(value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        if isinstance(value, str) and name in _ADDRESS_HEADERS and not value.isascii():
            return f"{name}: {value}{self.linesep}".encode()
        return super().fold_binary(name, value)


_ADDRESS_HEADERS = frozenset({"To", "From", "Cc"})
SMTP_COMPAT = _SmtpCompat(linesep="\r\n")
AUTO_KINDS = frozenset({"ack", "notification", "digest"})
ERASURE_KIND = "erasure"  # an erasure's confirmation to the customer: emptied once delivered
_SPACES = re.compile(r"\s+")
_UNFOLDABLE = re.compile(r"\S{70}")  # a word that cannot fit a 78-character line after its header name
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|fw|fwd|wg|tr|rv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def one_line(value: str) -> str:
    """Fold any whitespace run (CR and LF included) into one space: no header can be injected."""
    return _SPACES.sub(" ", value or "").strip()


def reply_subject(subject: str, reference: str) -> str:
    """`Re: <original subject> [#HD-n]`: one Re:, and only this ticket's tag, once.

    A stranger who writes with another ticket's tag gets a new ticket (docs/architecture.md); were
    that foreign tag kept, their follow-ups would carry it and fragment into yet more tickets. The
    subject is capped as a stored one is: a 10 MB subject would be folded into 10 MB of header.
    """
    prefix = reference.rpartition("-")[0]
    tags = re.compile(r"\[#\s*" + re.escape(prefix) + r"-\d+\s*\]", re.IGNORECASE) if prefix else None
    base = _REPLY_PREFIX.sub("", one_line(stored_subject(subject)))
    base = tags.sub("", base) if tags else base.replace(f"[#{reference}]", "")
    return f"Re: {one_line(base)} [#{reference}]".replace("Re:  [", "Re: [")


def thread_headers(session: Session, ticket: Ticket) -> tuple[str, tuple[str, ...]]:
    """In-Reply-To and References for our next mail on a ticket (RFC 5322 section 3.6.4).

    In-Reply-To names the customer's newest message, never our own acknowledgement or an earlier
    reply, so the customer's client shows our answer under what they wrote. References lists the
    whole thread in order: what the customer's first message referenced, then every message of
    the ticket, in and out.
    """
    rows = session.execute(select(Message.message_id, Message.references, Message.direction)
                           .where(Message.ticket_id == ticket.id, Message.direction != Direction.NOTE.value)
                           .order_by(Message.received_at, Message.id)).all()
    newest_inbound = next((row.message_id for row in reversed(rows) if row.direction == Direction.INBOUND.value), "")
    earlier = rows[0].references.split() if rows else []
    thread = dict.fromkeys([*earlier, *(row.message_id for row in rows)])
    thread.pop(newest_inbound, None)
    return newest_inbound, tuple(i for i in (*thread, newest_inbound) if i)


def text_to_html(text: str) -> str:
    """The HTML twin of a plain-text body: escaped paragraphs, nothing remote."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in paragraphs)
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif">\n{body}</body></html>\n'


@dataclass(frozen=True)
class OutgoingFile:
    """A file attached to an outgoing mail, as the agent uploaded it."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Outgoing:
    """A mail to queue: who (Bcc only on the envelope), what, and how it threads."""

    kind: str
    mail_from: str
    to: str
    subject: str
    text: str
    to_name: str = ""
    from_name: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    files: tuple[OutgoingFile, ...] = ()


# Quoted-printable keeps mostly-ASCII text near its own size; base64 costs a third more whatever the
# text, so it wins only when over a sixth of the bytes are not ASCII (each costs three in QP).
_QP = charsets.Charset("utf-8")
_QP.body_encoding = charsets.QP
_BASE64 = charsets.Charset("utf-8")
_ASCII = bytes(range(0x80))
# A reply longer than this goes as plain text alone: its HTML twin would double the mail for nothing.
HTML_TWIN_MAX_CHARS = 100_000


def text_part(text: str, subtype: str) -> MIMEText:
    """A UTF-8 text part in the transfer encoding that inflates it least (RFC 2045 section 6)."""
    data = text.encode("utf-8")
    foreign = len(data.translate(None, _ASCII))
    # MIMEText takes a Charset as well as a name (email.mime docs); the stubs type it as str only.
    return MIMEText(text, subtype, _QP if foreign * 6 < len(data) else _BASE64)  # type: ignore[arg-type]


def file_part(item: OutgoingFile) -> MIMEApplication:
    """An attachment as a base64 MIME part, its name folded onto one line."""
    maintype, _, subtype = item.content_type.partition("/")
    part = MIMEApplication(item.data, subtype or "octet-stream")
    if maintype != "application":
        part.replace_header("Content-Type", item.content_type if subtype else "application/octet-stream")
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", one_line(item.filename) or "file"))
    return part


_ID_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def new_message_id(mail_from: str) -> str:
    """A Message-ID of letters only: a customer's reply names it in In-Reply-To, and card masking
    (which reads any long digit run as a possible card) must leave it as we stored it."""
    local = "".join(secrets.choice(_ID_LETTERS) for _ in range(26))
    return f"<{local}@{_domain(mail_from)}>"


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def ascii_domain(address: str) -> str:
    """The address with its domain in ASCII (IDNA 2008 A-labels, RFC 5891), as every SMTP server
    takes it; unchanged when the domain is ASCII already or no valid IDN."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address


def address_header(name: str, address: str) -> str:
    """`Name <address>` for a To or From header: the name as RFC 2047 encoded words when it is not
    ASCII, the domain as punycode, a Unicode local part as UTF-8 (RFC 6532)."""
    address = ascii_domain(one_line(address))
    name = one_line(name)
    if address.isascii():
        return formataddr((name, address), charset="utf-8")
    if not name:
        return address
    shown = formataddr((name, "x@x"), charset="utf-8").rpartition(" <")[0]
    return f"{shown} <{address}>"


def _encoded(value: str, name: str) -> str | Header:
    """A header value: plain ASCII as is, anything else as RFC 2047 encoded words, folded to fit
    78 characters a line with the header's name in front. So is ASCII with a word too long to fold
    at a space: 5,000 characters without one would make a line the SMTP server refuses."""
    if value.isascii() and not _UNFOLDABLE.search(value):
        return value
    return Header(value, "utf-8", header_name=name)


def compose(out: Outgoing, now: dt.datetime, loop_address: str) -> tuple[str, bytes]:
    """The Message-ID and RFC 5322 bytes (text and HTML parts) of one outgoing mail.

    Built with the `email.mime` classes under the compat32 policy: four times faster than
    `EmailMessage`, which matters because every new ticket composes an acknowledgement inside
    the ingestion transaction.
    """
    # Our own boundary: the parts are base64 or quoted-printable, which never hold "=_", so the generator need not
    # compile a regular expression per mail to prove that a random boundary is absent from them.
    body: MIMEText | MIMEMultipart = text_part(out.text, "plain")
    if len(out.text) <= HTML_TWIN_MAX_CHARS:
        body = MIMEMultipart("alternative", boundary=f"=_{secrets.token_hex(16)}")
        body.attach(text_part(out.text, "plain"))
        body.attach(text_part(text_to_html(out.text), "html"))
    msg = body
    if out.files:
        msg = MIMEMultipart("mixed", boundary=f"=_{secrets.token_hex(16)}")
        msg.attach(body)
        for item in out.files:
            msg.attach(file_part(item))
    msg["From"] = address_header(out.from_name, out.mail_from)
    msg["To"] = address_header(out.to_name, out.to)
    if out.cc:
        msg["Cc"] = ", ".join(address_header("", address) for address in out.cc)
    # compat32 takes a Header as a value (email.header docs); the stubs type MIMEMultipart's as str only.
    msg["Subject"] = _encoded(one_line(out.subject), "Subject")  # type: ignore[assignment]
    msg["Date"] = format_datetime(now)
    message_id = new_message_id(out.mail_from)
    msg["Message-ID"] = message_id
    if out.in_reply_to:
        msg["In-Reply-To"] = one_line(out.in_reply_to)
    if out.references:  # a long thread keeps its first message and the newest ones (RFC 5322 3.6.4)
        kept = out.references if len(out.references) <= 20 else (out.references[0], *out.references[-19:])
        msg["References"] = one_line(" ".join(kept))
    if out.kind in AUTO_KINDS:
        msg["Auto-Submitted"] = "auto-replied" if out.kind == "ack" else "auto-generated"
    msg["X-Loop"] = loop_address
    return message_id, msg.as_bytes(policy=SMTP_COMPAT)


def queue_mail(session: Session, config: Config, out: Outgoing, now: dt.datetime, ticket: Ticket | None = None,
               author_id: int | None = None, on_thread: bool = True, hold_seconds: int = 0) -> Outbox:
    """Compose `out` and queue it; on a ticket's thread it is also stored as an outbound message.

    A held mail (an agent's reply in its undo window) is not due before `hold_seconds` have passed."""
    mailbox = config.mailboxes.get(ticket.mailbox) if ticket else None
    message_id, raw = compose(out, now, mailbox.address if mailbox else out.mail_from)
    stored = None
    if ticket is not None and on_thread:  # every column set, as on inbound mail: one INSERT writes them all
        stored = Message(ticket_id=ticket.id, direction=Direction.OUTBOUND.value, message_id=message_id,
                         in_reply_to=out.in_reply_to, references=" ".join(out.references), mailbox=ticket.mailbox,
                         sender=out.mail_from, sender_name="", recipients=_recipients(out),
                         subject=one_line(out.subject), text=out.text, new_text=out.text, quoted_text="", signature="",
                         html="", headers=[], raw_sha256="", auto=out.kind in AUTO_KINDS, auto_reason="",
                         author_id=author_id, delivery="queued", received_at=now, created_at=now)
        session.add(stored)
    row = Outbox(message=stored, ticket_id=ticket.id if ticket else None, kind=out.kind, mail_from=out.mail_from,
                 rcpt=out.to.lower(), more_rcpts=[a.lower() for a in (*out.cc, *out.bcc)], raw=raw,
                 next_attempt_at=now + dt.timedelta(seconds=hold_seconds), created_at=now)
    session.add(row)
    return row


def _recipients(out: Outgoing) -> dict[str, list[str]]:
    """Who the stored message went to, as the ticket page shows it; Bcc is kept for agents only."""
    found = {"to": [out.to], "cc": list(out.cc), "bcc": list(out.bcc)}
    return {key: value for key, value in found.items() if value}


def queue_notification(session: Session, config: Config, to: str, subject: str, body: str,
                       ticket: Ticket | None, now: dt.datetime) -> Outbox:
    """A mail to staff (an SLA warning, a digest): auto-generated, kept off the customer's thread."""
    mailbox = config.mailboxes.get(ticket.mailbox) if ticket else None
    sender = mailbox.address if mailbox else min(config.our_addresses(), default="helpdesk@localhost")
    out = Outgoing(kind="notification", mail_from=sender, to=to, subject=subject, text=body)
    return queue_mail(session, config, out, now, ticket=ticket, on_thread=False)
