"""The labelled mail the repository ships: enough, varied, reproducible, with an honest held-out split."""
from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routing.classify import Router
from routing.corpus import DATA_DIR, LABELS, MAIL_DIR, Labelled, Parse, labelled
from tickets.errors import InputError
from tickets.mail import ParsedMessage

QUEUES = {"presales.general", "presales.complex", "wholesale", "order.tracking", "returns", "refunds",
          "complaint.simple", "complaint.complex", "privacy", "auto"}


@pytest.fixture(scope="module")
def parsed(parse: Parse) -> list[tuple[Labelled, ParsedMessage]]:
    return [(entry, parse(entry.path.read_bytes())) for entry in labelled()]


def test_every_queue_has_enough_mail_and_a_quarter_held_out() -> None:
    # At least 480 mails over all ten queues; each queue keeps about a quarter for evaluation only.
    entries = labelled()
    assert len(entries) >= 480
    by_queue = collections.Counter(e.queue for e in entries)
    assert set(by_queue) == QUEUES
    held_out = collections.Counter(e.queue for e in entries if e.split == "eval")
    assert all(0.2 <= held_out[q] / by_queue[q] <= 0.33 for q in QUEUES), held_out
    assert all((MAIL_DIR / e.file).is_file() for e in entries)


def test_languages_mailboxes_and_forms_vary(parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # German, Spanish and French each make up a good share; some mail went to the wrong mailbox,
    # some is HTML-only, quotes history or carries attachments.
    human = [(e, p) for e, p in parsed if e.queue != "auto"]
    languages = collections.Counter(p.language for _, p in human)
    assert all(languages[lang] / len(human) >= 0.15 for lang in ("de", "es", "fr")), languages
    usual = {"wholesale": "wholesale", "presales.general": "press", "presales.complex": "press"}
    assert sum(e.mailbox != usual.get(e.queue, "support") for e, _ in human) >= 80
    assert sum(p.header("Content-Type").startswith("text/html") for _, p in human) >= 50
    assert sum(bool(p.quoted_text) for _, p in human) >= 50
    assert sum(bool(p.attachments) for _, p in human) >= 50


def test_held_out_mail_is_not_a_near_copy_of_training_mail(parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Evaluation mail comes from other templates: none shares half its words with any training mail.
    def words(p: ParsedMessage) -> set[str]:
        return set(re.findall(r"\w{3,}", (p.new_text or p.text).lower()))

    train = [words(p) for e, p in parsed if e.split == "train" and e.queue != "auto"]
    for entry, message in parsed:
        if entry.split == "eval" and entry.queue != "auto":
            mine = words(message)
            assert max(len(mine & other) / len(mine | other) for other in train) < 0.5, entry.file


def test_the_parser_finds_all_auto_mail_and_no_human_mail(parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Every out-of-office, bounce, newsletter and notice is auto mail to the parser; no customer mail is.
    assert [e.file for e, p in parsed if p.auto != (e.queue == "auto")] == []


def test_the_shipped_model_routes_held_out_mail(router: Router, parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Trained on the training split only, the router gets at least 92% of the held-out mail right,
    # marks no human mail auto and misses no auto mail.
    held_out = [(e, router.decide(p, e.mailbox)) for e, p in parsed if e.split == "eval"]
    right = sum(d.queue == e.queue for e, d in held_out)
    assert right / len(held_out) >= 0.92
    assert all(d.auto == (e.queue == "auto") for e, d in held_out)


def test_the_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    # Re-running routing/data/make_training_set.py writes exactly the committed mail and labels.
    subprocess.run([sys.executable, str(DATA_DIR / "make_training_set.py"), str(tmp_path)], check=True,
                   capture_output=True)
    assert (tmp_path / "labels.tsv").read_bytes() == LABELS.read_bytes()
    for written in (tmp_path / "mail").iterdir():
        assert written.read_bytes() == (MAIL_DIR / written.name).read_bytes(), written.name
    assert len(list((tmp_path / "mail").iterdir())) == len(list(MAIL_DIR.iterdir()))


def test_a_malformed_labels_file_is_an_input_error(tmp_path: Path) -> None:
    # A broken labels.tsv is reported with its path and line, not as a crash inside training.
    bad = tmp_path / "labels.tsv"
    bad.write_text("file\tmailbox\tqueue\tsplit\nx.eml\tsupport\treturns\tsometimes\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"labels.tsv:2: expected 4 columns"):
        labelled(labels=bad)
