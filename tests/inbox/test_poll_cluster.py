"""Several `helpdesk poll` processes on one PostgreSQL database and the same Dovecot mailboxes
(DESIGN section 7): each mailbox is polled by its lease holder alone, a standby takes over when the
holder is killed, and every mail is stored exactly once."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dovecot import Dovecot, dovecot_server  # noqa: F401 (the session fixture)
from mailfactory import make_mail
from sqlalchemy import func, select

from inbox.ingest import Ingestor, RawMail
from services import Services
from tickets.config import Config
from tickets.models import Customer, Direction, Lease, Message, Quarantine, Ticket

REPO = Path(__file__).resolve().parents[2]
TTL = 2.0
MAILBOXES = ("press", "support")

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def mails(prefix: str, count: int) -> list[bytes]:
    return [make_mail(message_id=f"<{prefix}{i}@example.com>", subject=f"Order question {prefix}{i}")
            for i in range(count)]


def write_config(path: Path, config: Config, server: Dovecot, users: dict[str, str]) -> Path:
    """A config file: the test database, a short lease ttl, and each mailbox on its Dovecot user (IDLE)."""
    lines = ["[database]", f"url = {json.dumps(config.database.url)}",
             "[storage]", f"path = {json.dumps(config.storage.path)}", "[leases]", f"ttl_seconds = {TTL}",
             "[routing]", f"model_path = {json.dumps(config.routing.model_path)}"]
    for name, user in users.items():
        lines += [f"[mailboxes.{name}]", f"imap_host = {json.dumps(server.host)}", f"imap_port = {server.port}",
                  f"imap_user = {json.dumps(user)}", f"imap_password = {json.dumps(server.password)}",
                  'imap_tls = "none"', "batch_size = 10", "poll_interval_seconds = 600.0"]
    path.write_text("\n".join(lines) + "\n")
    return path


def stored(services: Services) -> list[str]:
    with services.readonly() as session:
        return list(session.scalars(select(Message.message_id).where(Message.direction == Direction.INBOUND.value)))


def holders(services: Services) -> dict[str, int]:
    """The pid holding each mailbox's lease (holder ids are host:pid:random)."""
    with services.readonly() as session:
        return {lease.name: int(lease.holder.split(":")[1]) for lease in session.scalars(select(Lease))}


def logins(server: Dovecot, user: str) -> int:
    """IMAP logins as `user` so far, from Dovecot's log."""
    return (server.root / "dovecot.log").read_text(errors="replace").count(f"Login: user=<{user}>")


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.1)


@pytest.fixture
def pollers(tmp_path: Path) -> Iterator[Callable[[Path], subprocess.Popen[bytes]]]:
    """Start `helpdesk poll` processes; those still running are stopped (SIGTERM) afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def start(path: Path) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"poll-{len(started)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(path), "poll"], cwd=REPO,
                                   stdout=log, stderr=log)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        process.wait(timeout=30)


@pytest.mark.slow
def test_three_pollers_store_each_mail_once_and_a_survivor_takes_over(
        config: Config, services: Services, tmp_path: Path, dovecot_server: Dovecot,
        pollers: Callable[[Path], subprocess.Popen[bytes]]) -> None:
    # Three pollers on the same mailboxes: one logs in to each mailbox, every mail is stored once, and
    # when the lease holder is killed (SIGKILL) mail that arrives afterwards is ingested by a survivor.
    users = {name: dovecot_server.add_user() for name in MAILBOXES}
    deliveries = dict.fromkeys(MAILBOXES, 0)  # the test's own logins, to deliver mail

    def deliver(part: str, count: int) -> None:
        for name, user in users.items():
            dovecot_server.append(user, mails(f"{name}-{part}", count))
            deliveries[name] += 1

    def poller_logins() -> dict[str, int]:
        return {name: logins(dovecot_server, user) - deliveries[name] for name, user in users.items()}

    deliver("a", 30)
    path = write_config(tmp_path / "config.toml", config, dovecot_server, users)
    processes = {process.pid: process for process in (pollers(path) for _ in range(3))}
    wait_for(lambda: len(stored(services)) == 60, seconds=60)
    deliver("b", 10)  # while they run, new mail is still taken by the one poller of each mailbox
    wait_for(lambda: len(stored(services)) == 80, seconds=30)
    assert poller_logins() == {"press": 1, "support": 1}

    victim = holders(services)["poller:support"]
    assert victim in processes
    os.kill(victim, signal.SIGKILL)
    processes.pop(victim).wait()
    deliver("c", 10)
    wait_for(lambda: len(stored(services)) == 100, seconds=10 * TTL)

    assert set(holders(services).values()) <= set(processes)
    assert all(process.poll() is None for process in processes.values())
    expected = {f"<{name}-{part}{i}@example.com>" for name in MAILBOXES for part, count in
                (("a", 30), ("b", 10), ("c", 10)) for i in range(count)}
    assert sorted(stored(services)) == sorted(expected)
    with services.readonly() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0


def test_processes_meeting_the_same_new_customer_do_not_wait_for_each_other(services: Services) -> None:
    # Two pollers (processes) store mail from the same new customer at once: the second stores its batch
    # while the first's is still open, both mails are kept, and the customer exists once.
    ingestor = Ingestor(services.config, services.store, services.clock)
    now = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
    first = services.sessions()
    ingestor.ingest_batch(first, [RawMail(make_mail(message_id="<first@example.com>"), "support#1", now)], "support")
    stored_second = threading.Event()

    def second_poller() -> None:
        with services.sessions.begin() as session:
            ingestor.ingest_batch(session, [RawMail(make_mail(message_id="<second@example.com>"), "press#1", now)],
                                  "press")
        stored_second.set()

    thread = threading.Thread(target=second_poller)
    thread.start()
    try:
        assert stored_second.wait(timeout=20), "the second batch waited for the first one to commit"
    finally:
        first.commit()
        first.close()
        thread.join(timeout=30)
    assert sorted(stored(services)) == ["<first@example.com>", "<second@example.com>"]
    with services.readonly() as session:
        [customer] = session.scalars(select(Customer)).all()
        assert customer.email == "emily@example.com" and customer.name == "Emily Carter"
        assert set(session.scalars(select(Ticket.customer_id))) == {customer.id}
