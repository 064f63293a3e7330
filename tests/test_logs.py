"""The process log's lines: timestamps, levels and logger names, in text or JSON, at the level asked for."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tickets import logs
from tickets.config import LoggingConfig

REPO = Path(__file__).resolve().parents[1]
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) [\w.]+: .+$")


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Where `logs.configure` writes during the test; the root logger is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    chatty = {name: logging.getLogger(name).level for name in logs.CHATTY}
    yield io.StringIO()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in chatty.items():
        logging.getLogger(name).setLevel(old)


def test_text_lines_carry_time_level_and_logger(stream: io.StringIO) -> None:
    # One line per event, sortable by its ISO 8601 time with the offset, then level and logger.
    logs.configure(LoggingConfig(), stream=stream)
    logging.getLogger("inbox.imap").info("support: stored %d mails", 3)
    logging.getLogger("apscheduler.executors").info("Running job (chatter left out below DEBUG)")
    [line] = stream.getvalue().splitlines()
    assert TEXT_LINE.match(line) and line.endswith(" INFO inbox.imap: support: stored 3 mails")


def test_a_skipped_scheduler_run_is_no_warning_but_a_job_error_is(stream: io.StringIO) -> None:
    # Under load the outbox pass may still run when its next turn comes; that turn is skipped quietly.
    logs.configure(LoggingConfig(), stream=stream)
    scheduler = logging.getLogger("apscheduler.scheduler")
    scheduler.warning('Execution of job "%s" skipped: maximum number of running instances reached (%d)',
                      "outbox-send", 1)
    logging.getLogger("apscheduler.executors.default").error('Job "%s" raised an exception', "outbox-send")
    [line] = stream.getvalue().splitlines()
    assert " ERROR apscheduler.executors.default: " in line


def test_json_lines_for_log_collectors(stream: io.StringIO) -> None:
    # format = "json": one object a line, with the traceback of an unexpected error as a field.
    logs.configure(LoggingConfig(format="json"), stream=stream)
    log = logging.getLogger("inbox.sender")
    log.warning("outbox: connection to %s failed", "smtp.example.com:587")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        log.exception("poller failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert {key: first[key] for key in ("level", "logger", "message")} == {
        "level": "WARNING", "logger": "inbox.sender", "message": "outbox: connection to smtp.example.com:587 failed"}
    assert TEXT_LINE.match(f"{first['time']} INFO x: y")
    assert second["level"] == "ERROR" and "RuntimeError: a bug" in second["exc_info"]


def test_the_level_comes_from_the_config_or_the_command_line(stream: io.StringIO) -> None:
    # [logging] level = "WARNING" hides INFO; --log-level DEBUG (the override) shows even the libraries.
    logs.configure(LoggingConfig(level="WARNING"), stream=stream)
    logging.getLogger("inbox.imap").info("hidden")
    assert stream.getvalue() == ""
    logs.configure(LoggingConfig(level="WARNING"), "DEBUG", stream=stream)
    logging.getLogger("apscheduler.executors").debug("shown")
    assert stream.getvalue().splitlines()[0].endswith(" DEBUG apscheduler.executors: shown")


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=folder, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(REPO)}, timeout=120)


def test_the_command_line_logs_as_configured(tmp_path: Path) -> None:
    # `helpdesk --log-level DEBUG init` shows what the migration does, each line timestamped; with
    # [logging] level = "ERROR" the same command logs nothing, and its output stays on stdout.
    shown = run(tmp_path, "--log-level", "debug", "init")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stderr.splitlines()
    assert lines and all(TEXT_LINE.match(line) for line in lines)
    assert any(" alembic." in line for line in lines)
    quiet_folder = tmp_path / "quiet"
    quiet_folder.mkdir()
    (quiet_folder / "config.toml").write_text('[logging]\nlevel = "ERROR"\n')
    quiet = run(quiet_folder, "init")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout.startswith("database ready: ")
