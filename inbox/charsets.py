"""Bytes to text for every charset real mail declares, and for the ones it lies about.

Mail labels are unreliable: 'us-ascii' on UTF-8 text, 'iso-8859-1' on Windows-1252 smart
quotes, 'gb2312' on GBK, made-up names. Decoding never raises: the declared charset is tried
strictly, then UTF-8, then the declared charset (or Windows-1252) with replacement characters.
"""
from __future__ import annotations

import binascii
import codecs
import functools
import re

# Labels mapped to the superset real mailers actually write (as the WHATWG Encoding standard does).
_SUPERSETS = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "shift_jis": "cp932", "shift-jis": "cp932",
    "x-sjis": "cp932", "sjis": "cp932", "ms_kanji": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "iso-2022-jp": "iso2022_jp_ext", "tis-620": "cp874", "iso-8859-11": "cp874", "iso-8859-9": "cp1254",
    "iso-8859-8-i": "iso-8859-8", "iso-8859-6-i": "iso-8859-6", "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "", "unknown-8bit": "", "unknown": "", "x-user-defined": "", "default": "",
}
# Python codecs that are no mail charset: decoding with them raises or rewrites the text.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape"})
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(?==\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.lru_cache(maxsize=256)
def codec_for(charset: str | None) -> str:
    """The Python codec to try for a declared charset; '' when unknown or meaningless."""
    label = (charset or "").strip().strip("\"'").lower().split("*", 1)[0]
    label = _SUPERSETS.get(label, label)
    if not label:
        return ""
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or not even a valid name (embedded NUL)
        return ""
    return "" if name in _NOT_CHARSETS else name


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from bytes labelled `charset`, never raising whatever the label or the bytes."""
    codec = codec_for(charset)
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeError, LookupError):  # LookupError: a codec that is not a text encoding
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec and codec not in ("ascii", "utf-8"):
        try:
            return data.decode(codec, errors="replace")
        except (UnicodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def unescape_raw(value: str) -> str:
    """Undo the parser's surrogate escapes: raw 8-bit header bytes decoded as UTF-8 or cp1252."""
    if value.isascii() or not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), None)


def decode_header_value(value: str) -> str:
    """A raw header value as readable text: unfolded, 8-bit bytes and RFC 2047 words decoded.

    Hand-rolled rather than the header registry because it is several times faster and it
    cannot raise on the malformed encoded-words that spam and old mailers produce.
    """
    if value.isascii() and "=?" not in value:  # the common case: plain ASCII, maybe folded
        text = value.replace("\r", "").replace("\n", "")
        return (text if text.isprintable() else _CONTROL.sub("", text)).strip()
    text = _FOLD.sub("", unescape_raw(value))
    if "=?" in text:
        text = _ENCODED_WORD.sub(_decode_word, _BETWEEN_WORDS.sub(r"\1", text))
    return _CONTROL.sub("", text).strip()


def _decode_word(word: re.Match[str]) -> str:
    charset, kind, payload = word.groups()
    if not payload.isascii():  # 8-bit bytes inside an encoded-word: not one, show it as written
        return word.group()
    try:
        if kind in "bB":
            data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            data = binascii.a2b_qp(payload, header=True)
    except binascii.Error:
        return word.group()
    return decode_bytes(data, charset)
