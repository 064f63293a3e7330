"""Composed customer mail for the training set: the shapes real mail takes, from the voices_*.py pieces.

A template mail (make_training_set.py) is one well-formed request. Customers also write one line
from a phone with no greeting, ramble about their dog before asking, ask four things at once,
forward a thread with "see below", reply on top of an old order confirmation, greet in one
language and ask in another, and sign with a job title and a legal disclaimer. Each composed mail
draws one such shape; its label is the queue of what it asks. Follow-ups ("any news?") take the
queue of the sender's earlier ticket, which is the only thing that tells.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import ModuleType

FORWARD_SEPARATOR = {"en": "---------- Forwarded message ---------",
                     "de": "---------- Weitergeleitete Nachricht ----------",
                     "fr": "-------- Message transféré --------", "es": "---------- Mensaje reenviado ---------"}
FORWARD_LABELS = {"en": ("From", "Date", "Subject", "To"), "de": ("Von", "Datum", "Betreff", "An"),
                  "fr": ("De", "Date", "Objet", "À"), "es": ("De", "Fecha", "Asunto", "Para")}
SHAPES = ("short", "plain", "rambling", "questions", "forwarded", "quoted", "mixed")
SHAPE_WEIGHTS = (0.22, 0.24, 0.14, 0.14, 0.08, 0.11, 0.07)
# Which queues a sender's earlier ticket was in, given the queue of the new mail: follow-ups go from
# pre-sales to tracking, from returns to refunds, and businesses keep buying in bulk.
EARLIER = {
    "refunds": ("returns", "returns", "returns", "refunds", "order.tracking"),
    "returns": ("order.tracking", "presales.general", "returns"),
    "complaint.simple": ("order.tracking", "returns", "refunds", "complaint.simple"),
    "complaint.complex": ("complaint.simple", "refunds", "order.tracking", "complaint.complex"),
    "order.tracking": ("presales.general", "order.tracking", "order.tracking", "presales.complex"),
    "wholesale": ("wholesale", "wholesale", "wholesale", "presales.complex"),
    "presales.general": ("presales.general", "order.tracking"),
    "presales.complex": ("presales.general", "presales.complex"),
    "privacy": ("order.tracking", "presales.general", "returns"),
}
EARLIER_SHARE = 0.25
FOLLOWUP_SHARE = 0.35  # of the mails that have an earlier ticket


@dataclass
class Draft:
    """A composed mail before it becomes MIME: paragraphs, optional history, subject, label, history."""

    blocks: list[list[str]]
    head: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    subject: str = ""
    earlier: tuple[str, ...] = ()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _fill(text: str, slots: dict[str, str]) -> str:
    return text.format_map(slots)


def _subject(rng: random.Random, ask: str, subjects: list[str], slots: dict[str, str]) -> str:
    """A template subject, the ask's first words, a bare word, or nothing."""
    roll = rng.random()
    if roll < 0.45 and subjects:
        return _fill(rng.choice(subjects), slots)
    if roll < 0.75:
        words = ask.rstrip("?.!").split()
        return " ".join(words[:rng.randint(2, 6)])
    return rng.choice(["", "Question", "Hello", "Help", "?", "Hi", "Re:", "Urgent", "Info"])


def _signature(rng: random.Random, voices: ModuleType, queue: str, name: str, slots: dict[str, str]) -> list[str]:
    business = rng.random() < (0.5 if queue == "wholesale" else 0.12)
    lines = ([_fill(line, {**slots, "name": name}) for line in rng.choice(voices.BUSINESS_SIGNATURES)]
             if business else [name if rng.random() < 0.7 else name.split()[0]])
    if rng.random() < (0.25 if business else 0.05):
        lines += ["", rng.choice(voices.DISCLAIMERS)]
    return lines


