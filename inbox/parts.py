"""One walk over a parsed MIME tree: the text body, the HTML body, attachments, returned mail.

Content-Type and Content-Disposition are read from the raw header values with a small
RFC 2045/2231 parameter parser instead of the header registry: it is several times faster on
every part of every mail, and it degrades on malformed headers instead of raising.
"""
from __future__ import annotations

import binascii
import mimetypes
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.policy import default
from urllib.parse import unquote_to_bytes

from inbox.charsets import decode_bytes, decode_header_value, decode_with, unescape_raw
from tickets.mail import Attachment

_PARAM = re.compile(r';\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')
_CONTINUATION = re.compile(r"^(.+?)\*(\d+)(\*?)$")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"|?*]+')
_UNFOLDED = default.clone(max_line_length=None)  # re-serialise returned mail without refolding
_ORIGINAL_TYPES = frozenset({"message/rfc822", "message/global"})
_HEADER_TYPES = frozenset({"text/rfc822-headers", "message/rfc822-headers"})
# The machine-readable part of a report (RFC 3464 delivery status, RFC 8098 read receipt, RFC 5965
# abuse report): only a program writes one, whatever multipart holds it.
REPORT_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status",
                          "message/disposition-notification",
                          "message/global-disposition-notification", "message/feedback-report"})


