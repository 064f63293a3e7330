"""`helpdesk sla due`: deadlines on the command line (the README's command table, a fixed contract).

One deadline for a queue's reply target, or a batch: JSON lines `{"received", "working_days"}` in,
`{"due"}` out in the same order. Times are ISO 8601; a naive one is the calendar's local time, and
every answer carries the calendar's UTC offset.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from sla.calendar import WorkingCalendar, calendar_for
from sla.policy import target
from tickets.config import Config
from tickets.errors import InputError


def parse_received(calendar: WorkingCalendar, text: Any) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is the calendar's wall-clock time."""
    if not isinstance(text, str):
        raise InputError(f"received must be an ISO 8601 date-time string, not {text!r}")
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"received is not an ISO 8601 date-time: {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=calendar.tz)


def due_iso(calendar: WorkingCalendar, received: dt.datetime, days: float) -> str:
    """The deadline `days` working days after `received`, ISO 8601 in the calendar's timezone."""
    return calendar.local(calendar.add_working_days(received, days)).isoformat()


def due_for_queue(config: Config, queue: str, received: str) -> str:
    """The reply deadline of a message to `queue` received at `received`."""
    if queue not in config.queues:
        raise InputError(f"unknown queue {queue!r} (configured: {', '.join(sorted(config.queues))})")
    reply = target(config, queue, "reply")
    if reply is None:
        raise InputError(f"queue {queue!r} has no reply deadline")
    calendar = calendar_for(config)
    return due_iso(calendar, parse_received(calendar, received), reply.days)


def _request(calendar: WorkingCalendar, line: str) -> tuple[dt.datetime, float]:
    try:
        request = json.loads(line)
    except ValueError:
        raise InputError("not a JSON object") from None
    if not isinstance(request, dict) or "received" not in request or "working_days" not in request:
        raise InputError('needs a JSON object with "received" and "working_days"')
    days = request["working_days"]
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days) or days < 0:
        raise InputError(f"working_days must be a number >= 0, not {days!r}")
    return parse_received(calendar, request["received"]), float(days)


def due_batch(config: Config, lines: Iterable[str]) -> Iterator[str]:
    """One `{"due": ...}` line per request line, in order; blank lines are skipped.

    A bad line stops the batch with an InputError naming its line number (answers already
    given stay valid).
    """
    calendar = calendar_for(config)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            received, days = _request(calendar, line)
            due = due_iso(calendar, received, days)
        except InputError as exc:
            raise InputError(f"line {number}: {exc}") from None
        yield json.dumps({"due": due})
