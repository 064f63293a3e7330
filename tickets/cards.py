"""Payment-card masking: no full card number is ever written (docs/policies.md, Privacy Policy).

A card number is a Luhn-valid run of 13-19 digits, optionally split by single spaces or dashes.
Every digit but the last four becomes '*', separators stay, so the length of the text never
changes: the raw copy of a mail is masked in place and stays byte for byte elsewhere.

Runs that sit inside identifiers (Message-IDs, URLs, MIME boundaries: next to '<', '@', '=',
'/', '.', '_') are left alone, and only the headers people type in are touched, so threading
keys and the MIME structure survive masking. Stdlib only: `tickets` imports no other package.
"""
from __future__ import annotations

import binascii
import html as html_module
import re
from collections.abc import Iterable, Iterator

# A maximal run of digits with single space/dash separators, not glued to an identifier. It opens
# with the ASCII set [0-9] (the lookbehinds look past it) so the engine can skip straight to digits.
_FIRST_DIGIT = r"[0-9](?<![0-9<@=/._][0-9])(?<![0-9][ -][0-9])"
_BOUND_AFTER = r"(?![ -]?[0-9]|[@_]|\.\w)"
_RUN = re.compile(_FIRST_DIGIT + r"(?:[ -]?[0-9]){12,}" + _BOUND_AFTER)
# The same inside quoted-printable bytes, where a soft line break ('=' EOL) may split a run.
_SOFT = r"(?:=\r?\n)?"
_QP_RUN = re.compile(_FIRST_DIGIT + r"(?:" + _SOFT + r"[ -]?" + _SOFT + r"[0-9]){12,}" + _BOUND_AFTER)
# Prefilter at C speed: digits to '0', separators (and QP soft breaks) deleted, then 13 zeros?
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_SEPARATOR_BYTES = b" -=\r\n"
_THIRTEEN = b"0" * 13
_ISSUER_DIGITS = "23456"  # first digit of real card numbers (ISO/IEC 7812 major industry)

# Every header field is masked in place except the MIME structure's (a boundary often holds a long
# digit run): Message-IDs and References too, so the kept copy of an ordinary mail is its own bytes
# rather than a rebuilt copy, and a reply's references are masked exactly as the mail they name.
_STRUCTURE_HEADERS = frozenset({b"content-type", b"content-transfer-encoding", b"content-disposition",
                                b"mime-version"})
_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_ENCODED_MARKS = (b"ase64", b"ASE64", b"uoted-", b"UOTED-")  # base64, Base64, quoted-printable...
_FOLD = re.compile(rb"\r?\n[ \t]+")
_CONTENT_TYPE = re.compile(rb"(?im)^content-type:[ \t]*([!-~]+?)[ \t]*(?:;|$)")
_BOUNDARY = re.compile(rb'(?i);\s*boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;]+))')
_TRANSFER = re.compile(rb"(?im)^content-transfer-encoding:[ \t]*([!-~]+)")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum (ISO/IEC 7812-1) of a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_digits(run: str) -> list[int]:
    """Positions in `run` of the digits to hide: all but the last four of each card found.

    The whole run is a card when it holds 13-19 digits and passes Luhn. A longer run split by
    separators (a card followed by its CVV, say) is searched for consecutive groups that form a
    card starting like one (2-6); an unbroken run longer than 19 digits is never a card.
    """
    positions = [i for i, char in enumerate(run) if "0" <= char <= "9"]
    digits = "".join(run[i] for i in positions)
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return positions[:-4]
    groups, start = [], 0
    for k in range(1, len(positions) + 1):
        if k == len(positions) or run[positions[k - 1] + 1:positions[k]].strip("=\r\n") in ("-", " "):
            groups.append((start, k))
            start = k
    hidden: list[int] = []
    i = 0
    while i < len(groups):
        i = _card_in_groups(groups, i, digits, positions, hidden)
    return hidden


def _card_in_groups(groups: list[tuple[int, int]], i: int, digits: str, positions: list[int],
                    hidden: list[int]) -> int:
    """Look for a card made of groups i..j; record its hidden digits and return the next group."""
    first = groups[i][0]
    for j in range(i, len(groups)):
        end = groups[j][1]
        if end - first > 19:
            break
        window = digits[first:end]
        if end - first >= 13 and window[0] in _ISSUER_DIGITS and luhn_valid(window):
            hidden.extend(positions[first:end - 4])
            return j + 1
    return i + 1


