"""How soon mail flows from Dovecot: bursts during a batch, a restarted poller, mail too big to fetch."""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from dovecot import Dovecot, dovecot_server  # noqa: F401 (the session fixture)
from imapkit import (  # noqa: F401 (imap_user: a fixture)
    imap_fields,
    imap_user,
    mails,
    poller,
    stored,
    wait_for,
    with_imap,
    write_config,
)
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.imap import Poller
from inbox.imap_batches import FETCH_BYTES, OVERSIZE_PREFIX, Batch, plan_batches
from inbox.ingest import Ingestor, Outcome, RawMail
from services import Services
from tickets.config import Config
from tickets.leases import poller_lease
from tickets.models import Lease, Quarantine

REPO = Path(__file__).resolve().parents[2]


class BurstDuringFirstBatch(Ingestor):
    """A pipeline that, while storing its first batch, has `burst` delivered to the mailbox."""

    def __init__(self, base: Ingestor, deliver: Iterable[bytes], server: Dovecot, user: str) -> None:
        super().__init__(base.config, base.store, base.clock)
        self.burst, self.server, self.user = list(deliver), server, user

    def ingest_batch(self, session: Session, mails: Iterable[RawMail], mailbox: str) -> list[Outcome]:
        if self.burst:
            self.server.append(self.user, self.burst)
            self.burst = []
        return super().ingest_batch(session, mails, mailbox)


class IdleRecorder(Poller):
    """A poller that notes how many mails were stored each time it went into IDLE."""

    def __init__(self, *args: object, services: Services, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stored_at_idle: list[int] = []
        self.services = services

    def _idle(self, client, stop, seconds):  # type: ignore[no-untyped-def]
        self.stored_at_idle.append(len(stored(self.services)))
        return super()._idle(client, stop, seconds)


@pytest.fixture
def running() -> Iterator[list[tuple[threading.Event, threading.Thread]]]:
    started: list[tuple[threading.Event, threading.Thread]] = []
    yield started
    for stop, thread in started:
        stop.set()
        thread.join(timeout=10)


def test_a_burst_during_a_batch_is_stored_before_the_poller_idles(
        config: Config, services: Services, dovecot_server: Dovecot, imap_user: str,
        running: list[tuple[threading.Event, threading.Thread]]) -> None:
    # 30 mails wait; while the first batch of 10 is stored, 25 more arrive. The poller searches again
    # after its batches instead of going back to IDLE (where the server would not announce them again,
    # and they would wait for the next poll, 10 minutes away): all 55 are stored before it first idles.
    config = with_imap(config, dovecot_server, imap_user, idle=True, batch_size=10, poll_interval_seconds=600.0)
    dovecot_server.append(imap_user, mails(30))
    pipeline = BurstDuringFirstBatch(Ingestor(config, services.store, services.clock), mails(25, prefix="burst"),
                                     dovecot_server, imap_user)
    box = IdleRecorder(config, "support", services.sessions, pipeline, services=services)
    stop = threading.Event()
    running.append((stop, thread := threading.Thread(target=box.run, args=(stop,))))
    thread.start()
    wait_for(lambda: len(box.stored_at_idle) >= 1)
    assert box.stored_at_idle[0] == 55
    assert len(set(stored(services))) == 55


@pytest.mark.slow
def test_a_restarted_poller_takes_its_lease_back_at_once(config: Config, services: Services, tmp_path: Path,
                                                          dovecot_server: Dovecot, imap_user: str) -> None:
    # `helpdesk poll` killed with SIGKILL and started again on the same host polls again at once: its
    # lease (ttl 10 minutes here) is taken back because the old process provably no longer runs,
    # not after the lease expired.
    dovecot_server.append(imap_user, mails(3, prefix="before"))
    path = write_config(tmp_path / "config.toml", config.database.url, tmp_path / "files",
                        {"support": imap_fields(dovecot_server, imap_user, poll_interval_seconds=600.0)},
                        config.routing.model_path)
    path.write_text(path.read_text() + "[leases]\nttl_seconds = 600.0\n")
    command = [sys.executable, "-m", "cli.main", "--config", str(path), "poll", "--mailbox", "support"]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    second = None
    try:
        wait_for(lambda: len(stored(services)) == 3, seconds=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        dovecot_server.append(imap_user, mails(2, prefix="after"))
        second = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(stored(services)) == 5, seconds=60)
        with services.readonly() as session:
            holder = session.scalar(select(Lease.holder).where(Lease.name == poller_lease("support")))
        assert holder is not None and holder.split(":")[1] == str(second.pid)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def test_oversize_mail_is_quarantined_from_its_header_and_a_prefix(config: Config, services: Services,
                                                                   dovecot_server: Dovecot, imap_user: str) -> None:
    # A mail over [storage] max_message_bytes is never fetched whole: its header and the start of its
    # body are quarantined with the whole size in the error; the mail beside it is stored as usual.
    limit = 100_000
    big = make_mail(message_id="<big@example.com>", subject="Photos of the damage", body="x" * 300_000)
    dovecot_server.append(imap_user, [big, *mails(1, prefix="small")])
    config = with_imap(config, dovecot_server, imap_user)
    config = dataclasses.replace(config, storage=dataclasses.replace(config.storage, max_message_bytes=limit))
    box = poller(config, services)
    outcomes = box.poll_once()
    box.close()
    assert sorted(o.status for o in outcomes) == ["created", "quarantined"]
    with services.readonly() as session:
        [held] = session.scalars(select(Quarantine)).all()
    assert held.stage == "size" and f"message of {len(big)} bytes" in held.error
    assert len(held.raw) <= OVERSIZE_PREFIX + 2_000 and b"Photos of the damage" in held.raw
    assert stored(services) == ["<small0@example.com>"]


def test_batches_are_bounded_by_count_and_bytes() -> None:
    # A batch holds at most batch_size mails and FETCH_BYTES of mail; a larger mail is fetched alone,
    # an oversize one alone and marked; a mail expunged since the search (no size) is left out.
    small, large = 1_000, FETCH_BYTES // 2 + 1
    sizes = {1: small, 2: small, 3: small, 4: large, 5: large, 6: FETCH_BYTES + 1, 8: 60_000_000, 9: small}
    plan = list(plan_batches([1, 2, 3, 4, 5, 6, 7, 8, 9], sizes, count=2, limit=50_000_000))
    assert plan == [Batch((1, 2)), Batch((3, 4)), Batch((5,)), Batch((6,)), Batch((8,), oversize=True),
                    Batch((9,))]
    hundred = list(plan_batches(list(range(1, 101)), dict.fromkeys(range(1, 101), FETCH_BYTES // 10), 100,
                                50_000_000))
    assert max(len(batch.uids) for batch in hundred) == 10


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_poll_error_is_printed_once(config: Config, tmp_path: Path, dovecot_server: Dovecot, imap_user: str) -> None:
    # `helpdesk poll --once` with a wrong password: the one error line, not also a WARNING of the same.
    path = write_config(tmp_path / "config.toml", config.database.url, tmp_path / "files",
                        {"support": imap_fields(dovecot_server, imap_user, imap_password="wrong")},
                        config.routing.model_path)
    result = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(path), "poll", "--once"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    about_login = [line for line in result.stderr.splitlines() if "login as" in line]
    assert len(about_login) == 1 and about_login[0].startswith("helpdesk: support: login as")
