"""`helpdesk ingest`: every mail read is accounted for, nothing is lost, nothing is stored twice."""
from __future__ import annotations

import email
import json
import mailbox
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mailfactory import CORPUS_GENERATOR, make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import main
from inbox.ingest import OVERSIZE_PREFIX
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Message, Quarantine

GENERATOR = CORPUS_GENERATOR
CPYTHON_CORPUS = Path(email.__file__).parent.parent / "test" / "test_email" / "data"


def write_config(tmp_path: Path, config: Config, storage: str = "") -> Path:
    """The test's database, storage folder (plus the `storage` lines given) and router model, as a file."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{config.database.url}"\n[storage]\npath = "{config.storage.path}"\n'
                    f'{storage}[routing]\nmodel_path = "{config.routing.model_path}"\n')
    return path


RunIngest = Callable[..., tuple[list[dict], dict]]


@pytest.fixture
def run_ingest(capsys: pytest.CaptureFixture[str], frozen_clock: FrozenClock) -> RunIngest:
    """`run_ingest(config_path, *args)`: `helpdesk ingest --jsonl` on the frozen clock; its lines and summary."""

    def run(config_path: Path, *args: str) -> tuple[list[dict], dict]:
        assert main(["--config", str(config_path), "ingest", "--jsonl", *args], frozen_clock) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        return lines[:-1], lines[-1]

    return run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """600 generated customer mails plus CPython's own email test corpus."""
    if not GENERATOR.exists():
        pytest.skip(f"the shared corpus generator is missing: {GENERATOR}")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(GENERATOR), str(out), "--count", "600", "--seed", "3"], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(out.glob("*.eml")) + sorted(CPYTHON_CORPUS.glob("msg_*.txt"))


@pytest.mark.slow
def test_every_mail_is_accounted_for_and_reingest_is_all_duplicates(
        corpus: list[Path], config: Config, tmp_path: Path, run_ingest: RunIngest) -> None:
    # The statuses add up to what was read; a second run stores nothing new.
    config_path = write_config(tmp_path, config)
    files = [str(p) for p in corpus]
    per_message, summary = run_ingest(config_path, "--mailbox", "support", *files)
    assert summary["read"] == len(files) == len(per_message)
    statuses = [m["status"] for m in per_message]
    assert len(statuses) == (summary["tickets_created"] + statuses.count("threaded") + summary["duplicates"]
                             + summary["auto"] + summary["quarantined"])
    assert summary["tickets_created"] > 300 and statuses.count("threaded") > 30 and summary["auto"] > 6
    assert all(m["ticket"] for m in per_message if m["status"] != "quarantined")
    again_lines, again = run_ingest(config_path, "--mailbox", "support", *files)
    assert again["tickets_created"] == again["messages_added"] == 0
    assert again["duplicates"] == len(files) - summary["quarantined"]
    assert again["quarantined"] == summary["quarantined"]
    first_tickets = {m["message_id"]: m["ticket"] for m in per_message}
    assert all(first_tickets[m["message_id"]] == m["ticket"] for m in again_lines if m["status"] == "duplicate")


def test_broken_mail_is_quarantined_raw_and_the_run_goes_on(
        config: Config, tmp_path: Path, run_ingest: RunIngest, session: Session) -> None:
    # A message that cannot be parsed keeps its bytes and error; the next one is stored.
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"")
    good = tmp_path / "good.eml"
    good.write_bytes(make_mail(message_id="<good@example.com>"))
    lines, summary = run_ingest(write_config(tmp_path, config), "--mailbox", "press", str(broken), str(good))
    assert [m["status"] for m in lines] == ["quarantined", "created"]
    assert lines[0]["ticket"] is None
    held = session.scalars(select(Quarantine)).all()
    assert len(held) == 1 and held[0].stage == "parse" and held[0].raw == b"" and held[0].error


