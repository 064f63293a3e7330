"""Hand-written labelled mail: the calibration and evaluation sets under routing/data.

They are written by hand, one mail at a time, the way customers write, and never generated: the
training set comes from a generator (routing/data/make_training_set.py), and a model scored on
that generator's own output learns the generator. Training never reads these files.

A set is a folder of `.txt` files, each holding mails as blocks:

    === en-017 press presales.general orders=AP-123456,AP-55120 earlier=returns
    From: Kim Lee <kim@example.com>
    Subject: Before I buy

    The body, exactly as the customer wrote it (quoted history, signatures and all).

The block line names the mail, the mailbox it was sent to, its true queue (`auto` for machine mail,
`none` for mail no queue fits, which the router should be unsure about), and optionally the order
numbers the mail names (in its own text or subject, not in the history it quotes) and the queues
of the sender's earlier tickets. The header lines are kept as written; `To`, `Date`,
`Message-ID` and the MIME headers are added.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from routing.corpus import AUTO, DATA_DIR, Parse
from routing.features import Example, example_from_parsed
from tickets.errors import InputError

CALIBRATION_DIR = DATA_DIR / "calibration"
EVALUATION_DIR = DATA_DIR / "evaluation"
_START = "=== "
_DATE = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Sample:
    """One hand-written mail with what the router should make of it."""

    name: str
    mailbox: str
    queue: str
    orders: tuple[str, ...]
    earlier: tuple[str, ...]
    raw: bytes

    @property
    def language(self) -> str:
        """The language part of the name (`en-017` -> `en`)."""
        return self.name.split("-", 1)[0]


def _options(words: list[str], where: str) -> dict[str, tuple[str, ...]]:
    options: dict[str, tuple[str, ...]] = {"orders": (), "earlier": ()}
    for word in words:
        key, _, value = word.partition("=")
        if key not in options or not value:
            raise InputError(f"{where}: unknown option {word!r} (orders=..., earlier=...)")
        options[key] = tuple(value.split(","))
    return options


def _mail(name: str, mailbox: str, headers: list[str], body: str, where: str) -> bytes:
    msg = EmailMessage()
    for line in headers:
        field, colon, value = line.partition(":")
        if not colon:
            raise InputError(f"{where}: not a header line: {line!r}")
        msg[field.strip()] = value.strip()
    msg["To"] = f"{mailbox}@aeropressmall.com"
    msg["Date"] = format_datetime(_DATE)
    msg["Message-ID"] = f"<{name}@mailsets.invalid>"
    msg.set_content(body, cte="8bit" if not body.isascii() else "7bit")
    return msg.as_bytes(policy=SMTP)


def _blocks(path: Path) -> list[Sample]:
    samples: list[Sample] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(_START)] + [len(lines)]
    for start, end in zip(starts, starts[1:]):
        where = f"{path}:{start + 1}"
        words = lines[start][len(_START):].split()
        if len(words) < 3:
            raise InputError(f"{where}: expected '=== NAME MAILBOX QUEUE [orders=...] [earlier=...]'")
        block = lines[start + 1:end]
        blank = block.index("") if "" in block else len(block)
        options = _options(words[3:], where)
        body = "\n".join(block[blank + 1:]).strip("\n") + "\n"
        samples.append(Sample(name=words[0], mailbox=words[1], queue=words[2], orders=options["orders"],
                              earlier=options["earlier"], raw=_mail(words[0], words[1], block[:blank], body, where)))
    return samples


def load(folder: Path, languages: tuple[str, ...] = ()) -> list[Sample]:
    """Every mail of the set in `folder` (optionally only those languages), in file and block order."""
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"{folder}: no hand-written mail (*.txt) found")
    samples = [sample for path in files for sample in _blocks(path)]
    names = [s.name for s in samples]
    if len(set(names)) != len(names):
        raise InputError(f"{folder}: mail names repeat: {sorted({n for n in names if names.count(n) > 1})}")
    return [s for s in samples if not languages or s.language in languages]


def examples(samples: list[Sample], parse: Parse) -> list[Example]:
    """The human mail of a set as labelled model examples (auto mail is the parser's, not the model's)."""
    return [example_from_parsed(parse(s.raw), s.mailbox, s.queue, s.earlier) for s in samples if s.queue != AUTO]