def _mask_runs(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda match: _starred(match.group(), _card_digits(match.group())), text)


def _starred(text: str, hidden: Iterable[int]) -> str:
    """`text` with the characters at the `hidden` positions replaced by '*'."""
    chars = list(text)
    for position in hidden:
        chars[position] = "*"
    return "".join(chars)


def mask_text(text: str) -> str:
    """`text` with every payment-card number reduced to its last four digits, and the security code
    and expiry date written beside it hidden too.

    For decoded text (subjects, bodies, HTML text, file names, header values, Message-IDs, links):
    digits of any script (full-width too), groups split by anything a person or a mail client puts
    between them (spaces, tabs, NBSP, dots, dashes, line breaks, a quote mark). Every hidden
    character becomes one '*', so the text keeps its length.
    """
    hidden = _hidden(text)
    return _starred(text, hidden) if hidden else text


def mask_html(html: str) -> str:
    """HTML source with every card number in its text content masked, and in its tags (links).

    The text content is what a reader sees: tags read as a space, character references (`&nbsp;`,
    `&#52;`) as the character they stand for. A hidden digit written as a reference becomes '*'.
    Only the stretches made of digits, separators and markup are read this way.
    """
    if not _may_hold_text_card(html) and "&#" not in html:
        return html
    html = _TAG.sub(lambda tag: mask_text(tag.group()), html)
    return _STRETCH.sub(_mask_stretch, html)


def _mask_stretch(found: re.Match[str]) -> str:
    """One stretch of digits, separators and markup, masked as the text it reads as."""
    pieces = _PIECE.findall(found.group())
    seen: list[str] = []
    for piece in pieces:
        if piece.startswith("<"):
            seen.append("" if seen and seen[-1] in ("", " ") else " ")
        elif piece.startswith("&"):
            seen.append(html_module.unescape(piece)[:1] or " ")
        else:
            seen.append(piece)
    hidden = _hidden("".join(seen))
    if not hidden:
        return found.group()
    out, offset = [], 0
    for piece, read in zip(pieces, seen):
        if piece.startswith("&") and offset in hidden:
            piece = "*"
        elif not piece.startswith(("<", "&")):
            piece = "".join("*" if offset + i in hidden else char for i, char in enumerate(piece))
        out.append(piece)
        offset += len(read)
    return "".join(out)


def _hidden(text: str) -> set[int]:
    """Positions of the characters to hide: card digits but the last four, and the codes beside them."""
    hidden: set[int] = set()
    if not _may_hold_text_card(text):
        return hidden
    for start, end in _cards(text):
        digits = [i for i in range(start, end) if text[i].isdecimal()]
        hidden.update(digits[:-4])
        hidden.update(_beside(text, end))
    return hidden


_TAG = re.compile(r"<[^<>]{0,2000}>")
_REFERENCE = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"
_PIECE = re.compile(r"<[^<>]{0,2000}>|" + _REFERENCE + r"|[^<&]+|[<&]")
_STRETCH = re.compile(r"(?:\d|&#[0-9]{1,7};?|&#[xX][0-9a-fA-F]{1,6};?)(?:[\d\s.\-\u2010-\u2015]|<[^<>]{0,2000}>|"
                      + _REFERENCE + r"){12,}")

# Between two digit groups of one number: whitespace of any kind (NBSP, tabs, line breaks), dots,
# dashes of any kind, invisible joiners, a quote mark at a line start; a few characters at most.
_GAP = re.compile(r"(?:[\s.\-_\u00ad\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff\u30fb\uff0d\uff0e]"
                  r"|(?<=\n)>)" r"{1,8}")
_DIGITS = re.compile(r"\d+")
_LONGEST = 19
# Beside a card: its expiry (12/27, 12-2027) and a three- or four-digit security code.
_BESIDE = re.compile(r"(?<!\d)(?:\d{1,2}\s?[/\-.]\s?\d{2,4}|\d{3,4})(?!\d)")
_BESIDE_CHARS = 60