def test_oversized_mail_is_quarantined_as_its_header_and_a_masked_prefix_with_its_size(
        config: Config, tmp_path: Path, run_ingest: RunIngest, session: Session) -> None:
    # Over the size limit: quarantined at the size stage as its header and the start of its body, card
    # numbers masked, its whole size recorded; a retry from the console cannot store the truncated copy.
    path = write_config(tmp_path, config, storage="max_message_bytes = 100000\n")
    big = tmp_path / "big.eml"
    raw = make_mail(subject="Photos 4111 1111 1111 1111", body="card 4111-1111-1111-1111\n" + "x" * 300_000)
    big.write_bytes(raw)
    lines, summary = run_ingest(path, "--mailbox", "support", str(big))
    assert summary["quarantined"] == 1
    held = session.scalar(select(Quarantine))
    assert held is not None and held.stage == "size" and held.size == len(raw)
    assert len(held.raw) <= OVERSIZE_PREFIX + 2_000 and b"Photos **** **** **** 1111" in held.raw
    assert b"card ****-****-****-1111" in held.raw and b"4111" not in held.raw


def test_parse_json_prints_no_full_card_number(tmp_path: Path, config: Config, capsys: pytest.CaptureFixture[str],
                                               frozen_clock: FrozenClock) -> None:
    # `helpdesk parse --json` shows what ingest would store: a subject folded inside the number, an HTML body
    # with entities between the groups and an attachment's name come out masked.
    raw = (b"From: a@example.com\r\nSubject: card 4111 1111\r\n 1111 1111 twice\r\nMIME-Version: 1.0\r\n"
           b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n'
           b"<p>4111&nbsp;1111&nbsp;1111<b>&nbsp;1111</b></p>\r\n--b\r\nContent-Type: application/pdf\r\n"
           b'Content-Disposition: attachment; filename="4111111111111111.pdf"\r\n\r\n%PDF\r\n--b--\r\n')
    (tmp_path / "card.eml").write_bytes(raw)
    assert main(["--config", str(write_config(tmp_path, config)), "parse", "--json", str(tmp_path / "card.eml")],
                frozen_clock) == 0
    out = capsys.readouterr().out
    line = json.loads(out)
    assert line["subject"] == "card **** **** **** 1111 twice" and "**** **** **** 1111" in line["new_text"]
    assert line["attachments"][0]["filename"].endswith("1111.pdf") and "4111" not in out


def test_maildir_and_mbox_are_read(config: Config, tmp_path: Path, run_ingest: RunIngest) -> None:
    # Maildir folders and mbox files ingest every message they hold.
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for n in range(3):
        maildir.add(make_mail(message_id=f"<md{n}@example.com>"))
    box = mailbox.mbox(tmp_path / "archive.mbox", create=True)
    for n in range(2):
        box.add(make_mail(message_id=f"<mb{n}@example.com>"))
    box.flush()
    lines, summary = run_ingest(write_config(tmp_path, config), "--mailbox", "support",
                                str(tmp_path / "Maildir"), str(tmp_path / "archive.mbox"))
    assert summary["read"] == 5 and summary["tickets_created"] == 5


def test_classic_mac_line_endings_and_the_mbox_envelope_sender(config: Config, tmp_path: Path,
                                                                run_ingest: RunIngest) -> None:
    # CR-only files are mail like any other; an mbox `From ` line naming a daemon marks a bounce as automatic.
    (tmp_path / "mac.eml").write_bytes(b"From: Anna <anna@example.com>\rSubject: Mac mail\r"
                                       b"Message-ID: <mac@example.com>"
                                       b"\r\rHello from a classic Mac.\r")
    (tmp_path / "mac.mbox").write_bytes(
        b"From anna@example.com Tue Mar 10 14:05:09 2026\rFrom: Anna <anna@example.com>\rSubject: One\r"
        b"Message-ID: <mbox-1@example.com>\r\rFirst body.\r\r"
        b"From MAILER-DAEMON@mx.example.com Tue Mar 10 14:06:09 2026\rFrom: Mail System <system@mx.example.com>\r"
        b"Subject: Undelivered Mail Returned to Sender\rMessage-ID: <mbox-2@example.com>\r\rBounce body.\r")
    lines, summary = run_ingest(write_config(tmp_path, config), "--mailbox", "support",
                                str(tmp_path / "mac.eml"), str(tmp_path / "mac.mbox"))
    assert [(line["message_id"], line["status"]) for line in lines] == [
        ("<mac@example.com>", "created"), ("<mbox-1@example.com>", "created"), ("<mbox-2@example.com>", "auto")]
    assert summary["quarantined"] == 0


