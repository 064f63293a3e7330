"""Bytes to text for every charset real mail declares, and for the ones it lies about.

Mail labels are unreliable: 'us-ascii' on UTF-8 text, 'iso-8859-1' on Windows-1252 smart
quotes, 'gb2312' on GBK, made-up names, and 8-bit text with no label at all. Decoding never
raises. In order: the declared charset strictly; a 7-bit charset (ISO-2022, UTF-7) that fails
strictly is still read by its own rules, with replacement characters, since any 7-bit data would
also pass for UTF-8; 8-bit data that is valid UTF-8 as UTF-8; a real declared charset with
replacement characters; and 8-bit data with no usable label first in the charset that guides
it (for a header, the body's), then in the charset chardet detects, then in Windows-1252.
"""
from __future__ import annotations

import binascii
import codecs
import functools
import re

from inbox.iso2022 import decode_iso2022

# Labels mapped to the superset real mailers actually write (as the WHATWG Encoding standard does).
_SUPERSETS = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "shift_jis": "cp932", "shift-jis": "cp932",
    "x-sjis": "cp932", "sjis": "cp932", "ms_kanji": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "iso-2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext", "iso-2022-cn": "iso-2022",
    "iso-2022-cn-ext": "iso-2022", "tis-620": "cp874", "iso-8859-11": "cp874", "iso-8859-9": "cp1254",
    "iso-8859-8-i": "iso-8859-8", "iso-8859-6-i": "iso-8859-6", "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "", "unknown-8bit": "", "unknown": "", "x-user-defined": "", "default": "",
}
# Python codecs that are no mail charset: decoding with them raises or rewrites the text.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape"})
ISO2022 = "iso-2022"  # ISO-2022-CN and whatever ISO-2022 data a strict codec refuses: inbox.iso2022
_ISO2022_CODECS = frozenset({ISO2022, "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004",
                             "iso2022_jp_3", "iso2022_jp_ext", "iso2022_kr"})
_UNICODE = frozenset({"ascii", "utf-8"})
# Latin-script code pages (codecs.lookup names); those mail uses, Windows-1252 first: it wins ties.
_LATIN = frozenset({"cp1252", "iso8859-2", "cp1250", "cp1257", "cp1254", "iso8859-15", "iso8859-4", "iso8859-3",
                    "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-16", "mac-roman", "cp850",
                    "cp852", "mac-latin2", "mac-iceland", "iso8859-1", "cp437"})
LETTERS_SAMPLE = 20_000  # bytes: the opening of a long text says enough
_LATIN_IN_MAIL = ("cp1252", "iso8859-2", "cp1250", "cp1257", "cp1254")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(?==\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.lru_cache(maxsize=256)
def codec_for(charset: str | None) -> str:
    """The Python codec to try for a declared charset; '' when unknown or meaningless."""
    label = (charset or "").strip().strip("\"'").lower().split("*", 1)[0]
    label = _SUPERSETS.get(label, label)
    if not label or label == ISO2022:
        return label
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or not even a valid name (embedded NUL)
        return ""
    return "" if name in _NOT_CHARSETS else name


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):  # LookupError: a codec that is not a text encoding
        return None


def decode_bytes(data: bytes, charset: str | None, guide: str | None = None) -> str:
    """Text from bytes labelled `charset`, never raising whatever the label or the bytes."""
    return decode_with(data, charset, guide)[0]


def decode_with(data: bytes, charset: str | None, guide: str | None = None) -> tuple[str, str]:
    """The text, and the codec that read it: `charset` as declared, else as the module docstring orders.

    `guide` is the charset to try on 8-bit data without a usable label before detection (for
    headers, the body's), since a detector guesses poorly on a few bytes.
    """
    codec = codec_for(charset)
    if codec and codec != ISO2022:
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    if codec in _ISO2022_CODECS:
        return decode_iso2022(data), codec
    if codec == "utf-7":
        return data.decode("utf-7", errors="replace"), codec
    if data.isascii():  # no 8-bit byte: nothing to guess
        return data.decode("ascii"), "ascii"
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    if codec and codec not in _UNICODE:
        return data.decode(codec, errors="replace"), codec
    return _undeclared(data, guide)


def _undeclared(data: bytes, guide: str | None) -> tuple[str, str]:
    guided = codec_for(guide)
    if guided and guided not in _UNICODE and guided != ISO2022:
        text = _strict(data, guided)
        if text is not None:
            return text, guided
    detected = detect_codec(data)
    if detected:
        return data.decode(detected, errors="replace"), detected
    return data.decode("cp1252", errors="replace"), "cp1252"


def detect_codec(data: bytes) -> str:
    """The codec chardet finds for 8-bit data that is not UTF-8, as its Windows superset; '' if none fits.

    chardet rather than charset-normalizer: on short GB 2312, EUC-KR, KOI8-R and Shift_JIS mail
    text charset-normalizer picked a wrong charset where chardet picked the right one. Between the
    Latin-script charsets a few bytes cannot tell chardet which (French text came back as a
    Central European code page): there the one whose reading has the most letters wins, Windows-1252
    on a tie. Imported here: loading chardet's models takes a tenth of a second, and most mail never
    needs it.
    """
    import chardet

    found = chardet.detect(data, prefer_superset=True, compat_names=False)
    codec = codec_for(found.get("encoding"))
    if codec in _UNICODE or codec in _ISO2022_CODECS:
        return ""
    if not codec or codec in _LATIN:
        return max(_LATIN_IN_MAIL, key=lambda latin: _letters(data, latin))
    return codec


def _letters(data: bytes, codec: str) -> int:
    """How many of the 8-bit bytes read as letters in `codec`: the others read as symbols or controls."""
    text = data[:LETTERS_SAMPLE].decode(codec, errors="replace")
    return sum(1 for char in text if not char.isascii() and char.isalpha())


def unescape_raw(value: str, guide: str | None = None) -> str:
    """Undo the parser's surrogate escapes: raw 8-bit header bytes read as UTF-8, in the guide's
    charset (the body's), as detected, or as Windows-1252, in that order."""
    if value.isascii() or not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), None, guide)


def decode_header_value(value: str, guide: str | None = None) -> str:
    """A raw header value as readable text: unfolded, 8-bit bytes and RFC 2047 words decoded.

    Hand-rolled rather than the header registry because it is several times faster and it
    cannot raise on the malformed encoded-words that spam and old mailers produce. `guide`: the
    charset raw 8-bit bytes are tried in after UTF-8 (the body's declared one).
    """
    if value.isascii() and "=?" not in value:  # the common case: plain ASCII, maybe folded
        text = value.replace("\r", "").replace("\n", "")
        return (text if text.isprintable() else _CONTROL.sub("", text)).strip()
    text = _FOLD.sub("", unescape_raw(value, guide))
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
