"""IMAP pollers against a real Dovecot on loopback (tests/dovecot.py)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from dovecot import Dovecot, dovecot_server  # noqa: F401 (the session fixture)
from imapclient import IMAPClient
from imapkit import (  # noqa: F401 (imap_user: a fixture)
    health,
    imap_fields,
    imap_user,
    mails,
    poller,
    state_of,
    stored,
    wait_for,
    with_imap,
    write_config,
)
from mailfactory import make_mail
from sqlalchemy import select

from cli.main import main as helpdesk
from inbox.backoff import Backoff
from inbox.imap import MailboxError
from services import Services
from tickets import config as config_file
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Message

REPO = Path(__file__).resolve().parents[2]


class Proxy:
    """A loopback TCP proxy to Dovecot that counts the server's bytes and can cut the first connection."""

    def __init__(self, port: int, cut_after: int | None = None) -> None:
        self.target = port
        self.cut_after = cut_after
        self.from_server = 0
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            server = socket.create_connection(("127.0.0.1", self.target))
            limit = self.cut_after if self.connections == 1 else None
            threading.Thread(target=self._pump, args=(client, server, None, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, limit, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None, count: bool) -> None:
        sent = 0
        try:
            while data := source.recv(4096):
                if limit is not None and sent + len(data) > limit:
                    sink.sendall(data[:limit - sent])
                    break
                sink.sendall(data)
                sent += len(data)
                if count:
                    self.from_server += len(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxies() -> Iterator[list[Proxy]]:
    made: list[Proxy] = []
    yield made
    for proxy in made:
        proxy.close()


def test_each_mail_is_ingested_once_across_polls(config: Config, services: Services,
                                                 dovecot_server: Dovecot, imap_user: str) -> None:
    # Repeated polls store every mail exactly once, leave the server's \Seen flags alone, and keep health.
    config = with_imap(config, dovecot_server, imap_user)
    dovecot_server.append(imap_user, mails(5))
    box = poller(config, services)
    assert [o.status for o in box.poll_once()] == ["created"] * 5
    assert box.poll_once() == []
    dovecot_server.append(imap_user, mails(2, prefix="n"))
    assert len(box.poll_once()) == 2
    assert box.poll_once() == []
    box.close()
    assert sorted(stored(services)) == sorted([f"<m{i}@example.com>" for i in range(5)] +
                                             ["<n0@example.com>", "<n1@example.com>"])
    state = health(services, "support")
    assert (state.last_uid, state.backlog, state.last_error) == (7, 0, "")
    assert state.last_success_at is not None
    with dovecot_server.client(imap_user) as client:
        client.select_folder("INBOX", readonly=True)
        assert not any(b"\\Seen" in item[b"FLAGS"] for item in client.fetch(client.search(), ["FLAGS"]).values())


def test_internaldate_becomes_the_received_time(config: Config, services: Services,
                                                dovecot_server: Dovecot, imap_user: str) -> None:
    # The server's arrival time (INTERNALDATE), not the sender's Date header, is when the mail was received.
    arrived = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    with dovecot_server.client(imap_user) as client:
        client.append("INBOX", make_mail(message_id="<dated@example.com>"), msg_time=arrived)
    poller(with_imap(config, dovecot_server, imap_user), services).poll_once()
    with services.sessions() as session:
        received = session.scalar(select(Message.received_at).where(Message.message_id == "<dated@example.com>"))
    assert received == arrived


def test_idle_poll_of_a_full_mailbox_fetches_nothing(config: Config, services: Services,
                                                     dovecot_server: Dovecot, imap_user: str,
                                                     proxies: list[Proxy]) -> None:
    # Polling a folder of already-ingested mail costs a SELECT and one UID SEARCH, not a scan of the mail.
    dovecot_server.append(imap_user, mails(60, body="x" * 2000 + "\n"))
    proxies.append(proxy := Proxy(dovecot_server.port))
    box = poller(with_imap(config, dovecot_server, imap_user, imap_port=proxy.port), services)
    box.poll_once()
    before = proxy.from_server
    assert box.poll_once() == []
    box.close()
    assert before > 60 * 2000
    assert proxy.from_server - before < 2000


def test_uidvalidity_change_rescans_without_doubles(config: Config, services: Services,
                                                    dovecot_server: Dovecot, imap_user: str) -> None:
    # A folder recreated under a connected poller (new UIDVALIDITY) is rescanned from UID 1 without doubles.
    config = with_imap(config, dovecot_server, imap_user, imap_folder="Orders")
    dovecot_server.append(imap_user, mails(3), folder="Orders")
    box = poller(config, services)
    assert len(box.poll_once()) == 3
    old = health(services, "support").uidvalidity
    with dovecot_server.client(imap_user) as client:
        client.delete_folder("Orders")
    dovecot_server.append(imap_user, mails(3) + mails(1, prefix="new"), folder="Orders")
    outcomes = box.poll_once()
    box.close()
    assert health(services, "support").uidvalidity != old
    assert sorted(o.status for o in outcomes) == ["created", "duplicate", "duplicate", "duplicate"]
    assert len(stored(services)) == 4


def test_wrong_password_is_reported_while_other_mailboxes_go_on(config: Config, services: Services, tmp_path: Path,
                                                                dovecot_server: Dovecot, imap_user: str,
                                                                capsys: pytest.CaptureFixture[str],
                                                                frozen_clock: FrozenClock) -> None:
    # `helpdesk poll --once`: a refused login is one clear line and a failing exit; the good mailbox is polled.
    dovecot_server.append(imap_user, mails(2))
    press = dovecot_server.add_user()
    path = write_config(tmp_path / "config.toml", config.database.url, tmp_path / "files", {
        "press": imap_fields(dovecot_server, press, imap_password="wrong"),
        "support": imap_fields(dovecot_server, imap_user)}, config.routing.model_path)
    code = helpdesk(["--config", str(path), "poll", "--once"], frozen_clock)
    out, err = capsys.readouterr()
    assert code != 0
    assert err.count("\n") == 1 and "press: login as" in err and "failed" in err
    assert json.loads(out.splitlines()[-1])["read"] == 2
    assert "login as" in health(services, "press").last_error
    assert health(services, "support").last_success_at is not None


def test_connection_dropped_mid_fetch_is_survived(config: Config, services: Services,
                                                  dovecot_server: Dovecot, imap_user: str,
                                                  proxies: list[Proxy]) -> None:
    # The server hangs up in the middle of a fetch: the poller reconnects, and every mail is stored once.
    dovecot_server.append(imap_user, mails(20, body="y" * 4000 + "\n"))
    proxies.append(proxy := Proxy(dovecot_server.port, cut_after=30_000))
    config = with_imap(config, dovecot_server, imap_user, imap_port=proxy.port, batch_size=5, idle=False,
                       poll_interval_seconds=0.1)
    stop = threading.Event()
    box = poller(config, services, backoff=Backoff(base=0.05, cap=0.2))
    thread = threading.Thread(target=box.run, args=(stop,))
    thread.start()
    try:
        wait_for(lambda: len(stored(services)) == 20 and health(services, "support").last_uid == 20)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert proxy.connections >= 2
    assert health(services, "support").last_error.startswith("support: ")
    assert len(stored(services)) == 20


@pytest.mark.slow
def test_killed_poller_loses_and_doubles_nothing(tmp_path: Path, dovecot_server: Dovecot, imap_user: str,
                                                 router_model: Path) -> None:
    # `helpdesk poll` killed with SIGKILL mid-run and restarted stores every mail exactly once.
    total = 300
    dovecot_server.append(imap_user, mails(total, prefix="k"))
    url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    path = write_config(tmp_path / "config.toml", url, tmp_path / "files",
                        {"support": imap_fields(dovecot_server, imap_user, batch_size=10)}, str(router_model))
    services = Services.build(config_file.load(path))  # creates and migrates the database
    command = [sys.executable, "-m", "cli.main", "--config", str(path), "poll", "--once"]

    def count() -> int:
        return len(stored(services))

    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: count() >= 30 or first.poll() is not None)
    assert first.poll() is None, "the poller finished before it could be killed"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    before = count()
    assert 0 < before < total
    second = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout.splitlines()[-1])
    assert (summary["read"], summary["duplicates"], summary["quarantined"]) == (total - before, 0, 0)
    assert count() == total
    services.close()


