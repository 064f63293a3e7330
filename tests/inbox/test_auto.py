"""Auto mail detection: machines are recognised, people never are (a false positive goes unanswered)."""
from __future__ import annotations

import csv
import email
import subprocess
import sys
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from mailfactory import CORPUS_GENERATOR

from inbox.auto import detect

OURS = frozenset({"support@aeropressmall.com", "press@aeropressmall.com", "wholesale@aeropressmall.com"})
CORPUS_SCRIPT = CORPUS_GENERATOR
HUMAN = (b"From: Emily Carter <emily.carter@gmail.com>\r\nTo: support@aeropressmall.com\r\n"
         b"Subject: Where is my order?\r\nReturn-Path: <emily.carter@gmail.com>\r\n")


def message(extra: bytes, base: bytes = HUMAN) -> EmailMessage:
    return email.message_from_bytes(extra + base + b"\r\nHello\r\n", policy=default)  # type: ignore[return-value]


@pytest.mark.parametrize("headers, reason", [
    (b"Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"),
    (b"Auto-Submitted: auto-generated (vacation)\r\n", "Auto-Submitted: auto-generated"),
    (b"Precedence: bulk\r\n", "Precedence: bulk"),
    (b"Precedence: JUNK\r\n", "Precedence: junk"),
    (b"Precedence: list\r\n", "Precedence: list"),
    (b"X-Autoreply: yes\r\n", "X-Autoreply: yes"),
    (b"X-Autorespond: Out of office\r\n", "X-Autorespond: Out of office"),
    (b"List-Id: Coffee lovers <coffee.lists.example>\r\n", "List-Id: Coffee lovers <coffee.lists.example>"),
    (b"List-Unsubscribe: <mailto:unsub@news.example>\r\n", "List-Unsubscribe: <mailto:unsub@news.example>"),
    (b"X-Loop: support@aeropressmall.com\r\n", "X-Loop: support@aeropressmall.com"),
    (b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n",
     "Content-Type: multipart/report"),
])
def test_each_listed_signal_marks_mail_as_auto_with_a_readable_reason(headers: bytes, reason: str) -> None:
    # DESIGN section 3's signals: the reason tells an admin why the mail got no acknowledgement.
    assert detect(message(headers), OURS) == (True, reason)


def test_an_empty_return_path_is_a_bounce() -> None:
    # The null reverse-path (RFC 5321) is how delivery reports and auto-replies arrive.
    assert detect(message(b"Return-Path: <>\r\n", HUMAN.replace(b"Return-Path", b"X-Old-Return-Path")),
                  OURS) == (True, "Return-Path: <>")


@pytest.mark.parametrize("sender", [b"MAILER-DAEMON@mx.example.net", b"postmaster@example.net",
                                    b"\"Shop\" <noreply@shop.example>", b"no-reply@accounts.example",
                                    b"do-not-reply@bank.example", b"DoNotReply@bank.example"])
def test_system_senders_are_auto(sender: bytes) -> None:
    # Mail from daemons and no-reply addresses can never be answered.
    auto, reason = detect(message(b"From: " + sender + b"\r\n", HUMAN.split(b"\r\n", 1)[1]), OURS)
    assert auto and reason.startswith("From: ")


@pytest.mark.parametrize("extra", [
    b"X-Auto-Response-Suppress: All\r\n",  # Outlook sets this on ordinary mail
    b"Auto-Submitted: no\r\n",
    b"X-Loop: someone-else@example.net\r\n",
    b"Precedence: first-class\r\n",
    b"X-Autoreply: no\r\n",
    b"Content-Type: multipart/mixed; boundary=x\r\n",
])
def test_ordinary_customer_mail_is_not_auto(extra: bytes) -> None:
    # A customer must get an answer even when their client adds auto-looking headers.
    assert detect(message(extra), OURS) == (False, "")


def test_people_whose_names_resemble_system_senders_are_not_auto() -> None:
    # 'Noreen' and 'postmaster.general@...' are people; only the exact local parts are machines.
    for sender in (b"Noreen <noreen@example.net>", b"postmaster.general@example.net", b"replyguy@example.net"):
        assert detect(message(b"From: " + sender + b"\r\n", HUMAN.split(b"\r\n", 1)[1]), OURS) == (False, "")


def test_our_loop_header_is_only_a_loop_for_our_own_addresses() -> None:
    # X-Loop naming one of our mailboxes means we are answering ourselves.
    mail = message(b"X-Loop: <Press@AeroPressMall.com>\r\n")
    assert detect(mail, OURS) == (True, "X-Loop: Press@AeroPressMall.com")
    assert detect(mail, frozenset()) == (False, "")


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """800 mails of the shared benchmark corpus, generated once for this module."""
    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"{CORPUS_SCRIPT} is not available")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(out), "--count", "800", "--seed", "1"],
                   check=True, capture_output=True)
    return out


def test_bench_corpus_customers_are_never_auto_and_its_auto_replies_are(bench_corpus: Path) -> None:
    # 800 realistic mails: every human kind stays human, every auto-reply is caught.
    with open(bench_corpus / "manifest.csv", newline="") as manifest:
        rows = list(csv.DictReader(manifest))
    wrong = []
    for row in rows:
        mail = email.message_from_bytes((bench_corpus / row["file"]).read_bytes(), policy=default)
        auto, _reason = detect(mail, OURS)  # type: ignore[arg-type]
        if auto != (row["kind"] == "auto-reply"):
            wrong.append((row["file"], row["kind"]))
    assert len(rows) == 800 and wrong == []
