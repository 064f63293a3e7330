"""The labelled mail the repository ships: enough, written the way customers write, and reproducible."""
from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routing.corpus import DATA_DIR, LABELS, MAIL_DIR, Labelled, Parse, labelled
from tickets.errors import InputError
from tickets.mail import ParsedMessage

QUEUES = {"presales.general", "presales.complex", "wholesale", "order.tracking", "returns", "refunds",
          "complaint.simple", "complaint.complex", "privacy", "none", "auto"}
FORWARDED = re.compile(r"Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado")
DISCLAIMER = re.compile(r"confidential|vertraulich|confidentiels|confidenciales|printing this email", re.IGNORECASE)


@pytest.fixture(scope="module")
def parsed(parse: Parse) -> list[tuple[Labelled, ParsedMessage]]:
    return [(entry, parse(entry.path.read_bytes())) for entry in labelled()]


def test_every_queue_has_enough_mail_and_a_share_is_held_out() -> None:
    # Over 2000 mails over all ten queues and the mail that fits none; an eighth of the templates is held out.
    entries = labelled()
    assert len(entries) >= 2000
    by_queue = collections.Counter(e.queue for e in entries)
    assert set(by_queue) == QUEUES
    assert all(by_queue[q] >= 200 for q in QUEUES - {"none", "auto"}) and by_queue["none"] >= 80, by_queue
    held_out = sum(e.split == "eval" for e in entries)
    assert 80 <= held_out <= len(entries) * 0.1
    assert all((MAIL_DIR / e.file).is_file() for e in entries)


def test_mail_comes_in_the_shapes_customers_write(parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Four languages; wrong mailboxes; HTML-only mail, quoted history, attachments; one-liners and long
    # rambling mail; forwarded threads; signatures with disclaimers; follow-ups only the sender's history explains.
    human = [(e, p) for e, p in parsed if e.queue != "auto"]
    languages = collections.Counter(p.language for _, p in human)
    assert all(languages[lang] / len(human) >= 0.12 for lang in ("de", "es", "fr")), languages
    usual = {"wholesale": "wholesale", "presales.general": "press", "presales.complex": "press"}
    assert sum(e.mailbox != usual.get(e.queue, "support") for e, _ in human if e.queue != "none") >= 250
    assert sum(p.header("Content-Type").startswith("text/html") for _, p in human) >= 200
    assert sum(bool(p.quoted_text) for _, p in human) >= 300
    assert sum(bool(p.attachments) for _, p in human) >= 150
    words = [len((p.new_text or p.text).split()) for _, p in human]
    assert sum(n <= 12 for n in words) >= 300 and sum(n >= 60 for n in words) >= 100
    assert sum(bool(FORWARDED.search(p.quoted_text)) for _, p in human) >= 80
    assert sum(bool(DISCLAIMER.search(p.text)) for _, p in human) >= 20
    assert sum(bool(e.earlier) for e, _ in human) >= 300


def test_held_out_template_mail_is_not_a_near_copy_of_training_mail(
        parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Held-out template mail comes from other templates: none shares half its words with any template mail trained on.
    def words(p: ParsedMessage) -> set[str]:
        return set(re.findall(r"\w{3,}", (p.new_text or p.text).lower()))

    train = [words(p) for e, p in parsed if e.split == "train" and e.queue != "auto" and "-c" not in e.file]
    for entry, message in parsed:
        if entry.split == "eval" and entry.queue != "auto":
            mine = words(message)
            assert max(len(mine & other) / len(mine | other) for other in train) < 0.5, entry.file


def test_the_parser_finds_all_auto_mail_and_no_human_mail(parsed: list[tuple[Labelled, ParsedMessage]]) -> None:
    # Every out-of-office, bounce, newsletter and notice is auto mail to the parser; no customer mail is.
    assert [e.file for e, p in parsed if p.auto != (e.queue == "auto")] == []


@pytest.mark.slow
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
    bad.write_text("file\tmailbox\tqueue\tsplit\tearlier\nx.eml\tsupport\treturns\tsometimes\t\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"labels.tsv:2: expected 5 columns"):
        labelled(labels=bad)
