"""Separate what the sender wrote from the history it quotes and from the signature.

Two kinds of quoting occur. Clients that top-post above an unmarked copy (Outlook's 'From: /
Sent:' block, '-----Original Message-----', Yahoo's bare 'On ... wrote:') make everything after
the marker history. Clients that prefix quoted lines with '>' (Gmail, Apple Mail, Thunderbird)
may have new text above, below (bottom-posting) or between the quoted blocks; only the '>'
lines and the attribution right above them are history. Quoted text is kept, never dropped.
Markers are known by phrase (inbox.quotemarks) and, in any other language or script, by their
shape: a header block of `Label: value` lines with a time among them, an attribution line with a
time and an address that ends in a colon.

The signature split is conservative: losing a customer's words is worse than keeping a
sign-off, so only a '-- ' block near the end, an app footer ('Sent from my iPhone') or a
mailing list's footer under a rule goes.
mail-parser-reply was measured on tests/mail/quotes and not used: it separated 28 of the 36
fixtures (even counting its sign-off stripping as right) against 36 here, at about 9x the time;
it misses bottom-posting, inline answers and wrapped French and Spanish attributions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from inbox.quotemarks import (
    APP_FOOTER,
    ATTRIBUTION_START,
    EMAIL,
    FOOTER_LINE,
    FOOTER_RULE,
    FORWARD_SEPARATOR,
    FORWARD_SUBJECT,
    HEADER_FROM,
    HEADER_OTHER,
    LABEL_LINE,
    LABELLED_RULE,
    QUOTE_LINE,
    QUOTE_PREFIX,
    REPLY_SUBJECT,
    RULE_LINE,
    SEPARATOR,
    SIGNATURE_DELIMITER,
    STRONG_ATTRIBUTION,
    TIME,
    WEAK_ATTRIBUTION,
)

MAX_SEPARATED_CHARS = 200_000  # past this, text is appended unexamined (pasted logs, forwarded threads)
SIGNATURE_REACH = 15  # a '-- ' block longer than this many lines is not a signature
FOOTER_REACH = 4  # an app footer must be within this many lines of the end
LIST_FOOTER_REACH = 6  # a mailing list's footer under a rule: at most this many lines
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")
_DIGIT_OR_AT = re.compile(r"[\d@]")
_COLONS = (":", "：")
_RULE_CHARS = "-_=*"


@dataclass(frozen=True)
class Separated:
    """A text body split into the sender's new text, the quoted history and the signature."""

    new_text: str
    quoted_text: str
    signature: str


def is_forward(subject: str) -> bool:
    """The subject marks a forward (`Fwd:`, `WG:`, `TR:`, `RV:`, `Пересл:`, `转发:` ...)."""
    return bool(FORWARD_SUBJECT.match(subject))


