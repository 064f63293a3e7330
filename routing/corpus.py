"""The labelled training set the repository ships: `.eml` files plus `labels.tsv`.

`labels.tsv` has one row per file: `file`, `mailbox` (where it arrived), `queue` (where it
belongs), `split` and `earlier` (the queues of the sender's earlier tickets, space-separated). The
`eval` split holds mail from the generator's held-out templates: the model never trains on it.
(The router is judged on hand-written mail instead, routing/mailsets.py: generated mail tells
only how well the model learned the generator.) The queue `none` marks mail no queue fits
(a journalist, a job application, a vendor's pitch): the model learns to recognise it, and the
router is then unsure. Auto mail is in the set to check that the parser's auto verdict wins, but
the model does not learn it: auto is decided by the parser, and a classifier that could answer
`auto` could silence a customer.
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from routing.features import Example, example_from_parsed
from tickets.errors import InputError
from tickets.mail import ParsedMessage

DATA_DIR = Path(__file__).with_name("data")
MAIL_DIR = DATA_DIR / "mail"
LABELS = DATA_DIR / "labels.tsv"
COLUMNS = ("file", "mailbox", "queue", "split", "earlier")
SPLITS = ("train", "eval")
AUTO = "auto"
NO_QUEUE = "none"  # mail that belongs in no queue: the router should say it is unsure

Parse = Callable[[bytes], ParsedMessage]


@dataclass(frozen=True)
class Labelled:
    """One row of labels.tsv."""

    file: str
    mailbox: str
    queue: str
    split: str
    earlier: str = ""

    @property
    def path(self) -> Path:
        return MAIL_DIR / self.file


def labelled(split: str | None = None, labels: Path = LABELS) -> list[Labelled]:
    """The rows of labels.tsv, optionally only one split; a malformed file is an InputError."""
    try:
        with labels.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t"))
    except OSError as exc:
        raise InputError(f"{labels}: cannot read the routing training labels: {exc}") from None
    if not rows or tuple(rows[0]) != COLUMNS:
        raise InputError(f"{labels}: the header must be {' '.join(COLUMNS)}")
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS) or row[3] not in SPLITS:
            raise InputError(f"{labels}:{number}: expected {len(COLUMNS)} columns and a split of {SPLITS}")
        entries.append(Labelled(*row))
    return [entry for entry in entries if split is None or entry.split == split]


def shipped_examples(parse: Parse, split: str = "train") -> list[Example]:
    """The human mail of one split, parsed and labelled, ready for training."""
    return [example_from_parsed(parse(entry.path.read_bytes()), entry.mailbox, entry.queue,
                                tuple(entry.earlier.split()))
            for entry in labelled(split) if entry.queue != AUTO]
