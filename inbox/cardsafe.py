"""Parse mail so that no full card number comes out of it, in any decoded form (Privacy Policy 000).

The raw bytes are masked first (`tickets.cards.mask_raw`: typed headers and text parts, in
place). What the parser then decodes is checked as text: every header value, Message-ID, file
name, body, HTML body as its text content. Encodings the byte masker does not undo (UTF-16,
UTF-7, EBCDIC, uuencode, HTML references, a subject folded inside the number...) show a card
there; such a mail is rebuilt from its decoded, masked content, and that copy is what is kept
and parsed. A mail whose rebuilt copy still shows one cannot be masked with certainty: it is
refused (`Unmaskable`) with its bytes masked as far as possible, for quarantine.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
from collections.abc import Iterator
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP

from inbox.parse import parse_message
from tickets.cards import mask_html, mask_raw, mask_text
from tickets.errors import InputError
from tickets.mail import Attachment, ParsedMessage

log = logging.getLogger(__name__)

_STRUCTURE = frozenset({"content-type", "content-transfer-encoding", "content-disposition", "mime-version",
                        "return-path"})
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
REBUILT_MARK = "X-Helpdesk-Masked"
# A multipart boundary is the sender's random token, not text anyone typed: Python's email package
# writes 19 random digits, which pass for a card number one time in ten. `mask_raw` leaves it alone.
_BOUNDARY_PARAM = re.compile(r'(?i);\s*boundary\s*=\s*(?:"[^"]*"|[^\s;]+)')


class Unmaskable(InputError):
    """A card number survives every masking; `masked` is the mail masked as far as it can be."""

    def __init__(self, masked: bytes) -> None:
        super().__init__("a card number could not be masked with certainty in every decoded form")
        self.masked = masked


def mask_bytes_as_text(raw: bytes) -> bytes:
    """The last resort: the bytes read as Latin-1 text and masked (ASCII digits, any separator)."""
    return mask_text(raw.decode("latin-1")).encode("latin-1")


def mask_raw_safely(raw: bytes) -> bytes:
    """`mask_raw`, falling back to masking the bytes as text if the MIME walk fails."""
    try:
        return mask_raw(raw)
    except Exception:  # never keep a card number: fall back to masking the bytes as Latin-1 text
        log.exception("card masking failed; masking the raw bytes as text")
        return mask_bytes_as_text(raw)


def parse_masked(masked: bytes, *, now: dt.datetime, our_addresses: frozenset[str] = frozenset(),
                 received: dt.datetime | None = None, envelope_sender: str | None = None,
                 ) -> tuple[bytes, ParsedMessage]:
    """The raw copy to keep and what it parses to, neither holding a full card number. `masked` is
    the mail as `mask_raw_safely` left it.

    Raises `ParseError` for what is not mail, `Unmaskable` (with the masked bytes) when a card
    number survives in some decoded form even in the rebuilt copy.
    """
    parsed = parse_message(masked, now=now, our_addresses=our_addresses, received=received,
                           envelope_sender=envelope_sender)
    if card_free(parsed):
        return masked, parsed
    rebuilt = rebuild(parsed)
    reparsed = parse_message(rebuilt, now=now, our_addresses=our_addresses, received=received,
                             envelope_sender=envelope_sender)
    if card_free(reparsed):
        return rebuilt, reparsed
    raise Unmaskable(mask_bytes_as_text(rebuilt))


def card_free(parsed: ParsedMessage) -> bool:
    """True when no decoded text of `parsed` holds a card number (masking would change nothing)."""
    if mask_html(parsed.html) != parsed.html:
        return False
    for attachment in parsed.attachments:
        text = attachment_text(attachment)
        if text is not None and mask_text(text) != text:
            return False
    return all(mask_text(text) == text for text in _texts(parsed))


def _texts(parsed: ParsedMessage) -> Iterator[str]:
    yield from (parsed.message_id, parsed.subject, parsed.text, parsed.new_text, parsed.quoted_text,
                parsed.signature, parsed.auto_reason)
    for address in (parsed.sender, *parsed.to, *parsed.cc, *parsed.reply_to):
        if address is not None:
            yield from (address.name, address.email)
    yield from parsed.in_reply_to
    yield from parsed.references
    yield from parsed.defects
    yield from parsed.bounced_message_ids
    for name, value in parsed.headers:
        yield from (name, _BOUNDARY_PARAM.sub("", value) if name.lower() == "content-type" else value)
    for attachment in parsed.attachments:
        yield from (attachment.filename, attachment.content_type, attachment.content_id)


def attachment_text(attachment: Attachment) -> str | None:
    """A text attachment's content as text (UTF-16 by its BOM, else UTF-8, else Latin-1); None for others."""
    if not attachment.content_type.startswith("text/"):
        return None
    data = attachment.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def rebuild(parsed: ParsedMessage) -> bytes:
    """A plain MIME copy of `parsed` made of its decoded, masked content.

    Headers keep their order (the MIME ones are made anew), the text and HTML bodies become a UTF-8
    alternative, attachments keep their type, masked file name and bytes (text ones masked). An
    automatic mail stays recognisably automatic.
    """
    msg = EmailMessage(policy=SMTP)
    for name, value in parsed.headers:
        if name.lower() not in _STRUCTURE:
            msg.set_raw(name, _header(name, mask_text(value)))
    if "message-id" not in {name.lower() for name, _value in parsed.headers}:
        msg.set_raw("Message-ID", mask_text(parsed.message_id))
    if parsed.auto and "auto-submitted" not in msg:
        msg.set_raw("Auto-Submitted", "auto-generated")
    msg.set_raw(REBUILT_MARK, "rebuilt from the decoded mail with card numbers masked")
    msg.set_content(mask_text(parsed.text), charset="utf-8", cte="base64")
    if parsed.html:
        msg.add_alternative(mask_html(parsed.html), subtype="html", charset="utf-8", cte="base64")
    for attachment in parsed.attachments:
        _attach(msg, attachment)
    for level, part in enumerate(p for p in msg.walk() if p.is_multipart()):  # the default ones hold digits
        part.set_boundary(f"=_masked_{chr(ord('a') + level)}_=")
    return msg.as_bytes()


def _header(name: str, value: str) -> str:
    """A header value as it goes on the wire: as is when ASCII, encoded-words otherwise."""
    value = " ".join(value.split())
    if value.isascii():
        return value
    if name.lower() in _ADDRESS_HEADERS:
        pairs = email.utils.getaddresses([value])
        return ", ".join(email.utils.formataddr(pair, charset="utf-8") for pair in pairs)
    return Header(value, "utf-8", header_name=name).encode()


def _attach(msg: EmailMessage, attachment: Attachment) -> None:
    text = attachment_text(attachment)
    data = mask_text(text).encode("utf-8") if text is not None else attachment.data
    maintype, _, subtype = attachment.content_type.partition("/")
    if maintype in ("multipart", "message") or not subtype:
        maintype, subtype = "application", "octet-stream"
    msg.add_attachment(data, maintype, subtype, filename=mask_text(attachment.filename),
                       disposition="inline" if attachment.inline else "attachment",
                       cid=f"<{mask_text(attachment.content_id)}>" if attachment.content_id else None)

