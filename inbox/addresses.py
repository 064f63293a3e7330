"""Address headers to `Address` records: RFC 5322 lists, RFC 2047 names, RFC 6532 UTF-8 addresses.

One plain mailbox (`Name <local@domain>` or a bare address, no RFC 5322 specials in it) is read by
a regular expression; everything else by the standard library's header registry parser, which
knows quoted names, encoded words that hide commas (`=?iso-8859-1?Q?M=FCller,=20Anna?=`), comments
and groups. The fast path is used only where it reads exactly what the registry reads
(tests/inbox/test_addresses.py holds it to that). Addresses are checked and normalised by
email-validator: an IDN domain written in punycode comes back in Unicode, so one customer is one
address however their mailer spells it (RFC 6531, RFC 5890).
"""
from __future__ import annotations

import functools
import re
from email import (
    _header_value_parser as registry_parser,  # the parser behind policy.default's registry
)
from email.utils import getaddresses
from typing import Any

from email_validator import EmailNotValidError, validate_email

from inbox.charsets import decode_header_value, unescape_raw
from tickets.mail import Address

_SIMPLE_MAILBOX = re.compile(r"^\s*(?:([^<>@]*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))\s*$")
_SPECIALS = frozenset('",();:\\[]')  # RFC 5322 specials besides <>@. : their meaning needs the real parser
_SURROGATE = re.compile("[\udc80-\udcff]")


def split_addresses(value: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header's value, names decoded; '' for no address."""
    if not _SPECIALS.intersection(value):
        simple = _SIMPLE_MAILBOX.match(value)
        if simple:
            return [(" ".join(decode_header_value(simple.group(1) or "").split()), simple.group(2) or simple.group(3))]
    return registry_addresses(value)


def registry_addresses(value: str) -> list[tuple[str, str]]:
    """The header registry's reading of an address list; an old mailer's `addr (Name)` comment is the name.

    Where the registry finds no address at all in a mailbox that the lenient compat32 reader makes
    sense of (`Name [x] <a@b>`, specials unquoted), the lenient reading is kept instead.
    """
    try:
        address_list, _rest = registry_parser.get_address_list(value)
        pairs = [(_name(mailbox), _addr_spec(mailbox.addr_spec)) for address in address_list.addresses
                 for mailbox in address.all_mailboxes]
    except Exception:  # the registry raises on some malformed input (IndexError, ValueError)
        pairs = None
    if pairs is not None and all("@" in address or address == "" for _name_, address in pairs):
        return pairs
    lenient = [(" ".join(decode_header_value(name).split()), address) for name, address in getaddresses([value])]
    return lenient if pairs is None or (lenient and all("@" in address for _name_, address in lenient)) else pairs


def _name(mailbox: Any) -> str:
    name = mailbox.display_name or " ".join(decode_header_value(c) for c in mailbox.comments)
    if _SURROGATE.search(name):  # bytes of a charset Python does not know: read them as we read all such bytes
        name = unescape_raw(name)
    return " ".join(name.split())


def _addr_spec(spec: str | None) -> str:
    return "" if not spec or spec == "<>" else spec


@functools.lru_cache(maxsize=4096)
def checked(address: str) -> tuple[str, bool]:
    """email-validator's normal form (Unicode domain, NFC) and verdict, once per distinct address."""
    try:
        return validate_email(address, check_deliverability=False).normalized, True
    except EmailNotValidError:
        return address, False


def parse_addresses(value: str | None, defects: list[str], guide: str | None = None) -> tuple[Address, ...]:
    """Every mailbox in an address header; a malformed one is kept with valid=False and noted.

    `guide` is the charset raw 8-bit bytes in the value are tried in after UTF-8 (the body's).
    """
    if not value:
        return ()
    out = []
    for name, address in split_addresses(unescape_raw(value, guide).replace("\r", "").replace("\n", "")):
        if not address:
            continue
        normal, valid = checked(address)
        if not valid:
            defects.append(f"invalid address: {address[:80]}")
        out.append(Address(email=normal, name=name, valid=valid))
    return tuple(out)
