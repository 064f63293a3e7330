"""The log of `helpdesk run` as an administrator reads it: a poll, a send and a Dovecot restart."""
from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dovecot import Dovecot, free_port, start_dovecot
from mailfactory import make_mail
from smtpsink import Sink, serving
from sqlalchemy import select

from services import Services
from tickets.config import Config
from tickets.crypto import generate_key
from tickets.models import Direction, Message

REPO = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) [\w.]+: .+$")

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)]


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot of this test's own, since the test restarts it."""
    server = start_dovecot()
    yield server
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)


def wait_for(condition: Callable[[], bool], log: Path, seconds: float = 60.0) -> None:
    """Until `condition` holds; past `seconds`, fail with the end of the run's log."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"condition not reached; the log ends:\n{log.read_text()[-4000:]}"
        time.sleep(0.1)


def inbound(services: Services) -> int:
    with services.readonly() as session:
        return len(session.scalars(select(Message.id).where(Message.direction == Direction.INBOUND.value)).all())


def write_config(path: Path, config: Config, server: Dovecot, user: str, smtp_port: int, web_port: int) -> Path:
    settings = {
        "database": {"url": config.database.url},
        "storage": {"path": config.storage.path},
        "routing": {"model_path": config.routing.model_path},
        "privacy": {"encryption_keys": [generate_key()]},
        "web": {"port": web_port, "secret_key": "log test"},
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "tls": "none", "pass_interval_seconds": 0.5},
        "mailboxes.support": {"imap_host": server.host, "imap_port": server.port, "imap_user": user,
                              "imap_password": server.password, "imap_tls": "none",
                              "poll_interval_seconds": 600.0},
    }
    lines = []
    for table, fields in settings.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in fields.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_log_of_a_run_through_a_poll_a_send_and_a_dovecot_restart(config: Config, services: Services,
                                                                        tmp_path: Path, dovecot: Dovecot) -> None:
    # Every line is timestamped with its level and logger; the poll, the sent acknowledgement, the
    # connection and the lease are INFO lines; the restart is one WARNING without a traceback; no
    # terminal colour codes reach the file.
    user, sink = dovecot.add_user(), Sink()
    with serving(sink) as smtp_port:
        web_port = free_port()
        path = write_config(tmp_path / "config.toml", config, dovecot, user, smtp_port, web_port)
        log_path = tmp_path / "helpdesk.log"
        with log_path.open("wb") as log:
            run = subprocess.Popen([sys.executable, "-m", "cli.main", "--config", str(path), "run"], cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=log)
        try:
            log_text = log_path.read_text
            wait_for(lambda: "lease poller:support taken" in log_text() and "connected to" in log_text(), log_path)
            with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/nowhere-%1B[31m") as page:
                assert page.status == 200
            dovecot.append(user, [make_mail(message_id="<before@example.com>")])
            wait_for(lambda: inbound(services) == 1 and len(sink.received) == 1, log_path)
            dovecot.stop()
            wait_for(lambda: " WARNING " in log_text(), log_path)
            dovecot.resume()
            dovecot.append(user, [make_mail(message_id="<after@example.com>", subject="Still waiting")])
            wait_for(lambda: inbound(services) == 2 and len(sink.received) == 2, log_path)  # and its acknowledgement
        finally:
            run.send_signal(signal.SIGTERM)
            run.wait(timeout=60)
    lines = log_path.read_text().splitlines()
    assert lines and all(LINE.match(line) for line in lines), [line for line in lines if not LINE.match(line)]
    warnings = [line for line in lines if " WARNING " in line]
    assert len(warnings) == 1 and "inbox.imap: support: connection to" in warnings[0]
    assert not [line for line in lines if " ERROR " in line]
    text = "\n".join(lines)
    assert "Traceback" not in text and "\x1b" not in text
    assert re.search(r' INFO werkzeug: 127\.0\.0\.1 - - \[.+\] "GET /login\?next=', text)
    assert re.search(r" INFO inbox\.imap: support: stored 1 mails up to UID 1 \(1 created\)", text)
    assert re.search(r" INFO inbox\.sender: outbox: 1 sent, 0 to retry, 0 failed", text)
    assert re.search(r" INFO inbox\.imap: support: polling again after \d+ failed attempt", text)
    assert re.search(r" INFO tickets\.leases: lease scheduler taken", text)
