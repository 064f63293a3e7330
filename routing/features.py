"""What the classifier reads from a message: its words plus a few signal tokens.

The words are the subject and what the sender wrote in this message (`new_text`), not the quoted
history: a refund question quoting our return authorisation is about the refund. The signals the
words alone miss become tokens of their own, so the model learns their weights next to the words':
`__mailbox_press` (press@ is pre-sales, yet a return sent there is still a return),
`__has_order`/`__many_orders`, `__has_attachment` and `__lang_de`. They are kept apart from the
text so no word n-gram spans a word and a signal.
"""
from __future__ import annotations

from dataclasses import dataclass

from routing.extract import order_numbers
from tickets.mail import ParsedMessage

SIGNAL_PREFIX = "__"


@dataclass(frozen=True)
class Example:
    """One message as the model sees it; `queue` is its label when it is training data."""

    mailbox: str
    subject: str
    text: str
    language: str = ""
    has_attachment: bool = False
    queue: str = ""


def body_text(parsed: ParsedMessage) -> str:
    """The new text of the message, or the whole text when the parser found no new part."""
    return parsed.new_text.strip() or parsed.text.strip()


def example_from_parsed(parsed: ParsedMessage, mailbox: str, queue: str = "") -> Example:
    """The model's view of a parsed mail; inline images (logos, signatures) are not attachments."""
    attached = any(not a.inline for a in parsed.attachments)
    return Example(mailbox=mailbox, subject=parsed.subject, text=body_text(parsed),
                   language=parsed.language, has_attachment=attached, queue=queue)


def signals(example: Example, orders: tuple[str, ...]) -> list[str]:
    """The signal tokens of a message (the mailbox, order numbers, attachments, language)."""
    tokens = [f"{SIGNAL_PREFIX}mailbox_{example.mailbox}"]
    if orders:
        tokens.append(f"{SIGNAL_PREFIX}has_order")
    if len(orders) > 1:
        tokens.append(f"{SIGNAL_PREFIX}many_orders")
    if example.has_attachment:
        tokens.append(f"{SIGNAL_PREFIX}has_attachment")
    if example.language:
        tokens.append(f"{SIGNAL_PREFIX}lang_{example.language}")
    return tokens


def text_of(example: Example) -> str:
    """The words the vectorizers read: the subject, then the body."""
    return f"{example.subject}\n{example.text}"


def document(example: Example, orders: tuple[str, ...] | None = None) -> tuple[str, str]:
    """What the model reads: the text, and the signal tokens joined by spaces."""
    text = text_of(example)
    found = order_numbers(text) if orders is None else orders
    return text, " ".join(signals(example, found))
