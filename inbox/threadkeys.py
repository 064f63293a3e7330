"""Threading keys: Message-IDs, References lists, the `[#HD-12]` subject tag, synthetic IDs.

A reply threads (docs/architecture.md, "Threading") by the Message-IDs it names, or by the ticket tag in its
subject; a mail without a Message-ID gets a stable one from a digest of what its sender wrote,
so the same mail delivered to two mailboxes is stored once.
"""
from __future__ import annotations

import hashlib
import re

_WHITESPACE = re.compile(r"\s+")
_ID_TOKEN = re.compile(r"<([^<>]*)>|([^\s<>,;]+@[^\s<>,;]+)")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_DIGEST_HEADERS = (b"from", b"to", b"date", b"subject")
SYNTHETIC_DOMAIN = "synthetic.helpdesk"


def normalize_id(value: str) -> str:
    """'<local@Domain>' with whitespace removed and the domain lower-cased; '' when empty.

    RFC 5322 IDs compare as exact strings, but mailers are known to re-case the domain; the
    local part is kept as written because it is often case-sensitive (base64 tokens).
    """
    found = _ID_TOKEN.search(value)
    inner = (found.group(1) if found and found.group(1) is not None else found.group(2)) if found else value
    inner = _WHITESPACE.sub("", inner).strip("<>")
    if not inner:
        return ""
    local, at, domain = inner.rpartition("@")
    return f"<{local}@{domain.lower()}>" if at else f"<{inner}>"


def id_list(value: str) -> tuple[str, ...]:
    """The Message-IDs in a References or In-Reply-To value, in order, without repeats.

    Robust to what real mailers write: missing angle brackets, commas between IDs, folded
    whitespace, and free text such as `In-Reply-To: <id> (Emily's message of ...)`.
    """
    ids = (normalize_id(bracketed or bare) for bracketed, bare in _ID_TOKEN.findall(value))
    return tuple(dict.fromkeys(i for i in ids if i and i != "<>"))


def synthetic_message_id(raw: bytes) -> str:
    """A stable '<digest@synthetic.helpdesk>' for a mail that carries no Message-ID.

    Digests From, To, Date, Subject and the body only: transport headers (Received,
    Delivered-To, Return-Path) differ per mailbox and line endings per transport, so both are
    left out or normalised and two deliveries of one mail get one ID.
    """
    split = _HEADER_END.search(raw)
    head, body = (raw[:split.start()], raw[split.end():]) if split else (raw, b"")
    wanted: dict[bytes, bytes] = {}
    for line in _FOLD.sub(b" ", head).splitlines():
        name, colon, value = line.partition(b":")
        key = name.strip().lower()
        if colon and key in _DIGEST_HEADERS and key not in wanted:
            wanted[key] = b" ".join(value.split())
    lines = (line.rstrip() for line in body.replace(b"\r\n", b"\n").split(b"\n"))
    digest = hashlib.sha256()
    for key in _DIGEST_HEADERS:
        digest.update(key + b":" + wanted.get(key, b"") + b"\n")
    digest.update(b"\n".join(lines).rstrip(b"\n"))
    return f"<{digest.hexdigest()[:32]}@{SYNTHETIC_DOMAIN}>"


def _tag_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(r"\[#\s*(" + re.escape(prefix) + r"-\d{1,12})\s*\]", re.IGNORECASE)


def find_tags(subject: str, prefix: str) -> list[str]:
    """The ticket references tagged in a subject: '[#HD-12]' -> ['HD-12'], in order, no repeats.

    Only the configured prefix counts, so an order number (AP-123456, even as '[#AP-123]')
    never reads as a ticket tag.
    """
    found = (match.upper() for match in _tag_pattern(prefix).findall(subject))
    return list(dict.fromkeys(f"{prefix}{ref[len(prefix):]}" for ref in found))


def add_tag(subject: str, reference: str) -> str:
    """The subject with ' [#REF]' appended, unless that tag is already there."""
    prefix = reference.rpartition("-")[0]
    if reference.upper() in (tag.upper() for tag in find_tags(subject, prefix)):
        return subject
    subject = subject.rstrip()
    return f"{subject} [#{reference}]" if subject else f"[#{reference}]"
