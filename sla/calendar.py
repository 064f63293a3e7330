"""Working-time arithmetic: "N working days" from a moment of receipt (docs/architecture.md).

An instant is business time when the wall clock of the calendar's timezone shows a time inside
that weekday's window on a working day (not a holiday). Across a DST change a window therefore
lasts its real elapsed length: a window reaching into a skipped hour is shorter, one that spans a
repeated hour is longer, and a window that opens inside a repeated hour is open during both
passes of the wall clock over its part of that hour.

Deadlines are computed arithmetically: the business intervals of every working day are kept in a
table of UTC epoch seconds with the cumulative business time before each interval, built a year
at a time on demand; a deadline is two binary searches, never a walk minute by minute.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import os
import re
import threading
import zoneinfo
from collections.abc import Callable, Container
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tickets.config import WEEKDAYS, CalendarConfig, Config
from tickets.errors import ConfigError, InputError

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1)
DAY = 86400
FIRST_YEAR, LAST_YEAR = 1901, 2998  # instants and deadlines; the tables reach one year beyond each end
_HOURS = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")

Window = tuple[int, int]  # opening and closing, in minutes after local midnight (closing may be 1440)


def parse_window(text: str, key: str) -> Window | None:
    """ "09:00-18:00" as minutes after midnight; an empty string means not a working day."""
    text = text.strip()
    if not text:
        return None
    match = _HOURS.match(text)
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 < 24 and m1 < 60 and m2 < 60 and (h2 < 24 or end == 1440) and start < end:
            return start, end
    raise ConfigError(f"{key} must be opening-closing hours like \"09:00-18:00\" (closing after opening), "
                      f"not {text!r}")


class _Table:
    """Business intervals of the working days in [first, last], in UTC epoch seconds.

    `before[i]` is the business time before interval i and `through[i]` the time up to its end, both
    counted from the table's first interval. It answers for instants in [lo, hi]: a day away from
    its first and last dates, so no interval of a date outside it can matter.
    """

    __slots__ = ("first", "last", "starts", "before", "through", "lo", "hi")

    def __init__(self, first: dt.date, last: dt.date, starts: list[float], before: list[float],
                 through: list[float]) -> None:
        self.first, self.last = first, last
        self.starts, self.before, self.through = starts, before, through
        self.lo = (dt.datetime.combine(first, dt.time()) - EPOCH).total_seconds() + DAY
        self.hi = (dt.datetime.combine(last, dt.time()) - EPOCH).total_seconds()

    @property
    def empty(self) -> bool:
        return self.first > self.last

    @classmethod
    def before_year(cls, year: int) -> _Table:
        """An empty table, ready to be extended from 1 January of `year`."""
        return cls(dt.date(year, 1, 1), dt.date(year - 1, 12, 31), [], [], [])


class WorkingCalendar:
    """Business hours per weekday in one timezone, minus holidays; see the module docstring."""

    def __init__(self, tz: ZoneInfo, windows: tuple[Window | None, ...], is_holiday: Callable[[dt.date], bool],
                 day_hours: float = 0.0) -> None:
        if len(windows) != 7 or not any(windows):
            raise ConfigError("calendar.hours: at least one weekday needs business hours")
        self.tz = tz
        self.windows = windows
        self._is_holiday = is_holiday
        longest = max((end - start) / 60 for start, end in filter(None, windows))
        self.day_hours = day_hours or longest
        self._day_seconds = self.day_hours * 3600.0
        self._lock = threading.Lock()
        self._table = _Table.before_year(FIRST_YEAR)

    @classmethod
    def from_config(cls, cfg: CalendarConfig, source: str = "") -> WorkingCalendar:
        """The calendar of the `[calendar]` table; a bad entry is a ConfigError naming its key."""
        prefix = f"{source}: " if source else ""
        try:
            return cls(_zone(cfg.timezone), _windows(cfg), _holidays(cfg), _day_hours(cfg))
        except ConfigError as exc:
            raise ConfigError(prefix + str(exc)) from None

    @property
    def working_day_seconds(self) -> float:
        """Business seconds in one working day (`day_length_hours`)."""
        return self._day_seconds

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` on the calendar's wall clock."""
        return moment.astimezone(self.tz)

    def add_working_days(self, start: dt.datetime, days: float) -> dt.datetime:
        """The deadline `days` working days after `start` (aware), in UTC."""
        return self.add_business_seconds(start, days * self._day_seconds)

    def add_business_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The instant when `seconds` of business time have passed since `start`, in UTC.

        A deadline that falls exactly on a closing time is that closing time, not the next opening.
        """
        if start.tzinfo is None:
            raise ValueError("add_business_seconds needs an aware datetime")
        if not seconds >= 0 or seconds == math.inf:
            raise ValueError(f"business time to add must be a finite number >= 0, not {seconds!r}")
        if seconds == 0:
            return start.astimezone(UTC)
        t = start.timestamp()
        table = self._covering(t)
        target = self._elapsed(table, t) + seconds
        while target > (table.through[-1] if table.through else 0.0):
            table = self._extend_for(table, target)
            target = self._elapsed(table, t) + seconds
        j = bisect.bisect_left(table.through, target)
        return dt.datetime.fromtimestamp(table.starts[j] + (target - table.before[j]), UTC)

    def business_seconds_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Business seconds from `a` to `b` (negative when `b` is earlier)."""
        if a.tzinfo is None or b.tzinfo is None:
            raise ValueError("business_seconds_between needs aware datetimes")
        ta, tb = a.timestamp(), b.timestamp()
        table = self._covering(min(ta, tb))
        table = self._covering(max(ta, tb))
        return self._elapsed(table, tb) - self._elapsed(table, ta)

    @staticmethod
    def _elapsed(table: _Table, t: float) -> float:
        """Business seconds from the table's start to the instant `t` (epoch seconds)."""
        i = bisect.bisect_right(table.starts, t) - 1
        if i < 0:
            return 0.0
        return min(table.before[i] + (t - table.starts[i]), table.through[i])

    def _covering(self, t: float) -> _Table:
        table = self._table
        if table.lo <= t <= table.hi:
            return table
        year = dt.datetime.fromtimestamp(min(max(t, -2.3e9), 3.3e10), UTC).year
        return self._build(year - 1, year + 1)

    def _extend_for(self, table: _Table, target: float) -> _Table:
        """Grow the table forward far enough (judged by its business time per year) for `target`."""
        per_year = max(table.through[-1] if table.through else 0.0, 1.0) / (table.last.year - table.first.year + 1)
        years = math.ceil((target - (table.through[-1] if table.through else 0.0)) / per_year)
        return self._build(table.first.year, table.last.year + max(years, 1))

    def _build(self, first_year: int, last_year: int) -> _Table:
        """The table grown to cover the years `first_year` to `last_year`; it never shrinks."""
        if first_year < FIRST_YEAR - 1 or last_year > LAST_YEAR + 1:
            raise InputError(f"date outside the working calendar's range ({FIRST_YEAR}-{LAST_YEAR})")
        with self._lock:
            table = self._table
            if not table.empty:
                if table.first.year <= first_year and last_year <= table.last.year:
                    return table
                last_year = max(last_year, table.last.year)
                if table.first.year > first_year:
                    table = _Table.before_year(first_year)
            else:
                table = _Table.before_year(first_year)
            self._table = self._appended(table, dt.date(last_year, 12, 31))
            return self._table

    def _appended(self, table: _Table, last: dt.date) -> _Table:
        """A copy of `table` with the working days after its last date up to `last` added."""
        starts, before, through = list(table.starts), list(table.before), list(table.through)
        total = through[-1] if through else 0.0
        day = table.last + dt.timedelta(days=1)
        while day <= last:
            window = self.windows[day.weekday()]
            if window is not None and not self._is_holiday(day):
                for start, end in day_intervals(self.tz, day, window):
                    starts.append(start)
                    before.append(total)
                    total += end - start
                    through.append(total)
            day += dt.timedelta(days=1)
        return _Table(table.first, last, starts, before, through)


