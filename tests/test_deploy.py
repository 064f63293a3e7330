"""Running past one process: `helpdesk run --role`, the scheduler lease, and the WSGI entry point."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING
from sqlalchemy import Engine

from tickets.config import Config, LeaseConfig
from tickets.db import session_factory
from web.runner import Running, start

REPO = Path(__file__).resolve().parents[1]
WSGI_PROBE = """
import json, os
from web.wsgi import app, build_app
client = app.test_client()
seen = {path: client.get(path).status_code for path in ("/healthz", "/readyz", "/")}
os.environ["HELPDESK_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2"
seen["/readyz, database down"] = build_app().test_client().get("/readyz").status_code
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


def scheduling(running: Running) -> bool:
    assert running.scheduler is not None
    return running.scheduler.state == STATE_RUNNING


def test_one_worker_process_runs_the_scheduler_and_another_takes_over(config: Config, engine: Engine,
                                                                      started: list[Running]) -> None:
    # Two `--role workers` processes: only the scheduler lease holder runs the jobs; when it stops, the other does.
    config = dataclasses.replace(config, leases=LeaseConfig(ttl_seconds=0.6))
    sessions = session_factory(engine)
    first = start(config, engine, sessions, "127.0.0.1", 0, role="workers")
    started.append(first)
    wait_for(lambda: scheduling(first))
    second = start(config, engine, sessions, "127.0.0.1", 0, role="workers")
    started.append(second)
    time.sleep(1.0)  # the standby checks the lease several times meanwhile, and must not take it
    assert scheduling(first) and second.scheduler is not None and second.scheduler.state == STATE_PAUSED
    assert first.web is None and second.web is None
    first.stop()
    started.remove(first)
    wait_for(lambda: scheduling(second))


def test_web_role_is_the_console_alone(config: Config, engine: Engine, started: list[Running]) -> None:
    # `--role web` serves the console and starts no scheduler (nor pollers).
    running = start(config, engine, session_factory(engine), "127.0.0.1", 0, role="web")
    started.append(running)
    assert running.web is not None and running.url.startswith("http://127.0.0.1:")
    assert running.scheduler is None and [t.name for t in running.threads] == ["console"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_wsgi_app_answers_health_probes_without_sign_in(config: Config, tmp_path: Path) -> None:
    # `web.wsgi:app` (gunicorn's entry point) is built from $HELPDESK_CONFIG; /healthz and /readyz answer
    # without sign-in, the console asks for it, and /readyz says 503 while the database is down.
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\nurl = {json.dumps(config.database.url)}\n"
                    f"[storage]\npath = {json.dumps(config.storage.path)}\n")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}, "HELPDESK_CONFIG": str(path)}
    probe = subprocess.run([sys.executable, "-c", WSGI_PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == {"/healthz": 200, "/readyz": 200, "/": 302,
                                                         "/readyz, database down": 503}
