"""Raw mail bytes to a `ParsedMessage` (docs/architecture.md): the one parser every way in shares.

Parsing never fails on bad mail: unknown or lying charsets, broken headers, bad addresses and
dates degrade to a best reading plus a note in `defects`. Only input that is not mail at all
(nothing, or no header block), or that both of the standard library's parsers fail on, raises
`ParseError`, for the caller to quarantine.
Card numbers are not masked here: ingestion masks the raw bytes (tickets.cards) first.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from email.feedparser import BytesFeedParser
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import Compat32, Policy, default
from email.utils import parsedate_to_datetime
from typing import Any

from inbox.addresses import parse_addresses
from inbox.auto import detect
from inbox.bounces import bounced_ids
from inbox.charsets import decode_header_value
from inbox.headerblock import mend
from inbox.htmltext import html_to_text
from inbox.language import guess_language
from inbox.parts import Body, walk
from inbox.quotes import is_forward, separate
from inbox.threadkeys import id_list, normalize_id, synthetic_message_id
from routing.automatic import machine_written
from tickets.errors import InputError
from tickets.mail import Address, ParsedMessage

_UTC = dt.UTC
_MIME_HEADERS = frozenset({"content-type", "content-disposition", "content-transfer-encoding"})
_REMEMBERED_LENGTH = 1000  # characters; a Content-Type with its boundary is about 100
_FEED_CHUNK = 64 * 1024  # bytes handed to the parser at a time
LARGE_BODY = 1024 * 1024  # bytes; a single-part body this long is not split into lines by the parser


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
FALLBACK_PARSING = Compat32(message_factory=EmailMessage)  # compat32, building EmailMessage objects
_ANGLE = re.compile(r"<([^<>]*)>")


class ParseError(InputError):
    """The input is not mail at all (empty, no header block), or no parser can read it."""


def parse_message(raw: bytes, *, now: dt.datetime, our_addresses: frozenset[str] = frozenset(),
                  received: dt.datetime | None = None, envelope_sender: str | None = None) -> ParsedMessage:
    """Parse one mail. `received` is the IMAP INTERNALDATE when the caller has one; `envelope_sender`
    the SMTP envelope's MAIL FROM ('' for the null sender `<>`) when the mail came with one (LMTP,
    an mbox `From ` line): it is recorded as the Return-Path a final delivery adds (RFC 5321 4.4)."""
    if not raw.strip():
        raise ParseError("not a mail: the input is empty")
    mended, defects = mend(raw)
    msg, body, tree_defects = _tree(mended)
    defects += tree_defects
    items = list(msg.raw_items())
    if not items:
        raise ParseError("not a mail: no header block found")
    if envelope_sender is not None:
        items.insert(0, ("Return-Path", f"<{envelope_sender}>"))
    guide = body.charset or None
    headers = tuple((name, decode_header_value(value, guide)) for name, value in items)
    raw_first: dict[str, str] = {}
    first: dict[str, str] = {}
    for (name, value), (_name, decoded) in zip(items, headers):
        raw_first.setdefault(name.lower(), value)
        first.setdefault(name.lower(), decoded)
    html = "\n".join(body.html)
    text = "\n\n".join(body.plain) if any(p.strip() for p in body.plain) else html_to_text(html)
    subject = first.get("subject", "")
    parts = separate(text, forwarded=is_forward(subject))
    auto, auto_reason = detect(msg, our_addresses, envelope_sender, body.reports)
    if not auto:  # headers stripped by a server or forwarder: the words may still tell
        auto_reason = machine_written(subject, parts.new_text or text)
        auto = bool(auto_reason)
    date = _date(first.get("date"), "Date", defects)
    reply_to = parse_addresses(raw_first.get("reply-to"), defects, guide)
    return ParsedMessage(
        message_id=normalize_id(first.get("message-id", "")) or synthetic_message_id(raw),
        subject=subject,
        sender=_sender(parse_addresses(raw_first.get("from"), defects, guide), reply_to, raw_first, defects, guide),
        to=parse_addresses(raw_first.get("to"), defects, guide),
        cc=parse_addresses(raw_first.get("cc"), defects, guide),
        reply_to=reply_to,
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
        msg = read_tree(raw, PARSING)
        return msg, walk(msg), []
    except Exception as first:  # a bug in the standard library, not something wrong with our code
        try:
            msg = read_tree(raw, FALLBACK_PARSING)
            return msg, walk(msg), [f"standard parser failed ({type(first).__name__}); read without it"]
        except Exception as second:
            raise ParseError(f"unreadable MIME structure: {type(second).__name__}: {second}") from second


def read_tree(raw: bytes, policy: Policy[EmailMessage]) -> EmailMessage:
    """What `email.message_from_bytes(raw, policy=policy)` gives, without its copies of the whole mail.

    It decodes the whole mail into one str and reads it through a StringIO, at four bytes a
    character: a 40 MB mail took 400 MB. Here the bytes are fed in chunks; and a large
    single-part body, which the parser would only split into lines and join again (holding a
    40 MB line three times), is set as the payload the parser would have made of it, after the
    header block alone was parsed. Anything unusual in that block takes the ordinary way.
    """
    start = _body_start(raw)
    if len(raw) - start > LARGE_BODY:
        head: BytesFeedParser[EmailMessage] = BytesFeedParser(EmailMessage, policy=policy)
        head.feed(raw[:start])
        msg = head.close()
        if not msg.defects and msg.get_payload() == "" and msg.get_content_maintype() not in ("multipart", "message"):
            msg.set_payload(raw[start:].decode("ascii", "surrogateescape"))
            return msg
    parser: BytesFeedParser[EmailMessage] = BytesFeedParser(EmailMessage, policy=policy)
    view = memoryview(raw)
    for offset in range(0, len(raw), _FEED_CHUNK):
        parser.feed(bytes(view[offset:offset + _FEED_CHUNK]))
    whole = parser.close()
    return whole


def _body_start(raw: bytes) -> int:
    """Where the body begins: after the first empty line (LF or CRLF), or the end when there is none."""
    ends = [found + len(mark) for mark in (b"\n\n", b"\n\r\n") if (found := raw.find(mark)) >= 0]
    return min(ends, default=len(raw))


def _sender(from_: tuple[Address, ...], reply_to: tuple[Address, ...], raw_first: dict[str, str],
            defects: list[str], guide: str | None) -> Address | None:
    """From; with no usable From, Reply-To, then Sender, then the envelope sender (Return-Path).

    A web form's or a broken mailer's mail may name its sender only there; a mail with nobody to
    answer would be stored senderless. An unusable From is still kept when nothing else is found.
    """
    usable = next((a for a in from_ if a.valid), None)
    if usable is not None:
        return usable
    fallbacks = (("Reply-To", reply_to), ("Sender", parse_addresses(raw_first.get("sender"), [], guide)),
                 ("Return-Path", _envelope(raw_first.get("return-path", ""))))
    for label, found in fallbacks:
        usable = next((a for a in found if a.valid), None)
        if usable is not None:
            defects.append(f"no usable From: the sender is taken from {label}")
            return usable
    return next(iter(from_), None)


def _envelope(value: str) -> tuple[Address, ...]:
    """The envelope sender of a Return-Path value (`<>` is the null sender: nobody)."""
    found = _ANGLE.search(value)
    address = (found.group(1) if found else value).strip()
    return parse_addresses(address, []) if address else ()


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
    """The `helpdesk parse --json` line for one file (the README's command table)."""
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
