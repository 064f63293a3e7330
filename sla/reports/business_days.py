"""Business time as a table a database can join: one row per UTC day (docs/architecture.md).

Reports need the business time between two timestamps of a million tickets; asking the calendar
once per ticket would load every ticket into Python. Instead `E(t)`, the business seconds from a
fixed origin (2000-01-01 UTC) to the instant `t`, is tabulated per UTC day `d` (epoch seconds // 86400):

    E(t) = before[d] + sum over k of clamp(t - lo_k[d], 0, hi_k[d] - lo_k[d])

where `before[d]` is E at the day's first instant and (lo_k, hi_k) are the business intervals that
fall inside that UTC day (padded with empty ones to `SLOTS`). A UTC day is found from a timestamp
with plain arithmetic, so the join is on an integer key, and the business time of a ticket is
`E(end) - E(start)`, computed by the database. The origin is fixed, so rows computed at different
times for the same calendar agree and a stored table can grow a day at a time.

Each row also names the shop's local date of its instants: a local midnight falls inside a UTC day
at most once, at `date_split`, so the database finds an instant's local date (and from it the
week) without timezone support.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from sla.calendar import WorkingCalendar, day_intervals
from tickets.errors import ConfigError

UTC = dt.UTC
DAY = 86400
SLOTS = 4  # business intervals per UTC day a row holds: a UTC day overlaps two local days at most
ORIGIN = dt.datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DayRow:
    """One UTC day: E at its start, its business intervals (epoch seconds) and its local dates."""

    day: int
    before: float
    intervals: tuple[tuple[float, float], ...]
    date_before: int  # ordinal of the local date of the instants before `date_split`
    date_split: float
    date_after: int

    def padded(self) -> list[tuple[float, float]]:
        """The intervals and empty ones after them, `SLOTS` in all."""
        if len(self.intervals) > SLOTS:
            raise ConfigError(f"calendar: {len(self.intervals)} business intervals in one UTC day; at most {SLOTS}")
        empty = (self.day * float(DAY), self.day * float(DAY))
        return list(self.intervals) + [empty] * (SLOTS - len(self.intervals))


@dataclass(frozen=True)
class BusinessDays:
    """The business intervals of a calendar from `first` to `last` (epoch seconds) and E over them.

    `opening` is E before the first interval, `before[i]` E at the start of interval i and
    `through[i]` E at its end.
    """

    tz: dt.tzinfo
    first: float
    last: float
    opening: float
    starts: tuple[float, ...]
    before: tuple[float, ...]
    through: tuple[float, ...]

    def elapsed(self, moment: dt.datetime) -> float:
        """E(moment): the business seconds from the origin to `moment`."""
        t = moment.timestamp()
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return self.opening
        return min(self.before[i] + (t - self.starts[i]), self.through[i])

    def instant(self, elapsed: float) -> dt.datetime:
        """The latest instant whose E is `elapsed`: anything after it has more business time behind it."""
        if not self.starts or elapsed < self.opening:
            return dt.datetime.fromtimestamp(self.first, UTC)
        j = bisect.bisect_right(self.through, elapsed)
        if j == len(self.starts):
            return dt.datetime.fromtimestamp(self.last, UTC)
        return dt.datetime.fromtimestamp(self.starts[j] + max(elapsed - self.before[j], 0.0), UTC)

    def rows(self) -> list[DayRow]:
        """One row per UTC day from `first` to `last`, for the database."""
        first_day, last_day = int(self.first // DAY), int(self.last // DAY)
        rows, i = [], 0
        for day in range(first_day, last_day + 1):
            lo, hi = day * DAY, (day + 1) * DAY
            before = self.elapsed(dt.datetime.fromtimestamp(lo, UTC))
            while i < len(self.starts) and self.starts[i] + (self.through[i] - self.before[i]) <= lo:
                i += 1
            pieces, j = [], i
            while j < len(self.starts) and self.starts[j] < hi:
                end = self.starts[j] + (self.through[j] - self.before[j])
                pieces.append((max(self.starts[j], lo), min(end, hi)))
                j += 1
            rows.append(DayRow(day, before, tuple(p for p in pieces if p[1] > p[0]), *self._dates(lo, hi)))
        return rows

    def _dates(self, lo: float, hi: float) -> tuple[int, float, int]:
        """The local date of the day's first and last instants, and where the second one begins."""
        a, b = _date_of(self.tz, lo), _date_of(self.tz, hi - 1)
        if a == b:
            return a, hi, b
        midnight = dt.datetime.combine(dt.date.fromordinal(b), dt.time(), self.tz)
        return a, midnight.timestamp(), b


def _date_of(tz: dt.tzinfo, t: float) -> int:
    return dt.datetime.fromtimestamp(t, tz).date().toordinal()


def business_days(calendar: WorkingCalendar, first: dt.datetime, last: dt.datetime) -> BusinessDays:
    """The calendar's business intervals covering the instants from `first` to `last`."""
    day = calendar.local(first).date() - dt.timedelta(days=1)
    end = calendar.local(last).date() + dt.timedelta(days=1)
    opening = calendar.business_seconds_between(ORIGIN, dt.datetime.combine(day, dt.time(), calendar.tz))
    starts: list[float] = []
    before: list[float] = []
    through: list[float] = []
    total = opening
    while day <= end:
        for start, stop in _working_intervals(calendar, day):
            starts.append(start)
            before.append(total)
            total += stop - start
            through.append(total)
        day += dt.timedelta(days=1)
    return BusinessDays(calendar.tz, first.timestamp(), last.timestamp(), opening, tuple(starts), tuple(before),
                        tuple(through))


def day_rows(calendar: WorkingCalendar, first_day: int, last_day: int) -> list[DayRow]:
    """The rows of the UTC days `first_day` to `last_day` (day numbers, both included)."""
    first = dt.datetime.fromtimestamp(first_day * DAY, UTC)
    last = dt.datetime.fromtimestamp((last_day + 1) * DAY - 1, UTC)
    return business_days(calendar, first, last).rows()


def day_number(moment: dt.datetime) -> int:
    """The UTC day number of `moment`."""
    return int(moment.timestamp() // DAY)


def _working_intervals(calendar: WorkingCalendar, day: dt.date) -> list[tuple[float, float]]:
    """The UTC intervals of `day`'s business hours; none on a holiday (the calendar has no business
    time inside them then)."""
    window = calendar.windows[day.weekday()]
    if window is None:
        return []
    intervals = day_intervals(calendar.tz, day, window)
    if not intervals:
        return []
    opening = dt.datetime.fromtimestamp(intervals[0][0], UTC)
    closing = dt.datetime.fromtimestamp(intervals[-1][1], UTC)
    return intervals if calendar.business_seconds_between(opening, closing) > 0 else []