@functools.lru_cache(maxsize=8)
def _calendar(cfg: CalendarConfig, source: str) -> WorkingCalendar:
    return WorkingCalendar.from_config(cfg, source)


def calendar_for(config: Config) -> WorkingCalendar:
    """The calendar of `config`, built once per distinct `[calendar]` table so its tables are shared."""
    return _calendar(config.calendar, config.source)


def _offset(tz: ZoneInfo, t: float) -> float:
    offset = dt.datetime.fromtimestamp(t, tz).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


def _segments(tz: ZoneInfo, lo: float, hi: float) -> list[tuple[float, float, float]]:
    """[lo, hi) cut where the UTC offset changes: (from, to, offset) in epoch seconds.

    Each change is found by bisection to the second; it assumes no offset changes twice and
    changes back within the span (no timezone does within the three days asked for).
    """
    segments = []
    while True:
        first, last = _offset(tz, lo), _offset(tz, hi)
        if first == last:
            segments.append((lo, hi, first))
            return segments
        a, b = lo, hi  # offset(a) == first, offset(b) != first
        while b - a > 1:
            mid = (a + b) // 2
            if _offset(tz, mid) == first:
                a = mid
            else:
                b = mid
        segments.append((lo, b, first))
        lo = b


def day_intervals(tz: ZoneInfo, day: dt.date, window: Window) -> list[tuple[float, float]]:
    """The UTC intervals (epoch seconds) in which the wall clock shows a time of `window` on `day`."""
    midnight = (dt.datetime.combine(day, dt.time()) - EPOCH).total_seconds()
    opens, closes = midnight + window[0] * 60, midnight + window[1] * 60  # wall-clock times as numbers
    intervals: list[tuple[float, float]] = []
    for lo, hi, offset in _segments(tz, opens - DAY, closes + DAY):
        start, end = max(lo, opens - offset), min(hi, closes - offset)
        if start >= end:
            continue
        if intervals and intervals[-1][1] == start:
            start = intervals.pop()[0]
        intervals.append((start, end))
    return intervals


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"calendar.timezone: unknown IANA timezone {name!r}") from None