@dataclass
class Body:
    """What one walk finds: text and HTML bodies, attachments, and the mail a bounce returns."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    returned: list[Message] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    charset: str = ""  # the codec the first text body was read with: the guide for raw 8-bit headers
    reports: list[str] = field(default_factory=list)  # report part types: message/delivery-status, ...


def raw_header(part: Message, name: str) -> str:
    """The first raw value of a header in `part`, unfolded, or ''."""
    for key, value in part.raw_items():
        if key.lower() == name:
            return unescape_raw(value).replace("\r", "").replace("\n", "")
    return ""


def split_header(value: str) -> tuple[str, dict[str, str]]:
    """'text/plain; charset="utf-8"' -> ('text/plain', {'charset': 'utf-8'}), RFC 2231 decoded."""
    main = value.split(";", 1)[0].strip().lower()
    params: dict[str, str] = {}
    pieces: dict[str, list[tuple[int, bool, str]]] = {}
    for key, raw in _PARAM.findall(value):
        key = key.lower()
        text = raw.strip()
        if text.startswith('"'):
            text = re.sub(r"\\(.)", r"\1", text.strip('"'))
        found = _CONTINUATION.match(key)
        if found:
            pieces.setdefault(found.group(1), []).append((int(found.group(2)), bool(found.group(3)), text))
        elif key.endswith("*"):
            pieces.setdefault(key[:-1], []).append((0, True, text))
        else:
            params.setdefault(key, text)
    for key, segments in pieces.items():
        params[key] = _join_rfc2231(sorted(segments))
    return main, params


def _join_rfc2231(segments: list[tuple[int, bool, str]]) -> str:
    """Join RFC 2231 continuations; 'charset'lang'%XX' segments are percent-decoded."""
    charset, data = None, b""
    for index, encoded, text in segments:
        if encoded and index == 0 and text.count("'") >= 2:
            charset, _language, text = text.split("'", 2)
        data += unquote_to_bytes(text) if encoded else text.encode("utf-8", "surrogateescape")
    return decode_bytes(data, charset or "utf-8")


def safe_filename(name: str, content_type: str) -> str:
    """A basename that is safe to show and to store: no path, no control characters."""
    name = decode_header_value(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(name) > 180:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:170] + dot + extension[:9]) if dot and len(extension) < 10 else name[:180]
    fallback = ".txt" if content_type.startswith("text/") else ".bin"
    return name or "attachment" + (mimetypes.guess_extension(content_type) or fallback)


def content_bytes(part: Message) -> bytes:
    """A leaf's body with its transfer encoding undone (RFC 2045 section 6).

    Reads Content-Transfer-Encoding raw rather than through get_payload(decode=True), which
    re-parses headers on every call; rare encodings (uuencode) and broken base64 still go to
    the standard library.
    """
    payload = stored_payload(part)
    if not isinstance(payload, str):
        return b""
    try:
        data = payload.encode("ascii", "surrogateescape")  # the parser keeps 8-bit bytes as surrogates
    except UnicodeEncodeError:
        data = payload.encode("utf-8", "surrogateescape")
    encoding = raw_header(part, "content-transfer-encoding").strip().lower()
    if encoding in ("", "7bit", "8bit", "binary"):
        return data
    try:
        if encoding == "base64":
            return binascii.a2b_base64(data)
        if encoding == "quoted-printable":
            return binascii.a2b_qp(data)
    except binascii.Error:
        pass
    decoded = part.get_payload(decode=True)  # bytes for a non-multipart part
    return decoded if isinstance(decoded, bytes) else b""


def stored_payload(part: Message) -> str | list[Message]:
    """The payload exactly as the parser stored it: subparts, or text with 8-bit bytes escaped.

    Message offers no public accessor for it: get_payload() re-parses Content-Type and
    Content-Transfer-Encoding through the header registry (slow, and it raises on some
    malformed parameters) and re-decodes 8-bit text with whatever charset the part claims.
    """
    return part._payload  # type: ignore[attr-defined]  # private: the stubs omit it


def walk(message: Message) -> Body:
    """Collect the bodies, attachments and returned mail of `message` in one pass."""
    body = Body()
    _collect(message, body)
    return body


def _collect(part: Message, body: Body) -> None:
    ctype, params = split_header(raw_header(part, "content-type") or "text/plain")
    body.defects.extend(type(defect).__name__ for defect in part.defects)
    payload = stored_payload(part)
    if ctype.startswith("multipart/") and isinstance(payload, list):
        if ctype == "multipart/alternative":
            _alternative(payload, body)
        else:
            for child in payload:
                _collect(child, body)
        return
    disposition, dparams = split_header(raw_header(part, "content-disposition"))
    attached = disposition == "attachment" or "filename" in dparams  # a `name=` alone marks no file
    # No type, a broken one, or a multipart without its boundary: read as text/plain (RFC 2045 5.2).
    is_body_text = ctype in ("text/plain", "text/html") or "/" not in ctype or ctype.startswith("multipart/")
    if is_body_text and not attached:
        text, codec = decode_with(content_bytes(part), params.get("charset"), body.charset or None)
        body.charset = body.charset or codec
        (body.html if ctype == "text/html" else body.plain).append(text.replace("\r\n", "\n"))
        return
    if ctype in REPORT_TYPES:
        body.reports.append(ctype)
    if ctype in _ORIGINAL_TYPES and isinstance(payload, list) and payload:
        body.returned.append(payload[0])
    elif ctype in _HEADER_TYPES:
        body.returned.append(_headers_only(part))
    body.attachments.append(_attachment(part, ctype, params, disposition, dparams))


def _alternative(children: list[Message], body: Body) -> None:
    """Keep the first plain and the first HTML rendering; attachments of the others too."""
    found = []
    for child in children:
        sub = Body()
        _collect(child, sub)
        found.append(sub)
    plain = next((sub for sub in found if sub.plain), None)
    html = next((sub for sub in found if sub.html), None)
    for sub in found:
        if sub is plain or sub is html or not (sub.plain or sub.html):
            body.attachments.extend(sub.attachments)
            body.returned.extend(sub.returned)
        body.defects.extend(sub.defects)
        body.reports.extend(sub.reports)
        body.charset = body.charset or sub.charset
    body.plain.extend(plain.plain if plain else [])
    body.html.extend(html.html if html else [])


def _attachment(part: Message, ctype: str, params: dict[str, str], disposition: str,
                dparams: dict[str, str]) -> Attachment:
    payload = stored_payload(part)
    if isinstance(payload, list):  # message/rfc822, message/delivery-status: parsed blocks
        data = b"".join(block.as_bytes(policy=_UNFOLDED) for block in payload)
    else:
        data = content_bytes(part)
    content_id = raw_header(part, "content-id").strip().strip("<>")
    name = dparams.get("filename") or params.get("name") or ""
    return Attachment(filename=safe_filename(name, ctype), content_type=ctype, data=data,
                      inline=disposition == "inline" or (bool(content_id) and disposition != "attachment"),
                      content_id=content_id)


def _headers_only(part: Message) -> Message:
    """A text/rfc822-headers part (RFC 6522) read as the header block of the returned mail."""
    text = decode_bytes(content_bytes(part), None)
    return HeaderParser(_class=EmailMessage, policy=part.policy).parsestr(text)
