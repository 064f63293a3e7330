"""`helpdesk sla due`: one deadline for a queue, or a batch of JSON lines (the command table in README.md)."""
from __future__ import annotations

import dataclasses
import json

import pytest

from sla.due import due_batch, due_for_queue
from tickets.config import CalendarConfig, Config
from tickets.errors import InputError

CONFIG = Config()  # New York, 09:00-18:00 Monday to Friday, Thanksgiving (26 November) off


@pytest.mark.parametrize("queue, received, due", [
    ("presales.general", "2026-11-24T10:00:00-05:00", "2026-11-27T10:00:00-05:00"),
    ("presales.general", "2026-11-24T10:00", "2026-11-27T10:00:00-05:00"),          # naive: New York time
    ("presales.general", "2026-11-24T15:00:00Z", "2026-11-27T10:00:00-05:00"),      # UTC in, local out
    ("presales.complex", "2026-11-28T11:00:00-05:00", "2026-12-02T18:00:00-05:00"),  # Saturday: from Monday 09:00
    ("returns", "2026-10-30T10:00:00-04:00", "2026-11-02T10:00:00-05:00"),          # across the end of DST
])
def test_reply_deadline_for_a_queue(queue: str, received: str, due: str) -> None:
    # The reply deadline is the queue's working days after receipt, in the calendar's timezone with its offset.
    assert due_for_queue(CONFIG, queue, received) == due


def test_deadline_follows_the_configured_calendar() -> None:
    # A Berlin calendar answers in Berlin time.
    config = dataclasses.replace(CONFIG, calendar=CalendarConfig(timezone="Europe/Berlin"))
    assert due_for_queue(config, "returns", "2026-11-24T17:00") == "2026-11-25T17:00:00+01:00"


@pytest.mark.parametrize("queue, received, message", [
    ("presales.generl", "2026-11-24T10:00", "unknown queue 'presales.generl' (configured: auto, complaint"),
    ("auto", "2026-11-24T10:00", "queue 'auto' has no reply deadline"),
    ("returns", "last tuesday", "received is not an ISO 8601 date-time: 'last tuesday'"),
])
def test_bad_arguments_are_one_line_input_errors(queue: str, received: str, message: str) -> None:
    # A wrong queue or date is reported in one line that says what is wrong.
    with pytest.raises(InputError) as caught:
        due_for_queue(CONFIG, queue, received)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_batch_answers_each_line_in_order() -> None:
    # Every request line gets one {"due"} line, in the same order; blank lines are skipped.
    lines = ['{"received": "2026-11-27T17:00:00-05:00", "working_days": 1}\n',
             '\n',
             '{"received": "2026-11-24T10:00", "working_days": 2}\n',
             '{"received": "2026-11-28T12:00:00-05:00", "working_days": 0.5}\n',
             '{"received": "2026-11-24T10:00:00-05:00", "working_days": 0}\n']
    assert [json.loads(line) for line in due_batch(CONFIG, lines)] == [
        {"due": "2026-11-30T17:00:00-05:00"}, {"due": "2026-11-27T10:00:00-05:00"},
        {"due": "2026-11-30T13:30:00-05:00"}, {"due": "2026-11-24T10:00:00-05:00"}]


@pytest.mark.parametrize("bad, reason", [
    ("not json", "not a JSON object"),
    ('["2026-11-24T10:00", 2]', 'needs a JSON object with "received" and "working_days"'),
    ('{"received": "2026-11-24T10:00"}', 'needs a JSON object with "received" and "working_days"'),
    ('{"received": "2026-11-24T10:00", "working_days": -1}', "working_days must be a number >= 0, not -1"),
    ('{"received": "2026-11-24T10:00", "working_days": true}', "working_days must be a number >= 0, not True"),
    ('{"received": "2026-11-24T10:00", "working_days": "2"}', "working_days must be a number >= 0, not '2'"),
    ('{"received": 20261124, "working_days": 2}', "received must be an ISO 8601 date-time string, not 20261124"),
    ('{"received": "2026-11-24T10:00", "working_days": 1e9}', "date outside the working calendar's range"),
])
def test_bad_batch_line_names_its_line_number(bad: str, reason: str) -> None:
    # The answers before a bad line are given; the bad line stops the batch naming its number and the fault.
    answers = due_batch(CONFIG, ['{"received": "2026-11-24T10:00", "working_days": 2}', bad])
    assert json.loads(next(answers)) == {"due": "2026-11-27T10:00:00-05:00"}
    with pytest.raises(InputError) as caught:
        next(answers)
    assert str(caught.value).startswith(f"line 2: {reason}")