def test_after_ingest_seen_flags_the_stored_mail(config: Config, services: Services, dovecot_server: Dovecot,
                                                 imap_user: str) -> None:
    # With after_ingest = "seen", mail is flagged \Seen on the server once it is stored.
    dovecot_server.append(imap_user, mails(3))
    poller(with_imap(config, dovecot_server, imap_user, after_ingest="seen"), services).poll_once()
    with dovecot_server.client(imap_user) as client:
        client.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" in item[b"FLAGS"] for item in client.fetch(client.search(), ["FLAGS"]).values())


def test_after_ingest_move_empties_the_inbox(config: Config, services: Services,
                                             dovecot_server: Dovecot, imap_user: str) -> None:
    # With after_ingest = "move", stored mail is moved to move_folder, and is not ingested again.
    dovecot_server.append(imap_user, mails(3))
    box = poller(with_imap(config, dovecot_server, imap_user, after_ingest="move", move_folder="Helpdesk"), services)
    assert len(box.poll_once()) == 3
    assert box.poll_once() == []
    box.close()
    with dovecot_server.client(imap_user) as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        assert client.select_folder("Helpdesk")[b"EXISTS"] == 3
    assert len(stored(services)) == 3


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_tls_certificates_are_verified(config: Config, services: Services, dovecot_server: Dovecot,
                                       imap_user: str, tls: str) -> None:
    # TLS verifies the server's certificate: refused without the private CA, accepted with imap_ca_file.
    assert dovecot_server.tls is not None
    dovecot_server.append(imap_user, mails(1))
    port = dovecot_server.tls_port if tls == "ssl" else dovecot_server.port
    with pytest.raises(MailboxError, match="certificate"):
        poller(with_imap(config, dovecot_server, imap_user, imap_tls=tls, imap_port=port), services).poll_once()
    assert "certificate" in health(services, "support").last_error
    trusted = with_imap(config, dovecot_server, imap_user, imap_tls=tls, imap_port=port,
                        imap_ca_file=str(dovecot_server.tls.ca))
    box = poller(trusted, services)
    assert len(box.poll_once()) == 1
    box.close()


