"""Plain mail records shared by every package.

`inbox` turns bytes into a `ParsedMessage`; `routing`, `sla` and `tickets.operations` read it.
Nothing here touches the database, so the records can be built in tests and benchmarks freely.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TRACE_HEADERS = frozenset({"received", "x-received", "dkim-signature", "domainkey-signature", "x-google-dkim-signature",
                           "arc-seal", "arc-message-signature", "arc-authentication-results", "x-gm-message-state",
                           "x-google-smtp-source"})
TRACE_PREFIXES = ("x-ms-exchange-", "x-microsoft-antispam")
SUBJECT_CHARS = 500  # a stored subject; a 10 MB one would make every list page that shows it 10 MB
HEADER_CHARS = 2000  # a header value in a message record (the raw copy keeps it whole)


def stored_subject(subject: str) -> str:
    """`subject` capped to SUBJECT_CHARS characters, an ellipsis marking the cut."""
    return subject if len(subject) <= SUBJECT_CHARS else subject[:SUBJECT_CHARS - 1] + "\u2026"


@dataclass(frozen=True)
class Address:
    """One mailbox from a header; `valid` is False when email-validator rejected it."""

    email: str
    name: str = ""
    valid: bool = True


@dataclass(frozen=True)
class Attachment:
    """A MIME leaf kept as a file: its bytes are stored content-addressed by sha256."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    """Everything the helpdesk needs from one inbound mail, already decoded.

    `new_text` is what the sender wrote in this message; `quoted_text` the history it quotes;
    `signature` the sign-off block. `html` is the sender's HTML, unsanitised: `web` sanitises
    it for display. `message_id` is the sender's, or a stable synthetic one when missing.
    """

    message_id: str
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    date: dt.datetime | None
    received: dt.datetime
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    new_text: str
    quoted_text: str
    signature: str
    html: str
    attachments: tuple[Attachment, ...]
    headers: tuple[tuple[str, str], ...]
    auto: bool
    auto_reason: str
    language: str = ""
    defects: tuple[str, ...] = field(default_factory=tuple)
    bounced_message_ids: tuple[str, ...] = field(default_factory=tuple)

    def header(self, name: str) -> str:
        """The first value of a header, case-insensitively, or ''."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), "")

    @property
    def record_headers(self) -> list[list[str]]:
        """The headers a message record keeps: all but the route the mail took (Received, with the
        sender's IP address) and the signatures over it, which stay in the raw copy only. They
        are two thirds of a mail's header bytes and nobody reads them from the record."""
        return [[name, value[:HEADER_CHARS]] for name, value in self.headers
                if name.lower() not in TRACE_HEADERS and not name.lower().startswith(TRACE_PREFIXES)]

    @property
    def participants(self) -> tuple[str, ...]:
        """Every lower-cased address in From, To and Cc: who may thread into a ticket by tag."""
        people = ((self.sender,) if self.sender else ()) + self.to + self.cc
        return tuple(dict.fromkeys(a.email.lower() for a in people if a.email))
