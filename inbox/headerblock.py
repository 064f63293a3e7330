"""Header blocks that mail clients read but the standard library's parser gives up on, mended for parsing.

The parser ends the header block at the first line that is not a header, so one odd line makes a
mail senderless or empty, where mail clients and other helpdesks still read it. Mended here, on
a copy made for parsing only (the raw copy ingestion keeps is the mail exactly as it arrived):

- classic-Mac line endings (CR only) become LF: the parser splits such a file into one header line;
- RFC 5322 section 4.5's obsolete syntax, white space before the colon (`From  : ...`);
- a folded header whose continuation lost its indentation, when header lines follow it;
- a few junk lines above an intact header block (a web form's `---- Original email message ----`),
  or blank lines.

Each mend is noted, for the message's defects.
"""
from __future__ import annotations

import re

_HEADER_LINE = re.compile(rb"[!-9;-~]+:")  # RFC 5322 field name, then the colon
_OBSOLETE_NAME = re.compile(rb"([!-9;-~]+)[ \t]+:")  # obs-optional: white space before the colon
_CONTINUATION = re.compile(rb"[ \t]")
_ODD_LINE = re.compile(rb"\n(?![!-9;-~]+:|[ \t])")  # a line in the block that is neither header nor fold
_UNIX_FROM = re.compile(rb"From ")
_ESSENTIAL = re.compile(rb"(?:from|to|subject|date|message-id|sender|reply-to):", re.IGNORECASE)
_BARE_CR = re.compile(rb"\r(?!\n)")
MAX_JUNK_LINES = 3


def mend(raw: bytes) -> tuple[bytes, list[str]]:
    """The bytes to parse, and a note for each mend made; `raw` itself when nothing needed mending.

    Plain byte searches rather than regular expressions over the block: this runs on every mail,
    and a pattern like `\r?\n` is tried at every byte.
    """
    notes: list[str] = []
    if raw[:1] in (b"\r", b"\n") and raw.lstrip(b"\r\n")[:1] not in (b"", b" ", b"\t"):
        raw = raw.lstrip(b"\r\n")
        notes.append("blank lines before the header block skipped")
    first_break = raw.find(b"\n")
    if b"\r" in raw[:first_break if first_break >= 0 else len(raw)].rstrip(b"\r"):
        raw = _BARE_CR.sub(b"\n", raw)
        notes.append("CR line endings read as line breaks")
        first_break = raw.find(b"\n")
    crlf = first_break > 0 and raw[first_break - 1] == 0x0d
    end = _block_end(raw, crlf)
    head, rest = raw[:end], raw[end:]
    if (_HEADER_LINE.match(head) or _UNIX_FROM.match(head)) and not _ODD_LINE.search(head):
        return raw, notes
    lines = [line[:-1] if line.endswith(b"\r") else line for line in head.split(b"\n")]
    lines = _junk_dropped(lines, notes)
    lines = [_obsolete_fixed(line, notes) for line in lines]
    lines = _folds_restored(lines, notes)
    return (b"\r\n" if crlf else b"\n").join(lines) + rest, notes


def _block_end(raw: bytes, crlf: bool) -> int:
    """Where the header block ends: the line break before the first empty line, or the end."""
    end = raw.find(b"\r\n\r\n" if crlf else b"\n\n")
    if end < 0:  # line endings mixed: the other kind of empty line
        end = raw.find(b"\n\r\n" if not crlf else b"\n\n")
        end = end - 1 if end > 0 and raw[end - 1] == 0x0d else end
    return len(raw) if end < 0 else end


def _is_header(line: bytes) -> bool:
    return bool(_HEADER_LINE.match(line) or _OBSOLETE_NAME.match(line))


def _junk_dropped(lines: list[bytes], notes: list[str]) -> list[bytes]:
    """Drop up to MAX_JUNK_LINES lines above a header block that holds From, To, Subject or the like."""
    if _is_header(lines[0]) or _UNIX_FROM.match(lines[0]):
        return lines
    for start in range(1, min(MAX_JUNK_LINES, len(lines) - 1) + 1):
        block = lines[start:start + 2]
        if all(_is_header(line) for line in block) and any(_ESSENTIAL.match(line) for line in block):
            junk = b" / ".join(lines[:start]).decode("utf-8", "replace")[:80]
            notes.append(f"junk before the header block skipped: {junk}")
            return lines[start:]
    return lines


def _obsolete_fixed(line: bytes, notes: list[str]) -> bytes:
    found = _OBSOLETE_NAME.match(line)
    if not found or _HEADER_LINE.match(line):
        return line
    notes.append(f"white space before the colon of {found.group(1).decode('ascii', 'replace')}")
    return found.group(1) + b":" + line[found.end():]


def _folds_restored(lines: list[bytes], notes: list[str]) -> list[bytes]:
    """Indent a line that is no header when a header line follows it: a fold that lost its indentation."""
    last_header = max((i for i, line in enumerate(lines) if _HEADER_LINE.match(line)), default=-1)
    out = []
    for i, line in enumerate(lines):
        if 0 < i < last_header and line and not _HEADER_LINE.match(line) and not _CONTINUATION.match(line):
            notes.append("folded header line without indentation")
            line = b" " + line
        out.append(line)
    return out