def mail_arrives_before_the_first(monkeypatch: pytest.MonkeyPatch, command: str, server: Dovecot, user: str,
                                  prefix: str) -> None:
    """Deliver one mail just before the poller's first call of `IMAPClient.<command>` goes out: the
    moment a real server only rarely hits on its own."""
    real, arrived = getattr(IMAPClient, command), []

    def as_mail_arrives(client: IMAPClient, *args: object, **kwargs: object) -> object:
        if not arrived:
            arrived.append(True)
            server.append(user, mails(1, prefix=prefix))
        return real(client, *args, **kwargs)

    monkeypatch.setattr(IMAPClient, command, as_mail_arrives)


def test_mail_arriving_while_the_poller_searches_is_not_left_for_the_next_poll(
        config: Config, services: Services, dovecot_server: Dovecot, imap_user: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Dovecot announces mail that lands during a SEARCH after the search's answer, and IDLE does not
    # announce it again: unless the poller searches once more, the mail waits a whole poll interval.
    config = with_imap(config, dovecot_server, imap_user, idle=True, poll_interval_seconds=600.0)
    mail_arrives_before_the_first(monkeypatch, "search", dovecot_server, imap_user, prefix="racing")
    box = poller(config, services)
    try:
        assert [outcome.status for outcome in box.poll_once()] == ["created"]
    finally:
        box.close()
    assert stored(services) == ["<racing0@example.com>"]


@pytest.mark.parametrize("tls", ["none", "ssl"])
def test_mail_arriving_just_before_idle_wakes_the_poller(config: Config, services: Services, dovecot_server: Dovecot,
                                                        imap_user: str, monkeypatch: pytest.MonkeyPatch,
                                                        tls: str) -> None:
    # Dovecot reports mail that landed since the last search as IDLE starts, in the packet that
    # accepts IDLE: the poller must see it there (read off the socket, or still inside TLS), or the
    # mail waits a whole (10-minute) poll interval.
    assert dovecot_server.tls is not None
    port = dovecot_server.tls_port if tls == "ssl" else dovecot_server.port
    config = with_imap(config, dovecot_server, imap_user, idle=True, poll_interval_seconds=600.0, imap_tls=tls,
                       imap_port=port, imap_ca_file=str(dovecot_server.tls.ca))
    mail_arrives_before_the_first(monkeypatch, "idle", dovecot_server, imap_user, prefix="before-idle")
    stop = threading.Event()
    thread = threading.Thread(target=poller(config, services).run, args=(stop,))
    thread.start()
    try:
        wait_for(lambda: stored(services) == ["<before-idle0@example.com>"])
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_idle_wakes_the_poller_when_mail_arrives(config: Config, services: Services,
                                                 dovecot_server: Dovecot, imap_user: str) -> None:
    # With IDLE, new mail is fetched when the server announces it, not at the next (10-minute) poll.
    config = with_imap(config, dovecot_server, imap_user, idle=True, poll_interval_seconds=600.0)
    stop = threading.Event()
    thread = threading.Thread(target=poller(config, services).run, args=(stop,))
    thread.start()
    try:
        wait_for(lambda: (state := state_of(services, "support")) is not None and state.last_success_at is not None)
        dovecot_server.append(imap_user, mails(1, prefix="idle"))
        wait_for(lambda: stored(services) == ["<idle0@example.com>"])
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
