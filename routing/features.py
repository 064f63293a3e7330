"""What the classifier reads from a message: its words, the history it quotes, and a few signals.

The customer's new text (and the subject) comes first: a refund question on top of our quoted
return authorisation is about the refund. Quoted history, forwarded mail and the signature are
read too, in a block of their own that the model weighs down (model.py): "see below" above a
forwarded carrier notice says little by itself. The signals the words alone miss become tokens of
their own, so the model learns their weights next to the words': `__mailbox_press` (press@ is
pre-sales, yet a return sent there is still a return), `__has_order`/`__many_orders`,
`__has_attachment`, `__lang_de` and `__short` (a one-line mail). The queues of the sender's
earlier tickets are tokens of their own too (`__earlier_returns`), in a block the model weighs more
than the other signals: a customer who sent a return and now asks "any news?" is asking about it,
and a business that bought wholesale before usually does again. They are kept apart from the
text so no word n-gram spans a word and a signal.

A text's words count in proportion to how many there are, up to `FULL_EVIDENCE_WORDS`
(`evidence`): "Hi, I have a question" is one word of evidence, not a certainty about anything.

Every part is cut to a bounded prefix first, so a 40 MB single-line mail costs what a long
ordinary one does: what decides a mail's queue is in its opening, not in its fortieth megabyte.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from sklearn.feature_extraction.text import strip_accents_unicode

from routing.extract import DEFAULT, OrderPattern, order_numbers
from routing.stopwords import STOP_WORDS
from routing.textnorm import WORD_PATTERN
from tickets.mail import ParsedMessage

SIGNAL_PREFIX = "__"
SUBJECT_CHARS = 300
TEXT_CHARS = 4_000
QUOTED_CHARS = 2_000
SHORT_WORDS = 12
EARLIER_KEPT = 3
FULL_EVIDENCE_WORDS = 8
_WORDS = re.compile(WORD_PATTERN)
_STOP = frozenset(STOP_WORDS)


@dataclass(frozen=True)
class Example:
    """One message as the model sees it; `queue` is its label when it is training data."""

    mailbox: str
    subject: str
    text: str
    quoted: str = ""
    language: str = ""
    has_attachment: bool = False
    earlier: tuple[str, ...] = ()
    queue: str = ""


class Document(NamedTuple):
    """What the model reads of one mail."""

    text: str  # the subject and the new text
    quoted: str  # quoted history, forwarded mail and the signature
    signals: str  # signal tokens, space-separated, the mailbox first
    history: str  # the queues of the sender's earlier tickets, as tokens
    evidence: float  # how far the words can be trusted: 1.0 from FULL_EVIDENCE_WORDS words on


def _prefix(text: str, limit: int) -> str:
    return text[:limit].strip()


def example_from_parsed(parsed: ParsedMessage, mailbox: str, queue: str = "",
                        earlier: tuple[str, ...] = ()) -> Example:
    """The model's view of a parsed mail; inline images (logos, signatures) are not attachments.

    Without a new part (the parser found only history) the whole text is the new text.
    """
    new = _prefix(parsed.new_text, TEXT_CHARS)
    text = new or _prefix(parsed.text, TEXT_CHARS)
    quoted = _prefix(f"{parsed.quoted_text}\n{parsed.signature}", QUOTED_CHARS) if new else ""
    attached = any(not a.inline for a in parsed.attachments)
    return Example(mailbox=mailbox, subject=_prefix(parsed.subject, SUBJECT_CHARS), text=text, quoted=quoted,
                   language=parsed.language, has_attachment=attached, earlier=tuple(earlier[:EARLIER_KEPT]),
                   queue=queue)


def signals(example: Example, orders: tuple[str, ...]) -> list[str]:
    """The signal tokens of a message (mailbox, order numbers, attachments, language, length, history)."""
    tokens = [f"{SIGNAL_PREFIX}mailbox_{example.mailbox}"]
    if orders:
        tokens.append(f"{SIGNAL_PREFIX}has_order")
    if len(orders) > 1:
        tokens.append(f"{SIGNAL_PREFIX}many_orders")
    if example.has_attachment:
        tokens.append(f"{SIGNAL_PREFIX}has_attachment")
    if example.language:
        tokens.append(f"{SIGNAL_PREFIX}lang_{example.language}")
    if len(example.text.split(maxsplit=SHORT_WORDS)) <= SHORT_WORDS:
        tokens.append(f"{SIGNAL_PREFIX}short")
    return tokens


def history(example: Example) -> list[str]:
    """The sender's earlier tickets' queues as tokens, each once."""
    return [f"{SIGNAL_PREFIX}earlier_{queue}" for queue in dict.fromkeys(example.earlier)]


def evidence(text: str) -> float:
    """sqrt(words / FULL_EVIDENCE_WORDS), at most 1, counting words that are not greetings or function
    words: "Hello, I have a question" is one word of evidence and counts a third as much."""
    words = 0
    for found in _WORDS.finditer(text):  # letters only already: lower-case them and strip accents, as the stop words
        word = found.group().lower()
        words += (word if word.isascii() else strip_accents_unicode(word)) not in _STOP
        if words >= FULL_EVIDENCE_WORDS:
            return 1.0
    return (words / FULL_EVIDENCE_WORDS) ** 0.5


def text_of(example: Example) -> str:
    """The words the model reads first: the subject, then the new text."""
    return f"{example.subject}\n{example.text}"


def document(example: Example, orders: tuple[str, ...] | None = None, pattern: OrderPattern = DEFAULT) -> Document:
    """What the model reads: the new text, the quoted text, the signal and history tokens, the evidence."""
    text = text_of(example)
    found = order_numbers(text, pattern) if orders is None else orders
    return Document(text, example.quoted, " ".join(signals(example, found)), " ".join(history(example)),
                    evidence(text))