def _windows(cfg: CalendarConfig) -> tuple[Window | None, ...]:
    return tuple(parse_window(getattr(cfg.hours, day), f"calendar.hours.{day}") for day in WEEKDAYS)


def _day_hours(cfg: CalendarConfig) -> float:
    if not 0 <= cfg.day_length_hours <= 24:
        raise ConfigError(f"calendar.day_length_hours must be between 0 (the longest window) and 24, "
                          f"not {cfg.day_length_hours}")
    return cfg.day_length_hours


NO_HOLIDAYS = "none"  # `holiday_country = "none"`: no public holidays, only the listed dates


@functools.cache
def country_of_zone(timezone: str) -> str:
    """The ISO country code the tz database gives `timezone` (its zone.tab), or '' when it names none.

    An empty `holiday_country` means the country of the calendar's time zone: the default calendar
    (New York) keeps the United States' public holidays without further setup.
    """
    for folder in zoneinfo.TZPATH:
        try:
            with open(os.path.join(folder, "zone.tab"), encoding="utf-8") as table:
                for line in table:
                    fields = line.split("\t")
                    if not line.startswith("#") and len(fields) >= 3 and fields[2].strip() == timezone:
                        return fields[0]
        except OSError:
            continue
    return ""


class _ZoneHolidays:
    """The public holidays of the time zone's country, read on first use; none if the package does
    not know the country."""

    def __init__(self, country: str, extra: set[dt.date]) -> None:
        self.country, self.extra = country, extra
        self._national: Container[dt.date] | None = None

    def __contains__(self, day: object) -> bool:
        if day in self.extra:
            return True
        if self._national is None:
            import holidays as holidays_lib

            try:
                self._national = holidays_lib.country_holidays(self.country)
            except NotImplementedError:
                self._national = frozenset()
        return day in self._national


def _holidays(cfg: CalendarConfig) -> Callable[[dt.date], bool]:
    """A predicate for holidays: the country's public holidays (observed days too) and the listed dates."""
    extra = set()
    for i, text in enumerate(cfg.holidays):
        try:
            extra.add(dt.date.fromisoformat(text))
        except ValueError:
            raise ConfigError(f"calendar.holidays[{i}] must be an ISO date like 2026-12-24, not {text!r}") from None
    if cfg.holiday_subdivision and not cfg.holiday_country:
        raise ConfigError("calendar.holiday_subdivision needs calendar.holiday_country")
    country = cfg.holiday_country or country_of_zone(cfg.timezone)
    if country in ("", NO_HOLIDAYS):
        return extra.__contains__
    if not cfg.holiday_country:
        # The time zone's country: nothing to check, so the holidays package (a fifth of a second to
        # import) loads when a date is first asked about, not in every command that builds a calendar.
        return _ZoneHolidays(country, extra).__contains__
    import holidays as holidays_lib

    try:
        national = holidays_lib.country_holidays(country)
    except NotImplementedError:
        raise ConfigError(f"calendar.holiday_country: {cfg.holiday_country!r} is not a country code "
                          f"known to the holidays package") from None
    if cfg.holiday_subdivision:
        try:
            national = holidays_lib.country_holidays(cfg.holiday_country, subdiv=cfg.holiday_subdivision)
        except NotImplementedError:
            raise ConfigError(f"calendar.holiday_subdivision: {cfg.holiday_subdivision!r} is not a "
                              f"subdivision of {cfg.holiday_country!r}") from None
    return lambda day: day in extra or day in national
