"""Raw mail bytes to a `ParsedMessage` (DESIGN section 3): the one parser every way in shares.

Parsing never fails on bad mail: unknown or lying charsets, broken headers, bad addresses and
dates degrade to a best reading plus a note in `defects`. Only input that is not mail at all
(nothing, or no header block), or that both of the standard library's parsers fail on, raises
`ParseError`, for the caller to quarantine.
Card numbers are not masked here: ingestion masks the raw bytes (tickets.cards) first.
"""
from __future__ import annotations

import datetime as dt
import email
import functools
import re
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import compat32, default
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from inbox.auto import detect
from inbox.bounces import bounced_ids
from inbox.charsets import decode_header_value, unescape_raw
from inbox.htmltext import html_to_text
from inbox.language import guess_language
from inbox.parts import Body, walk
from inbox.quotes import separate
from inbox.threadkeys import id_list, normalize_id, synthetic_message_id
from routing.automatic import machine_written
from tickets.errors import InputError
from tickets.mail import Address, ParsedMessage

_UTC = dt.timezone.utc
_MIME_HEADERS = frozenset({"content-type", "content-disposition", "content-transfer-encoding"})
_REMEMBERED_LENGTH = 1000  # characters; a Content-Type with its boundary is about 100


class _RememberingRegistry(HeaderRegistry):
    """policy.default's header registry, remembering the MIME headers it has parsed.

    The standard parser re-reads a part's Content-Type up to a dozen times while it splits the
    MIME tree, and the registry parses the value afresh each time: two thirds of the parse time.
    A parsed header is an immutable str, so the same name and value can share one object. Only
    values of ordinary length are kept: hostile mail with huge headers must not fill memory.
    """

    def __init__(self) -> None:
        super().__init__()
        self._parsed = functools.lru_cache(maxsize=2048)(super().__call__)

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) <= _REMEMBERED_LENGTH and name.lower() in _MIME_HEADERS:
            return self._parsed(name, value)
        return super().__call__(name, value)


PARSING = default.clone(header_factory=_RememberingRegistry())  # policy.default, without the re-parsing
_SIMPLE_MAILBOX = re.compile(r"^\s*(?:([^<>@]*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))\s*$")


class ParseError(InputError):
    """The input is not mail at all (empty, no header block), or no parser can read it."""


def parse_message(raw: bytes, *, now: dt.datetime, our_addresses: frozenset[str] = frozenset(),
                  received: dt.datetime | None = None) -> ParsedMessage:
    """Parse one mail. `received` is the IMAP INTERNALDATE when the caller has one."""
    if not raw.strip():
        raise ParseError("not a mail: the input is empty")
    msg, body, defects = _tree(raw)
    items = list(msg.raw_items())
    if not items:
        raise ParseError("not a mail: no header block found")
    headers = tuple((name, decode_header_value(value)) for name, value in items)
    raw_first: dict[str, str] = {}
    first: dict[str, str] = {}
    for (name, value), (_name, decoded) in zip(items, headers):
        raw_first.setdefault(name.lower(), value)
        first.setdefault(name.lower(), decoded)
    html = "\n".join(body.html)
    text = "\n\n".join(body.plain) if any(p.strip() for p in body.plain) else html_to_text(html)
    parts = separate(text)
    auto, auto_reason = detect(msg, our_addresses)
    if not auto:  # headers stripped by a server or forwarder: the words may still tell
        auto_reason = machine_written(first.get("subject", ""), parts.new_text or text)
        auto = bool(auto_reason)
    date = _date(first.get("date"), "Date", defects)
    return ParsedMessage(
        message_id=normalize_id(first.get("message-id", "")) or synthetic_message_id(raw),
        subject=first.get("subject", ""),
        sender=next(iter(_addresses(raw_first.get("from"), defects)), None),
        to=_addresses(raw_first.get("to"), defects),
        cc=_addresses(raw_first.get("cc"), defects),
        reply_to=_addresses(raw_first.get("reply-to"), defects),
        date=date,
        received=_received(received, first.get("received"), date, now, defects),
        in_reply_to=id_list(first.get("in-reply-to", "")),
        references=id_list(first.get("references", "")),
        text=text, new_text=parts.new_text, quoted_text=parts.quoted_text, signature=parts.signature,
        html=html, attachments=tuple(body.attachments), headers=headers, auto=auto, auto_reason=auto_reason,
        language=guess_language(parts.new_text or text),
        defects=tuple(dict.fromkeys(body.defects + defects)),
        bounced_message_ids=bounced_ids(body.returned, text, first) if auto else (),
    )