def _request(rng: random.Random, voices: ModuleType, queue: str, shape: str, slots: dict[str, str]) -> list[str]:
    """The sentences of the request itself, by shape."""
    ask = _fill(rng.choice(voices.ASKS[queue]), slots)
    if shape == "short":
        return [ask]
    more = [_fill(m, slots) for m in rng.sample(voices.MORE[queue], min(len(voices.MORE[queue]), 3))]
    contexts = [_fill(c, slots) for c in rng.sample(voices.CONTEXT[queue], 2)]
    context = contexts[0]
    if shape == "rambling":  # a story before and after the question, the way some customers write
        chatter = [_fill(c, slots) for c in rng.sample(voices.CHATTER, 3)]
        return [chatter[0], *contexts, chatter[1], _sentence(ask), *more[:rng.randint(2, 3)], chatter[2]]
    if shape == "questions":
        return [_sentence(ask), *more[:rng.randint(2, 3)]]
    return ([context] if rng.random() < 0.4 else []) + [_sentence(ask)] + more[:rng.randint(0, 1)]


def compose(rng: random.Random, lang: str, voices: ModuleType, phrases: ModuleType, others: list[ModuleType],
            queue: str, slots: dict[str, str], name: str) -> Draft:
    """One composed customer mail asking something of `queue`, in one of the SHAPES."""
    shape = rng.choices(SHAPES, SHAPE_WEIGHTS)[0]
    earlier = (rng.choice(EARLIER[queue]),) if rng.random() < EARLIER_SHARE else ()
    subjects = phrases.SUBJECTS[queue]
    if earlier and rng.random() < FOLLOWUP_SHARE:  # "any news?": only the earlier ticket says what about
        text = _fill(rng.choice(voices.FOLLOWUPS), slots)
        return Draft([[text], [name]], subject=rng.choice(["", "Re:", "update?", "follow up", "?"]), earlier=(queue,))
    sentences = _request(rng, voices, queue, shape, slots)
    subject = _subject(rng, sentences[-1] if shape == "short" else sentences[0], subjects, slots)
    greeting, closing = rng.choice(phrases.GREETINGS), rng.choice(phrases.CLOSINGS)
    if shape == "mixed":
        foreign = rng.choice(others)
        greeting, closing = rng.choice(foreign.GREETINGS), rng.choice(foreign.CLOSINGS)
    if shape == "short":
        text = " ".join(sentences)
        text = text.lower() if rng.random() < 0.4 else text
        return Draft([[text]] + ([[name.split()[0]]] if rng.random() < 0.4 else []), subject=subject, earlier=earlier)
    paragraphs = [[" ".join(sentences)]] if rng.random() < 0.5 else [[s] for s in sentences]
    sign_off = ([closing] if closing else []) + _signature(rng, voices, queue, name, slots)
    blocks = ([[greeting]] if greeting else []) + paragraphs + [sign_off]
    if shape == "forwarded":
        return _forwarded(rng, lang, voices, blocks, subject, slots, name, earlier)
    if shape == "quoted":
        head = _fill(rng.choice(phrases.ATTRIBUTION), slots).split("\n")
        quoted = _fill(rng.choice(phrases.QUOTED), slots).split("\n")
        return Draft(blocks, head, quoted, f"Re: {subject}" if subject else "Re:", earlier)
    return Draft(blocks, subject=subject, earlier=earlier)


def _forwarded(rng: random.Random, lang: str, voices: ModuleType, blocks: list[list[str]], subject: str,
               slots: dict[str, str], name: str, earlier: tuple[str, ...]) -> Draft:
    """A short note on top of a forwarded mail that holds the actual request."""
    labels = FORWARD_LABELS[lang]
    sender = rng.choice(["Sam", "Alex", "Kim", "Robin", "Charlie"])
    head = [FORWARD_SEPARATOR[lang], f"{labels[0]}: {sender} <{sender.lower()}{slots['day']}@example.net>",
            f"{labels[1]}: {slots['date']}", f"{labels[2]}: {subject or '-'}", f"{labels[3]}: {name}"]
    quoted = [line for block in blocks for line in (*block, "")]
    intro = _fill(rng.choice(voices.FORWARD_INTROS), slots)
    return Draft([[intro], [name.split()[0]]], head, quoted, f"Fwd: {subject}" if subject else "Fwd:", earlier)
