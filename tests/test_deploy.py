"""Running past one process: `helpdesk run --role`, the scheduler lease, and the WSGI entry point."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING

from cli.run import console_address
from cli.runner import Running, start
from services import Services
from tickets.clock import SystemClock
from tickets.config import Config, LeaseConfig, WebConfig

REPO = Path(__file__).resolve().parents[1]
WSGI_PROBE = """
import json, os, socket, threading
from sqlalchemy.engine import make_url
from tickets import config


class Link:
    '''The worker's road to its database, which the probe cuts as an outage would.'''

    def __init__(self, port):
        self.port, self.ends, self.down = port, [], False
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                return
            server = socket.create_connection(("127.0.0.1", self.port))
            self.ends += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def cut(self):
        self.down = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        except OSError:
            pass
        self.listener.close()
        for end in self.ends:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


database = make_url(config.load().database.url)
link = Link(database.port or 5432)
through_link = database.set(port=link.listener.getsockname()[1])
os.environ["HELPDESK_DATABASE_URL"] = through_link.render_as_string(hide_password=False)
from web.wsgi import app
client = app.test_client()
seen = {path: client.get(path).status_code for path in ("/healthz", "/readyz", "/")}
link.cut()
seen["/readyz, database down"] = client.get("/readyz").status_code
print(json.dumps(seen))
"""


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


@pytest.fixture
def started() -> Iterator[list[Running]]:
    runs: list[Running] = []
    yield runs
    for running in runs:
        running.stop()


@pytest.fixture
def process_services() -> Iterator[Callable[[Config], Services]]:
    """The services of one more `helpdesk run` process. They run on the system clock: a process
    keeps the scheduler lease only by renewing it as real time passes."""
    built: list[Services] = []

    def build(config: Config) -> Services:
        built.append(Services.build(config, SystemClock()))
        return built[-1]

    yield build
    for services in built:
        services.close()


def scheduling(running: Running) -> bool:
    assert running.scheduler is not None
    return running.scheduler.state == STATE_RUNNING


def test_one_worker_process_runs_the_scheduler_and_another_takes_over(
        config: Config, process_services: Callable[[Config], Services], started: list[Running]) -> None:
    # Two `--role workers` processes: only the scheduler lease holder runs the jobs; when it stops, the other does.
    # A renewal every ttl/3: a loaded machine may hold one up for a second without losing the lease.
    config = dataclasses.replace(config, leases=LeaseConfig(ttl_seconds=2.0))
    first = start(process_services(config), "127.0.0.1", 0, role="workers")
    started.append(first)
    wait_for(lambda: scheduling(first))
    second = start(process_services(config), "127.0.0.1", 0, role="workers")
    started.append(second)
    time.sleep(2.0)  # the standby checks the lease three times meanwhile, and must not take it
    assert scheduling(first) and second.scheduler is not None and second.scheduler.state == STATE_PAUSED
    assert first.web is None and second.web is None
    first.stop()
    started.remove(first)
    wait_for(lambda: scheduling(second))


def test_web_role_is_the_console_alone(services: Services, started: list[Running]) -> None:
    # `--role web` serves the console and starts no scheduler (nor pollers).
    running = start(services, "127.0.0.1", 0, role="web")
    started.append(running)
    assert running.web is not None and running.url.startswith("http://127.0.0.1:")
    assert running.scheduler is None and [t.name for t in running.threads] == ["console"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_wsgi_app_answers_health_probes_without_sign_in(config: Config, tmp_path: Path) -> None:
    # `web.wsgi:app` (gunicorn's entry point) is built from $HELPDESK_CONFIG; /healthz and /readyz answer
    # without sign-in, the console asks for it, and /readyz says 503 once the database
    # cannot be reached (the probe cuts its connection to the database after start-up).
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\nurl = {json.dumps(config.database.url)}\n"
                    f"[storage]\npath = {json.dumps(config.storage.path)}\n"
                    f"[routing]\nmodel_path = {json.dumps(config.routing.model_path)}\n")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}, "HELPDESK_CONFIG": str(path)}
    probe = subprocess.run([sys.executable, "-c", WSGI_PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == {"/healthz": 200, "/readyz": 200, "/": 302,
                                                         "/readyz, database down": 503}


def test_run_prints_the_address_with_the_scheme_the_config_implies() -> None:
    # Secure cookies on a real host mean agents must come through HTTPS: `helpdesk run` prints https
    # there (or [web] public_url), and the plain address only where plain http can sign in.
    def shown(host: str, **web: object) -> str:
        listening = Running(threading.Event(), web=SimpleNamespace(host=host, port=8080))  # type: ignore[arg-type]
        return console_address(dataclasses.replace(WebConfig(), **web), listening)  # type: ignore[arg-type]

    assert shown("127.0.0.1") == "http://127.0.0.1:8080/"
    assert shown("10.0.0.5").startswith("https://10.0.0.5/ through a proxy that terminates TLS")
    assert shown("10.0.0.5", secure_cookies=False) == "http://10.0.0.5:8080/"
    assert shown("10.0.0.5", public_url="https://help.aeropressmall.com/").startswith(
        "https://help.aeropressmall.com/ (this process serves http://10.0.0.5:8080/")