def test_card_numbers_never_reach_disk(config: Config, tmp_path: Path, run_ingest: RunIngest) -> None:
    # A full card number in a mail is masked in the stored text and the kept raw copy alike.
    raw = make_mail(subject="Card 4111 1111 1111 1111 charged twice",
                    body="Hi,\n\nPlease refund my card 4111-1111-1111-1111, order AP-123456.\n")
    (tmp_path / "card.eml").write_bytes(raw)
    run_ingest(write_config(tmp_path, config), "--mailbox", "support", str(tmp_path / "card.eml"))
    for file in Path(config.storage.path).rglob("*"):
        if file.is_file():
            assert b"4111111111111111" not in file.read_bytes().replace(b" ", b"").replace(b"-", b"")
    db_file = Path(config.database.url.removeprefix("sqlite:///")) if config.database.url.startswith("sqlite") else None
    if db_file is not None:
        for file in db_file.parent.glob(db_file.name + "*"):
            assert b"4111 1111 1111 1111" not in file.read_bytes() and b"4111-1111-1111-1111" not in file.read_bytes()


def test_bad_input_is_one_line_without_traceback(tmp_path: Path) -> None:
    # A missing file or a bad config ends with one clear line on stderr and a non-zero exit.
    bad = tmp_path / "bad.toml"
    bad.write_text("[storage]\npaht = 'x'\n")
    for args in (["--config", str(bad), "stats"],
                 ["--config", str(tmp_path / "missing.toml"), "stats"],
                 ["ingest", "--mailbox", "nowhere", str(tmp_path)],
                 ["ingest", "--mailbox", "support", str(tmp_path / "nope.eml")]):
        result = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr


def test_an_unwritable_storage_path_is_named_before_any_mail_is_read(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "db.sqlite"}"\n'
                      f'[storage]\npath = "{tmp_path / "a-file" / "files"}"\n')
    (tmp_path / "m.eml").write_bytes(make_mail())
    result = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "ingest", "--mailbox",
                             "support", str(tmp_path / "m.eml")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip() == (f"helpdesk: {config}: storage.path '{tmp_path / 'a-file' / 'files'}' "
                                      "cannot be written (Not a directory)")


def test_raw_copy_is_kept_byte_for_byte(config: Config, tmp_path: Path, run_ingest: RunIngest,
                                        services: Services, session: Session) -> None:
    # The stored raw copy is the mail as it arrived, so it can be processed again.
    raw = make_mail(message_id="<raw@example.com>")
    (tmp_path / "m.eml").write_bytes(raw)
    run_ingest(write_config(tmp_path, config), "--mailbox", "support", str(tmp_path / "m.eml"))
    message = session.scalar(select(Message).where(Message.message_id == "<raw@example.com>"))
    assert services.store.get(message.raw_sha256) == raw


def test_the_record_keeps_what_describes_the_mail_and_the_raw_copy_keeps_its_route(
        config: Config, tmp_path: Path, run_ingest: RunIngest, services: Services, session: Session) -> None:
    # Received lines (with the sender's IP address) and signatures stay in the sealed raw copy only.
    raw = make_mail(message_id="<route@example.com>", headers={
        "Received": "from [203.0.113.7] by mx.example.com; Tue, 24 Nov 2026 10:00:00 +0000",
        "DKIM-Signature": "v=1; a=rsa-sha256; d=example.com; b=AbCdEf",
        "Authentication-Results": "mx.example.com; dkim=pass header.d=example.com"})
    (tmp_path / "m.eml").write_bytes(raw)
    run_ingest(write_config(tmp_path, config), "--mailbox", "support", str(tmp_path / "m.eml"))
    message = session.scalar(select(Message).where(Message.message_id == "<route@example.com>"))
    names = [name for name, _value in message.headers]
    assert {"From", "To", "Subject", "Message-ID", "Authentication-Results"} <= set(names)
    assert "Received" not in names and "DKIM-Signature" not in names
    assert b"203.0.113.7" in services.store.get(message.raw_sha256)