def _may_hold_text_card(text: str) -> bool:
    """False when `text` has fewer than 13 digits: nothing to look at (most texts)."""
    count = 0
    for _found in _DIGITS.finditer(text):
        count += len(_found.group())
        if count >= 13:
            return True
    return False


def _cards(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each card number in `text`: 13-19 digits passing Luhn, unbroken or in groups.

    Digit groups joined by a `_GAP` form a run; a card is a window of whole groups in it. A window
    of one group needs only Luhn; a window of several also starts like a card (2-6). Only the last
    groups that could still start a card are kept, so a 40 MB run costs no more than a short one.
    """
    window: list[tuple[int, int, str]] = []  # (start, end, ascii digits) of the groups still open
    for found in _DIGITS.finditer(text):
        start, end = found.span()
        if window and not _GAP.fullmatch(text, window[-1][1], start):
            window = []
        group = found.group()
        digits = group if group.isascii() else "".join(str(int(char)) for char in group)
        window.append((start, end, digits))
        total = 0
        for index in range(len(window) - 1, -1, -1):
            total += len(window[index][2])
            if total > _LONGEST:
                del window[:index + 1]
                break
            joined = "".join(part[2] for part in window[index:])
            if total >= 13 and (index == len(window) - 1 or joined[0] in _ISSUER_DIGITS) and luhn_valid(joined):
                yield window[index][0], end


def _beside(text: str, end: int) -> Iterator[int]:
    """Positions of the digits of the first expiry date and the first security code written within
    a few words after a card ending at `end`."""
    kinds: set[bool] = set()
    for found in _BESIDE.finditer(text, end, min(len(text), end + _BESIDE_CHARS)):
        is_expiry = not found.group().isdecimal()
        if is_expiry not in kinds:
            kinds.add(is_expiry)
            yield from (i for i in range(*found.span()) if text[i].isdecimal())


def _may_hold_card(data: bytes) -> bool:
    """False when `data` cannot hold 13 digits even with every separator removed."""
    return _THIRTEEN in data.translate(_DIGITS_TO_ZERO, _SEPARATOR_BYTES)


def _mask_bytes(data: bytes, pattern: re.Pattern[str] = _RUN) -> bytes:
    """Mask ASCII digits inside any ASCII-compatible bytes (latin-1 maps bytes 1:1 to text)."""
    if not _may_hold_card(data):
        return data
    text = data.decode("latin-1")
    if not pattern.search(text):
        return data
    return _mask_runs(text, pattern).encode("latin-1")


def mask_raw(raw: bytes) -> bytes:
    """The kept raw copy of a mail with card numbers masked, every other byte unchanged.

    Covers the typed headers (encoded-words included) and the text parts, whatever their
    transfer encoding; attachments that are not text are left alone. A mail with no
    encoded part and no long digit run is returned as is without any MIME work.
    """
    encoded = b"=?" in raw or any(mark in raw for mark in _ENCODED_MARKS)
    if not encoded and not _may_hold_card(raw):
        return raw
    return _mask_entity(raw)


def _header_end(data: bytes) -> tuple[int, int]:
    """Start and end of the blank line that ends the header block, or (-1, -1)."""
    crlf = data.find(b"\r\n\r\n")
    lf = data.find(b"\n\n", 0, crlf + 2 if crlf >= 0 else len(data))
    if crlf >= 0 and (lf < 0 or crlf < lf):
        return crlf, crlf + 4
    return (lf, lf + 2) if lf >= 0 else (-1, -1)


def _mask_entity(data: bytes) -> bytes:
    """Mask one MIME entity: its header block, then its body according to its type."""
    start, end = _header_end(data)
    if start < 0:
        return _mask_headers(data)
    head, body = data[:start], data[end:]
    flat = _FOLD.sub(b" ", head).replace(b"\r", b"")
    found = _CONTENT_TYPE.search(flat)
    ctype = found.group(1).lower() if found else b"text/plain"
    found = _TRANSFER.search(flat)
    encoding = found.group(1).lower() if found else b"7bit"
    return _mask_headers(head) + data[start:end] + _mask_body(body, ctype, encoding, flat)


def _mask_body(body: bytes, ctype: bytes, encoding: bytes, head: bytes) -> bytes:
    if ctype.startswith(b"multipart/"):
        found = _BOUNDARY.search(head)
        return _mask_multipart(body, found.group(1) or found.group(2)) if found else _mask_bytes(body)
    if ctype in (b"message/rfc822", b"message/global", b"text/rfc822-headers"):
        return _mask_entity(body)
    if not ctype.startswith(b"text/"):
        return body
    if encoding == b"base64":
        return _mask_base64(body)
    if encoding == b"quoted-printable":
        return _mask_bytes(body, _QP_RUN)
    return _mask_bytes(body)


def _mask_multipart(body: bytes, boundary: bytes) -> bytes:
    """Mask each part between the boundary delimiter lines (RFC 2046 section 5.1.1)."""
    out, position, part_start = [], 0, -1
    for line_start, line_end, closing in _delimiters(body, b"--" + boundary):
        if part_start >= 0:
            end = line_start - (2 if body[line_start - 2:line_start] == b"\r\n" else 1)
            end = max(end, part_start)
            out += [body[position:part_start], _mask_entity(body[part_start:end])]
            position = end
        part_start = -1 if closing else line_end
        if closing:
            break
    if part_start >= 0:  # an unterminated last part runs to the end
        out += [body[position:part_start], _mask_entity(body[part_start:])]
        position = len(body)
    out.append(body[position:])
    return b"".join(out)


def _delimiters(body: bytes, dashed: bytes) -> Iterator[tuple[int, int, bool]]:
    """(start, end after its newline, is closing) of each delimiter line, found by plain search."""
    at = body.find(dashed)
    while at >= 0:
        eol = body.find(b"\n", at)
        line_end = len(body) if eol < 0 else eol + 1
        rest = body[at + len(dashed):line_end].rstrip()
        if (at == 0 or body[at - 1:at] == b"\n") and rest in (b"", b"--"):
            yield at, line_end, rest == b"--"
        at = body.find(dashed, at + len(dashed))


def _mask_base64(body: bytes) -> bytes:
    """Decode, mask, and re-encode with the original line length and line ending."""
    try:
        decoded = binascii.a2b_base64(body)
    except binascii.Error:
        return body
    masked = _mask_bytes(decoded)
    if masked == decoded:
        return body
    first_line = body.split(b"\n", 1)[0].rstrip(b"\r")
    width = max(4, len(first_line) // 4 * 4)
    newline = b"\r\n" if b"\r\n" in body else b"\n"
    encoded = binascii.b2a_base64(masked, newline=False)
    lines = [encoded[i:i + width] for i in range(0, len(encoded), width)]
    return newline.join(lines) + (newline if body.endswith(b"\n") else b"")


def _mask_headers(head: bytes) -> bytes:
    """Mask the header fields (plain text and RFC 2047 encoded-words) in place, but the MIME structure's."""
    if b"=?" not in head and not _may_hold_card(head):
        return head
    fields = re.split(rb"(?m)^(?=[^ \t\r\n])", head)
    for index, field in enumerate(fields):
        name = field.split(b":", 1)[0].strip().lower()
        if name not in _STRUCTURE_HEADERS:
            # As text, the way the parsed values are checked (dots and every other separator count).
            text = mask_text(field.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
            fields[index] = _ENCODED_WORD.sub(_mask_encoded_word, text)
    return b"".join(fields)


def _mask_encoded_word(word: re.Match[bytes]) -> bytes:
    charset, kind, text = word.groups()
    try:
        decoded = binascii.a2b_base64(text) if kind in b"bB" else binascii.a2b_qp(text, header=True)
    except binascii.Error:
        return word.group()
    masked = _mask_bytes(decoded)
    if masked == decoded:
        return word.group()
    if kind in b"bB":
        return b"=?" + charset + b"?" + kind + b"?" + binascii.b2a_base64(masked, newline=False) + b"?="
    encoded = b"".join(bytes([c]) if chr(c).isalnum() and c < 128 else b"_" if c == 32 else b"=%02X" % c
                       for c in masked)
    return b"=?" + charset + b"?" + kind + b"?" + encoded + b"?="
