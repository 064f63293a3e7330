"""ISO-2022 text (RFC 1468 JP, RFC 1557 KR, RFC 1922 CN) read by its escape sequences, never raising.

Python's strict ISO-2022 codecs refuse a whole body for one character outside the standard set,
and real Japanese mail is full of them: Windows writes NEC and IBM extensions (circled digits,
roman numerals; Microsoft's CP50220/CP50221) under the label 'iso-2022-jp'. Each double-byte
segment is read with the Windows superset of its character set instead: JIS X 0208 rows as
Shift_JIS (cp932), KS X 1001 as cp949, GB 2312 as GB 18030. What no set knows (the CNS 11643
planes of ISO-2022-CN) becomes U+FFFD; escape sequences never reach the text.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_ESCAPE = re.compile(rb"\x1b(\(B|\(J|\(I|\$@|\$B|\$\(B|\$\(D|\$\(Q|\$\(O|\$A|\$\(A|\$\)A|\$\(C|\$\)C|\$\)G|\$\*H|\$\+I"
                     rb"|N|\.A|\.F)")
_SHIFT = re.compile(rb"[\x0e\x0f]")
_ASCII, _KATAKANA, _JIS0208, _JIS0212, _JIS0213, _GB2312, _KSC5601, _UNKNOWN = range(8)
_SETS = {b"(B": _ASCII, b"(J": _ASCII, b"(I": _KATAKANA, b"$@": _JIS0208, b"$B": _JIS0208, b"$(B": _JIS0208,
         b"$(D": _JIS0212, b"$(Q": _JIS0213, b"$(O": _JIS0213, b"$A": _GB2312, b"$(A": _GB2312, b"$)A": _GB2312,
         b"$(C": _KSC5601, b"$)C": _KSC5601}
_G1 = frozenset({b"$)A", b"$)C", b"$)G"})  # designated to G1: used between SO and SI


def decode_iso2022(data: bytes) -> str:
    """Text of ISO-2022-JP/-JP-2/-KR/-CN bytes, with U+FFFD for what no set here holds."""
    out: list[str] = []
    g0, g1, shifted = _ASCII, _UNKNOWN, False
    position = 0
    for found in _ESCAPE.finditer(data):
        text, shifted = _segments(data[position:found.start()], g0, g1, shifted)
        out.append(text)
        code = found.group(1)
        if code in _G1:
            g1 = _SETS.get(code, _UNKNOWN)
        elif code not in (b"N", b".A", b".F"):  # single shifts and 96-sets (ISO-2022-JP-2's Latin) are rare
            g0 = _SETS.get(code, _UNKNOWN)
        position = found.end()
    out.append(_segments(data[position:], g0, g1, shifted)[0])
    return "".join(out)


def _segments(chunk: bytes, g0: int, g1: int, shifted: bool) -> tuple[str, bool]:
    """Decode a run without escape sequences, honouring SO/SI (shift to G1 and back); the shift after it."""
    out, position = [], 0
    for found in _SHIFT.finditer(chunk):
        out.append(_decode(chunk[position:found.start()], g1 if shifted else g0))
        shifted = found.group() == b"\x0e"
        position = found.end()
    out.append(_decode(chunk[position:], g1 if shifted else g0))
    return "".join(out), shifted


def _decode(chunk: bytes, charset: int) -> str:
    if not chunk:
        return ""
    if charset == _ASCII:
        return chunk.decode("ascii", "replace")
    if charset == _KATAKANA:
        return bytes(b | 0x80 if 0x21 <= b <= 0x5f else b for b in chunk).decode("cp932", "replace")
    if charset == _JIS0208:
        return _double(chunk, _shift_jis, "cp932")
    if charset == _JIS0212:
        return _double(chunk, lambda a, b: bytes((0x8f, a | 0x80, b | 0x80)), "euc_jp")
    if charset == _JIS0213:
        return _double(chunk, lambda a, b: bytes((a | 0x80, b | 0x80)), "euc_jis_2004")
    if charset == _GB2312:
        return _double(chunk, lambda a, b: bytes((a | 0x80, b | 0x80)), "gb18030")
    if charset == _KSC5601:
        return _double(chunk, lambda a, b: bytes((a | 0x80, b | 0x80)), "cp949")
    return "\ufffd" * (len(chunk.strip(b"\r\n")) // 2) + "\n" * chunk.count(b"\n")


def _double(chunk: bytes, convert: Callable[[int, int], bytes], codec: str) -> str:
    """Pairs of 7-bit bytes through `convert` into `codec`; line breaks pass through."""
    out = bytearray()
    pair = bytearray()
    for byte in chunk:
        if byte in (0x0a, 0x0d):  # a line break inside a double-byte run: keep it, drop a dangling half
            out += byte.to_bytes(1, "big")
            pair.clear()
            continue
        pair.append(byte)
        if len(pair) == 2:
            out += convert(pair[0], pair[1])
            pair.clear()
    return bytes(out).decode(codec, "replace")


def _shift_jis(first: int, second: int) -> bytes:
    """JIS X 0208 row and cell (0x21-0x7E each) to their Shift_JIS bytes (JIS X 0208 appendix 1)."""
    lead = ((first + 1) >> 1) + (0x70 if first <= 0x5e else 0xb0)
    if first & 1:
        trail = second + (0x1f if second <= 0x5f else 0x20)
    else:
        trail = second + 0x7e
    return bytes((lead, trail))