def separate(text: str, forwarded: bool = False) -> Separated:
    """Split a plain-text body (HTML mail converted first) into new text, history and signature.

    A forward with no note of its own (`forwarded`: its subject says so, or a forward separator
    opens the history) shows the forwarded mail as what the sender wrote: it is what they sent us.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    if cut > MAX_SEPARATED_CHARS:
        cut = text.rfind("\n", 0, MAX_SEPARATED_CHARS) + 1  # 0 when the first line is longer: all unexamined
    lines, rest = text[:cut].split("\n"), text[cut:]
    start = _history_start(lines)
    new_lines, quoted_lines = _split_quoted(lines[:start])
    if start < len(lines):
        quoted_lines += [""] + lines[start:]
    new_lines, signature_lines = _split_signature(new_lines)
    new_text, quoted_text = _tidy(new_lines), _tidy(quoted_lines)
    if not new_text and quoted_text and (forwarded or _opens_with_forward(quoted_lines)):
        new_text, quoted_text = _unquoted(quoted_lines), ""
    rest = rest.rstrip()
    if rest:
        if quoted_text:
            quoted_text += "\n" + rest
        else:
            new_text = f"{new_text}\n{rest}" if new_text else rest
    return Separated(new_text, quoted_text, _tidy(signature_lines))


def _opens_with_forward(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return bool(FORWARD_SEPARATOR.match(QUOTE_PREFIX.sub("", first)))


def _unquoted(lines: list[str]) -> str:
    """The forwarded lines without one level of '>' marks: in a forward they mark the forward, not history."""
    return _tidy([QUOTE_PREFIX.sub("", line, count=1) if QUOTE_LINE.match(line) else line for line in lines])


def _tidy(lines: list[str]) -> str:
    return _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip("\n")


def _history_start(lines: list[str]) -> int:
    """Index of the first line of unmarked history (a separator, header block or attribution).

    Cheap tests on each line (its first character, a colon in it, a colon at its end) decide
    which patterns are worth trying: the splitter runs on every mail.
    """
    ends = [line.rstrip().endswith(_COLONS) for line in lines] + [False, False]
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped or QUOTE_LINE.match(line):
            continue
        if (stripped[0] in _RULE_CHARS or ends[i]) and (SEPARATOR.match(line) or FORWARD_SEPARATOR.match(line)):
            return _with_rule_above(lines, i)
        if (":" in line or "：" in line) and LABEL_LINE.match(line) and (
                (HEADER_FROM.match(line) and _header_block(lines, i)) or _header_block_shape(lines, i)):
            return _with_rule_above(lines, i)
        if ends[i] or ends[i + 1] or ends[i + 2]:
            span = _attribution_span(lines, i, strong=True)
            if span and _DIGIT_OR_AT.search(line) and not _quote_follows(lines, i + span):
                return _with_rule_above(lines, i)
    return len(lines)


def _header_block(lines: list[str], i: int) -> bool:
    """True when the 'From:' line at i heads a block of at least two more header labels."""
    labels: set[str] = set()
    for line in lines[i + 1:i + 8]:
        if not line.strip():
            if labels:
                break
            continue
        found = HEADER_OTHER.match(line)
        if found:
            labels.add(found.group().strip(" *:").lower())
    return len(labels) >= 2


def _header_block_shape(lines: list[str], i: int) -> bool:
    """True when a block of `Label: value` lines at i has the shape of a quoted mail's header, in any language.

    At least three label lines (a long value may wrap onto a line of its own), one value with a
    time of day (the Sent or Date line), and one more sign: a rule or separator above, a subject
    that answers or forwards (`RE:`, `Ответ:`, `回复：`), or four lines with an address on the first
    (From, Sent, To, Subject). A customer's own list of fields ('Name: ... Order: ... Date: ...')
    has none of these together.
    """
    values: list[str] = []
    j, blank = i, False
    while j < len(lines) and len(values) < 10:
        line = lines[j]
        found = LABEL_LINE.match(line)
        if found:
            values.append(found.group(1).strip(" *"))
            blank = False
        elif not line.strip() and not blank and values:
            blank = True
        elif not (values and line.strip() and j + 1 < len(lines) and LABEL_LINE.match(lines[j + 1])):
            break
        j += 1
    if len(values) < 3 or not any(TIME.search(value) for value in values):
        return False
    return (_rule_above(lines, i) or any(REPLY_SUBJECT.match(value) for value in values)
            or (len(values) >= 4 and bool(EMAIL.search(values[0]))))


def _rule_above(lines: list[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and bool(RULE_LINE.match(lines[j]) or LABELLED_RULE.match(lines[j]) or SEPARATOR.match(lines[j]))


def _with_rule_above(lines: list[str], i: int) -> int:
    """Move the start up over the rule Outlook draws above its header block ('____', '-- Исходное сообщение --')."""
    j = i
    while j > 0 and not lines[j - 1].strip():
        j -= 1
    return j - 1 if j > 0 and (RULE_LINE.match(lines[j - 1]) or LABELLED_RULE.match(lines[j - 1])) else i


def _attribution_span(lines: list[str], i: int, strong: bool) -> int:
    """How many lines from i form an attribution (clients wrap long ones), or 0.

    Strong: an attribution in a phrase list, or of the attribution's shape in any language (a time
    and an address, ending in a colon). Weak, which counts only right above a '>' block: also a bare
    '<name> wrote:', or any line ending in a colon with a time or an address. Only a line that opens
    like an attribution (a start word, a time, an address) may wrap onto the next ones.
    """
    if lines[i].rstrip().endswith(_COLONS):
        reach = 1
    elif any(line.rstrip().endswith(_COLONS) for line in lines[i + 1:i + 3]):
        opening = lines[i].lstrip()
        reach = 3 if ATTRIBUTION_START.match(opening) or TIME.search(opening) or "@" in opening else 0
    else:
        return 0
    joined = ""
    for span, line in enumerate(lines[i:i + reach], start=1):
        if not line.strip() or (span > 1 and QUOTE_LINE.match(line)):
            return 0
        joined = f"{joined} {line.strip()}" if joined else line.strip()
        if joined.endswith(_COLONS) and _is_attribution(joined, strong):
            return span
    return 0


def _is_attribution(joined: str, strong: bool) -> bool:
    if len(joined) > 400:
        return False
    if STRONG_ATTRIBUTION.match(joined):
        return True
    timed, addressed = bool(TIME.search(joined)), bool(EMAIL.search(joined))
    if timed and addressed:
        return True
    return not strong and bool(WEAK_ATTRIBUTION.match(joined) or timed or addressed)


def _quote_follows(lines: list[str], j: int) -> bool:
    for line in lines[j:]:
        if line.strip():
            return bool(QUOTE_LINE.match(line))
    return False


def _split_quoted(lines: list[str]) -> tuple[list[str], list[str]]:
    """Separate '>' quoted blocks, each with the attribution line(s) above it, from new lines."""
    quoted = [bool(QUOTE_LINE.match(line)) for line in lines]
    for i in range(len(lines)):
        if quoted[i] and (i == 0 or not quoted[i - 1]):
            _mark_attribution_above(lines, quoted, i)
    new_lines: list[str] = []
    quoted_lines: list[str] = []
    for i, line in enumerate(lines):
        if quoted[i]:
            if quoted_lines and i > 0 and not quoted[i - 1]:
                quoted_lines.append("")
            quoted_lines.append(line)
        else:
            new_lines.append(line)
    return new_lines, quoted_lines


def _mark_attribution_above(lines: list[str], quoted: list[bool], block: int) -> None:
    k = block - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    for span in (3, 2, 1):  # longest first: clients wrap long attributions
        first = k - span + 1
        if first < 0 or any(quoted[first:k + 1]):
            continue
        if _attribution_span(lines, first, strong=span > 1) == span:
            for j in range(first, block):
                quoted[j] = True
            return


def _split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off a '-- ' signature block, an app footer or a mailing list's footer found near the end."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for rank, i in enumerate(filled[-(SIGNATURE_REACH + 1):]):
        after = len(filled[-(SIGNATURE_REACH + 1):]) - rank - 1
        if SIGNATURE_DELIMITER.match(lines[i]):
            return lines[:i], lines[i + 1:]
        if after < FOOTER_REACH and APP_FOOTER.match(lines[i].strip()):
            return lines[:i], lines[i:]
        if 0 < after <= LIST_FOOTER_REACH and FOOTER_RULE.match(lines[i]) and any(
                FOOTER_LINE.search(lines[k]) for k in filled[-after:]):
            return lines[:i], lines[i + 1:]
    return lines, []
