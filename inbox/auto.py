"""Auto-reply, bounce and bulk-mail detection (RFC 3834).

Auto mail never starts an SLA clock and never gets an acknowledgement, so a false positive
means a customer is never answered: only the listed, unambiguous signals count. Outlook's
`X-Auto-Response-Suppress` is deliberately ignored, because Outlook sets it on ordinary mail too.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import getaddresses

from inbox.charsets import decode_header_value

_COMMENT = re.compile(r"\([^()]*\)")
# Daemons use the bare local part, spelt with or without a separator (post_master@, mailer.daemon@);
# no-reply senders often add a suffix (noreply-orders@).
_SYSTEM_SENDER = re.compile(r"^(?:(?:mailer[-_.]?daemon|post[-_.]?master)(?:\+.*)?"
                            r"|(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-+._].*)?)$", re.IGNORECASE)
_NULL_ADDRESS = re.compile(r"<\s*>")
_ADDRESS = re.compile(r"[^\s<>,;\"()]+@[^\s<>,;\"()]+")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list"})
_OFF_VALUES = frozenset({"", "no", "false", "0", "off"})
_CONSULTED = frozenset({"auto-submitted", "precedence", "x-autoreply", "x-autorespond", "list-id",
                        "list-unsubscribe", "return-path", "content-type", "from", "x-arf"})


def detect(msg: EmailMessage, our_addresses: frozenset[str], envelope_sender: str | None = None,
           reports: Sequence[str] = ()) -> tuple[bool, str]:
    """(True, reason) when `msg` was sent by a machine, else (False, '').

    The checks run in the order below; the reason names the header that decided,
    e.g. 'Auto-Submitted: auto-replied'. `envelope_sender` is the SMTP MAIL FROM when the mail
    came with one ('' is the null sender, which only machines use: RFC 5321 section 4.5.5);
    `reports` the report parts the MIME tree holds (inbox.parts.REPORT_TYPES), which only a
    program writes, even when a multipart/mixed carries them (abuse reports often are).
    """
    if envelope_sender is not None and not envelope_sender.strip("<> "):
        return True, "MAIL FROM:<> (null envelope sender)"
    headers: dict[str, str] = {}
    loops: list[str] = []
    for name, value in msg.raw_items():  # the first of each header is the topmost one
        key = name.lower()
        if key in _CONSULTED and key not in headers:
            headers[key] = decode_header_value(value)
        if key == "x-loop":
            loops.append(value)
    for check in (_auto_submitted, _precedence, _autoreply_headers, _list_headers, _empty_return_path, _report,
                  _abuse_report):
        reason = check(headers)
        if reason:
            return True, reason
    if reports:
        return True, f"Content-Type: {reports[0]} part"
    reason = (_system_sender(headers.get("from", ""), "From")
              or (_system_sender(envelope_sender, "MAIL FROM") if envelope_sender else "")
              or _loop(loops, our_addresses))
    return (True, reason) if reason else (False, "")


def _bare(value: str) -> str:
    return _COMMENT.sub("", value).split(";", 1)[0].strip().lower()


def _auto_submitted(headers: dict[str, str]) -> str:
    value = _bare(headers.get("auto-submitted", "no"))
    return f"Auto-Submitted: {value}" if value not in ("no", "") else ""


def _precedence(headers: dict[str, str]) -> str:
    value = _bare(headers.get("precedence", ""))
    return f"Precedence: {value}" if value in _BULK_PRECEDENCE else ""


def _autoreply_headers(headers: dict[str, str]) -> str:
    for name in ("x-autoreply", "x-autorespond"):
        if name in headers and _bare(headers[name]) not in _OFF_VALUES:
            return f"{'X-Autoreply' if name == 'x-autoreply' else 'X-Autorespond'}: {headers[name]}"
    return ""


def _list_headers(headers: dict[str, str]) -> str:
    for name, label in (("list-id", "List-Id"), ("list-unsubscribe", "List-Unsubscribe")):
        if name in headers:
            return f"{label}: {headers[name][:80]}"
    return ""


def _empty_return_path(headers: dict[str, str]) -> str:
    value = headers.get("return-path")
    if value is not None and _COMMENT.sub("", value).replace(" ", "") in ("<>", ""):
        return "Return-Path: <>"
    return ""


def _report(headers: dict[str, str]) -> str:
    is_report = _bare(headers.get("content-type", "")) == "multipart/report"
    return "Content-Type: multipart/report" if is_report else ""


def _abuse_report(headers: dict[str, str]) -> str:
    """X-ARF (the abuse reporting format of German ISPs and CERTs) is multipart/mixed, marked by this header."""
    return "X-ARF: yes" if _bare(headers.get("x-arf", "")) == "yes" else ""


def _system_sender(value: str, label: str) -> str:
    """A daemon or no-reply sender, or the null address `<>` (`From: MAILER-DAEMON <>`)."""
    if _NULL_ADDRESS.search(_COMMENT.sub("", value)):
        return f"{label}: <>"
    for _name, address in getaddresses([value]):
        local = address.rpartition("@")[0] if "@" in address else address
        if local and _SYSTEM_SENDER.match(local):
            return f"{label}: {address}"
    return ""


def _loop(values: list[str], our_addresses: frozenset[str]) -> str:
    ours = {address.lower() for address in our_addresses}
    for value in values if ours else ():
        for address in _ADDRESS.findall(value):
            if address.lower() in ours:
                return f"X-Loop: {address}"
    return ""