def _tree(raw: bytes) -> tuple[EmailMessage, Body, list[str]]:
    """The MIME tree and what it holds; compat32 when the policy.default parse raises.

    CPython's header registry raises (IndexError, ValueError) on some malformed parameters, even
    inside the parser itself; compat32 never uses the registry, so such mail still parses. Mail
    that breaks both is refused with the reason, for quarantine and a later retry.
    """
    try:
        msg = email.message_from_bytes(raw, policy=PARSING)
        return msg, walk(msg), []  # type: ignore[return-value]
    except Exception as first:  # a bug in the standard library, not something wrong with our code
        try:
            msg = email.message_from_bytes(raw, _class=EmailMessage, policy=compat32)
            return msg, walk(msg), [f"standard parser failed ({type(first).__name__}); read without it"]
        except Exception as second:
            raise ParseError(f"unreadable MIME structure: {type(second).__name__}: {second}") from second


@functools.lru_cache(maxsize=4096)
def _checked(address: str) -> tuple[str, bool]:
    """email-validator's normal form and verdict, once per distinct address."""
    try:
        return validate_email(address, check_deliverability=False).normalized, True
    except EmailNotValidError:
        return address, False


def _addresses(value: str | None, defects: list[str]) -> tuple[Address, ...]:
    """Every mailbox in an address header; a malformed one is kept with valid=False."""
    if not value:
        return ()
    out = []
    for name, address in _split_addresses(unescape_raw(value).replace("\r", "").replace("\n", "")):
        if not address:
            continue
        normal, valid = _checked(address)
        if not valid:
            defects.append(f"invalid address: {address[:80]}")
        out.append(Address(email=normal, name=decode_header_value(name), valid=valid))
    return tuple(out)


def _split_addresses(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs; the plain one-mailbox forms skip the slow RFC 5322 parser."""
    simple = _SIMPLE_MAILBOX.match(value) if not any(c in value for c in '",();:\\') else None
    if simple:
        return [(simple.group(1) or "", simple.group(2) or simple.group(3))]
    return getaddresses([value])


def _date(value: str | None, label: str, defects: list[str]) -> dt.datetime | None:
    """An RFC 5322 date as aware UTC (a zone-less date is read as UTC), or None."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append(f"unparsable {label}: {value[:80]}")
        return None
    return (moment.replace(tzinfo=_UTC) if moment.tzinfo is None else moment).astimezone(_UTC)


def _received(given: dt.datetime | None, trace: str | None, date: dt.datetime | None, now: dt.datetime,
              defects: list[str]) -> dt.datetime:
    """When the mail reached us: the caller's INTERNALDATE, the topmost Received, Date, or now."""
    if given is not None:
        return (given.replace(tzinfo=_UTC) if given.tzinfo is None else given).astimezone(_UTC)
    if trace and ";" in trace:
        stamped = _date(trace.rpartition(";")[2].strip(), "Received date", defects)
        if stamped:
            return stamped
    return date or (now.replace(tzinfo=_UTC) if now.tzinfo is None else now).astimezone(_UTC)


def summary(parsed: ParsedMessage, file: str) -> dict[str, Any]:
    """The `helpdesk parse --json` line for one file (DESIGN section 8)."""
    return {
        "file": file,
        "message_id": parsed.message_id,
        "from": parsed.sender.email if parsed.sender else "",
        "subject": parsed.subject,
        "received": parsed.received.isoformat(),
        "new_text": parsed.new_text,
        "quoted_text": parsed.quoted_text,
        "signature": parsed.signature,
        "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": len(a.data)}
                        for a in parsed.attachments],
        "auto": parsed.auto,
        "auto_reason": parsed.auto_reason,
    }
