"""The clock a process runs on, passed in rather than read from the system in logic.

`Services` (the composition root) holds one; everything that needs the current moment takes it
from there, or is handed `now` by its caller. Tests and the demo build their services with a
`FrozenClock`, so deadlines and ages compare the same on any date.
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""


class SystemClock:
    """The machine's clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FrozenClock:
    """A clock that stands still until moved: `set` a moment or `advance` by a timedelta."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = _utc(moment)

    def now(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = _utc(moment)

    def advance(self, by: dt.timedelta) -> dt.datetime:
        self.moment += by
        return self.moment


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a clock's moment must be timezone-aware")
    return moment.astimezone(dt.UTC)
