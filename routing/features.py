"""What the classifier reads from a message: its words, the history it quotes, and a few signals.

The customer's new text (and the subject) comes first: a refund question on top of our quoted
return authorisation is about the refund. Quoted history, forwarded mail and the signature are
read too, in a block of their own that the model weighs down (model.py): "see below" above a
forwarded carrier notice says little by itself. The signals the words alone miss become tokens of
their own, so the model learns their weights next to the words': `__mailbox_press` (press@ is
pre-sales, yet a return sent there is still a return), `__has_order`/`__many_orders`,
`__has_attachment`, `__lang_de`, `__short` (a one-line mail), and `__earlier_<queue>` for the
queues of the sender's earlier tickets (a business that bought wholesale before, a customer who
sent a return and now asks "any news?"). They are kept apart from the text so no word n-gram
spans a word and a signal.

Every part is cut to a bounded prefix first, so a 40 MB single-line mail costs what a long
ordinary one does: what decides a mail's queue is in its opening, not in its fortieth megabyte.
"""
from __future__ import annotations

from dataclasses import dataclass

from routing.extract import DEFAULT, OrderPattern, order_numbers
from tickets.mail import ParsedMessage

SIGNAL_PREFIX = "__"
SUBJECT_CHARS = 300
TEXT_CHARS = 4_000
QUOTED_CHARS = 2_000
SHORT_WORDS = 12
EARLIER_KEPT = 3


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


Document = tuple[str, str, str]  # (subject and new text, quoted history and signature, signal tokens)


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
    tokens.extend(f"{SIGNAL_PREFIX}earlier_{queue}" for queue in dict.fromkeys(example.earlier))
    return tokens


def text_of(example: Example) -> str:
    """The words the model reads first: the subject, then the new text."""
    return f"{example.subject}\n{example.text}"


def document(example: Example, orders: tuple[str, ...] | None = None, pattern: OrderPattern = DEFAULT) -> Document:
    """What the model reads: the new text, the quoted text, and the signal tokens joined by spaces."""
    text = text_of(example)
    found = order_numbers(text, pattern) if orders is None else orders
    return text, example.quoted, " ".join(signals(example, found))
