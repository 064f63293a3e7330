"""The process log: one line per event on stderr, with its time, level and logger (docs/operations.md).

A process's entry point (the `helpdesk` command, `web.wsgi`) calls `configure` once; library code
only logs. Text lines read `2026-11-24T10:00:00.123-05:00 INFO inbox.imap: support: stored ...`;
with `[logging] format = "json"` each line is one JSON object (`time`, `level`, `logger`,
`message`, and `exc_info` for a traceback), for log collectors. Below DEBUG, the chatter of
libraries (the scheduler's every run, the SMTP library's every connection, Alembic's set-up) is
left out: what remains at INFO is ours.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import TextIO

from tickets.config import LoggingConfig

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY = ("apscheduler", "mail.log", "alembic", "imapclient")  # INFO on every job run, connection, migration check


def _iso_time(record: logging.LogRecord) -> str:
    """ISO 8601 in the host's time zone, with its offset and milliseconds: sortable and unambiguous."""
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso_time(record)


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    class Formatter(JsonFormatter):
        def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
            return _iso_time(record)

    return Formatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                     rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def routine(record: logging.LogRecord) -> bool:
    """False for a scheduler run skipped because the job's previous run is still going: routine
    under load (the outbox pass runs every few seconds), and the next run comes soon; at DEBUG it shows."""
    return not (record.name.startswith("apscheduler") and "maximum number of running instances" in str(record.msg))


def configure(settings: LoggingConfig, level: str | None = None, stream: TextIO | None = None) -> None:
    """Send every log record at `level` (else `[logging] level`) and above to `stream` (stderr), in the
    configured format, replacing whatever handlers the root logger had."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter() if settings.format == "json" else TextFormatter(TEXT))
    chosen = (level or settings.level).upper()
    if chosen != "DEBUG":
        handler.addFilter(routine)
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(chosen)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if chosen == "DEBUG" else logging.WARNING)
