"""The working-day calendar against a slow, obviously correct reference that steps minute by minute."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sla.calendar import WorkingCalendar, country_of_zone
from tickets.config import WEEKDAYS, CalendarConfig, WeekHours
from tickets.errors import ConfigError, InputError

UTC = dt.UTC
NY = ZoneInfo("America/New_York")
OFFICE = CalendarConfig(timezone="America/New_York")  # 09:00-18:00 Monday to Friday

# DST changes near which the random receipts fall (the reference is only run over a few days).
TRANSITIONS = {
    "America/New_York": ["2025-03-09", "2025-11-02", "2026-03-08", "2026-11-01"],
    "Europe/Berlin": ["2025-03-30", "2025-10-26", "2026-03-29", "2026-10-25"],
    "Australia/Sydney": ["2025-04-06", "2025-10-05", "2026-04-05", "2026-10-04"],
}


class Reference:
    """The definition, executed literally: a minute is business time when the calendar's wall
    clock shows a time inside that weekday's window on a date that is not a holiday."""

    def __init__(self, cfg: CalendarConfig) -> None:
        self.tz = ZoneInfo(cfg.timezone)
        self.windows = [_minutes(getattr(cfg.hours, day)) for day in WEEKDAYS]
        self.extra = {dt.date.fromisoformat(d) for d in cfg.holidays}
        country = cfg.holiday_country or country_of_zone(cfg.timezone)  # empty: the time zone's country
        self.national = holidays.country_holidays(country) if country in holidays.list_supported_countries() else {}
        longest = max(end - start for start, end in filter(None, self.windows)) / 60
        self.day_seconds = (cfg.day_length_hours or longest) * 3600

    def is_business(self, epoch: int) -> bool:
        wall = dt.datetime.fromtimestamp(epoch, self.tz)
        window = self.windows[wall.weekday()]
        if window is None or wall.date() in self.extra or wall.date() in self.national:
            return False
        return window[0] <= wall.hour * 60 + wall.minute < window[1]

    def minutes(self, start: dt.datetime):  # type: ignore[no-untyped-def]
        """(from, to, is business) for the piece up to the next whole minute, then every minute."""
        at = start.timestamp()
        while True:
            nxt = (int(at) // 60 + 1) * 60
            yield at, nxt, self.is_business(int(at) // 60 * 60)
            at = nxt

    def add_working_days(self, start: dt.datetime, days: float) -> dt.datetime:
        remaining = days * self.day_seconds
        if remaining == 0:
            return start
        for at, nxt, business in self.minutes(start):
            if business:
                if remaining <= nxt - at:
                    return dt.datetime.fromtimestamp(at + remaining, UTC)
                remaining -= nxt - at
        raise AssertionError("unreachable")

    def business_seconds_between(self, a: dt.datetime, b: dt.datetime) -> float:
        total = 0.0
        for at, nxt, business in self.minutes(a):
            if at >= b.timestamp():
                return total
            total += (min(nxt, b.timestamp()) - at) if business else 0
        raise AssertionError("unreachable")


def _minutes(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    start, end = text.split("-")
    return int(start[:2]) * 60 + int(start[3:]), int(end[:2]) * 60 + int(end[3:])


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def windows(draw: st.DrawFn) -> str:
    start = draw(st.integers(0, 95)) * 15
    end = start + draw(st.integers(1, 96 - start // 15)) * 15
    return f"{_hhmm(start)}-{_hhmm(end)}"


@st.composite
def calendars(draw: st.DrawFn) -> CalendarConfig:
    """Random business hours (often through the night, to cross DST changes), holidays, day lengths."""
    tz = draw(st.sampled_from(sorted(TRANSITIONS)))
    hours = draw(st.lists(st.one_of(st.just(""), windows()), min_size=7, max_size=7)
                 .filter(lambda days: sum(1 for d in days if d) >= 3))
    extra = draw(st.lists(st.sampled_from(TRANSITIONS[tz]).map(dt.date.fromisoformat)
                          .flatmap(lambda d: st.integers(-3, 5).map(lambda k: d + dt.timedelta(days=k))),
                          max_size=3))
    return CalendarConfig(timezone=tz, hours=WeekHours(*hours), holidays=tuple(d.isoformat() for d in extra),
                          holiday_country=draw(st.sampled_from(["", "US", "DE"])),
                          day_length_hours=draw(st.sampled_from([0.0, 0.0, 2.5, 8.0])))


@st.composite
def receipts(draw: st.DrawFn, cfg: CalendarConfig) -> dt.datetime:
    """An instant within a few days before or after one of the timezone's DST changes."""
    day = dt.date.fromisoformat(draw(st.sampled_from(TRANSITIONS[cfg.timezone])))
    midnight = dt.datetime.combine(day, dt.time(), UTC)
    return midnight + dt.timedelta(seconds=draw(st.integers(-4 * 86400, 2 * 86400)))


cases = calendars().flatmap(lambda cfg: st.tuples(st.just(cfg), receipts(cfg), st.integers(0, 16).map(lambda k: k / 8)))


def _at(tz: str, *fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=ZoneInfo(tz))


NIGHTS = WeekHours(*["00:00-06:00"] * 7)
FOLD_OPENING = WeekHours(*["02:30-10:00"] * 7)


@given(cases)
@example((OFFICE, _at("America/New_York", 2026, 11, 24, 10), 2))   # worked examples of D-1 (docs/policies.md)
@example((OFFICE, _at("America/New_York", 2026, 11, 27, 17), 1))
@example((OFFICE, _at("America/New_York", 2026, 11, 28, 12), 1))
@example((replace(OFFICE, holiday_country="US"), _at("America/New_York", 2026, 11, 25, 10), 1))  # Thanksgiving
@example((replace(OFFICE, holidays=("2026-12-24",)), _at("America/New_York", 2026, 12, 23, 12), 1))
@example((replace(OFFICE, hours=NIGHTS), _at("America/New_York", 2026, 3, 7, 23), 1))   # a night loses an hour
@example((replace(OFFICE, hours=NIGHTS), _at("America/New_York", 2026, 10, 31, 23), 1))  # a night gains one
@example((CalendarConfig("Europe/Berlin", hours=FOLD_OPENING), _at("Europe/Berlin", 2026, 10, 25, 1), 1))
@example((CalendarConfig("Australia/Sydney", hours=NIGHTS), _at("Australia/Sydney", 2026, 4, 4, 12), 1.5))
def test_deadline_agrees_with_minute_stepping_reference(case: tuple[CalendarConfig, dt.datetime, float]) -> None:
    # A deadline N working days after receipt is where a minute-by-minute count of business time ends.
    cfg, start, days = case
    got = WorkingCalendar.from_config(cfg).add_working_days(start, days)
    want = Reference(cfg).add_working_days(start, days)
    assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)
    assert abs((got - want).total_seconds()) < 1, (got, want)


@given(cases, st.integers(0, 3 * 86400))
@example((CalendarConfig("Europe/Berlin", hours=FOLD_OPENING), _at("Europe/Berlin", 2026, 10, 25, 0), 0), 86400)
@example((replace(OFFICE, hours=NIGHTS), _at("America/New_York", 2026, 3, 8, 0), 0), 86400)
def test_business_time_between_agrees_with_reference(case: tuple[CalendarConfig, dt.datetime, float],
                                                       span: int) -> None:
    # The business time between two instants is what a minute-by-minute count finds.
    cfg, start, _ = case
    end = start + dt.timedelta(seconds=span)
    got = WorkingCalendar.from_config(cfg).business_seconds_between(start, end)
    assert abs(got - Reference(cfg).business_seconds_between(start, end)) < 1


@given(cases)
def test_adding_business_time_then_measuring_it_gives_it_back(case: tuple[CalendarConfig, dt.datetime, float]) -> None:
    # Measuring from receipt to the deadline gives exactly the business time that was added.
    cfg, start, days = case
    calendar = WorkingCalendar.from_config(cfg)
    due = calendar.add_working_days(start, days)
    assert calendar.business_seconds_between(start, due) == pytest.approx(days * calendar.working_day_seconds,
                                                                          abs=1e-3)


@pytest.mark.parametrize("received, days, due", [
    ((2026, 11, 24, 10, 0), 2, (2026, 11, 27, 10, 0)),   # Tuesday 10:00 -> Friday 10:00 (Thursday: Thanksgiving)
    ((2026, 11, 27, 17, 0), 1, (2026, 11, 30, 17, 0)),   # Friday 17:00 -> Monday 17:00
    ((2026, 11, 28, 11, 0), 1, (2026, 11, 30, 18, 0)),   # Saturday -> Monday 18:00
    ((2026, 11, 24, 7, 30), 1, (2026, 11, 24, 18, 0)),   # before opening: counted from 09:00
    ((2026, 11, 24, 20, 0), 0.5, (2026, 11, 25, 13, 30)),  # after closing: from the next opening
])
def test_design_examples(received: tuple[int, ...], days: float, due: tuple[int, ...]) -> None:
    # Worked examples of the working-day rule (docs/policies.md, D-1) hold on the office calendar.
    calendar = WorkingCalendar.from_config(OFFICE)
    assert calendar.add_working_days(dt.datetime(*received, tzinfo=NY), days) == dt.datetime(*due, tzinfo=NY)


def test_country_holidays_and_listed_dates_are_skipped() -> None:
    # Thanksgiving (US) and a listed Christmas Eve are not working days.
    calendar = WorkingCalendar.from_config(replace(OFFICE, holiday_country="US", holidays=("2026-12-24",)))
    assert calendar.add_working_days(dt.datetime(2026, 11, 25, 10, tzinfo=NY), 1) == dt.datetime(2026, 11, 27, 10,
                                                                                                 tzinfo=NY)
    assert calendar.add_working_days(dt.datetime(2026, 12, 23, 12, tzinfo=NY), 1) == dt.datetime(2026, 12, 28, 12,
                                                                                                 tzinfo=NY)


def test_window_lasts_its_real_length_on_dst_days() -> None:
    # A 00:00-06:00 window is 5 hours on the spring-forward night and 7 on the fall-back night.
    calendar = WorkingCalendar.from_config(replace(OFFICE, hours=NIGHTS))
    spring = dt.datetime(2026, 3, 8, tzinfo=NY), dt.datetime(2026, 3, 8, 12, tzinfo=NY)
    autumn = dt.datetime(2026, 11, 1, tzinfo=NY), dt.datetime(2026, 11, 1, 12, tzinfo=NY)
    assert calendar.business_seconds_between(*spring) == 5 * 3600
    assert calendar.business_seconds_between(*autumn) == 7 * 3600


def test_window_opening_in_the_repeated_hour_is_open_on_both_passes() -> None:
    # Berlin, 25 October 2026: a 02:30-10:00 window is open 02:30-03:00 CEST, then from 02:30 CET (8 hours).
    calendar = WorkingCalendar.from_config(CalendarConfig("Europe/Berlin", hours=FOLD_OPENING))
    day = dt.datetime(2026, 10, 25, tzinfo=UTC) - dt.timedelta(hours=2), dt.datetime(2026, 10, 25, 12, tzinfo=UTC)
    assert calendar.business_seconds_between(*day) == 8 * 3600
    half_hour_in = calendar.add_business_seconds(day[0], 1800)
    assert half_hour_in == dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)   # 03:00 CEST, where CET 02:00 begins
    assert calendar.add_business_seconds(day[0], 1801) == dt.datetime(2026, 10, 25, 1, 30, 1, tzinfo=UTC)


def test_window_opening_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    # New York skips 02:00-03:00 on 8 March 2026: a 02:30 opening means 03:00 EDT.
    calendar = WorkingCalendar.from_config(replace(OFFICE, hours=WeekHours(*["02:30-10:00"] * 7)))
    start = dt.datetime(2026, 3, 8, 1, tzinfo=NY)
    assert calendar.add_business_seconds(start, 60) == dt.datetime(2026, 3, 8, 3, 1, tzinfo=NY)


def test_day_length_defaults_to_the_longest_window_and_can_be_set() -> None:
    # One working day is the longest daily window unless day_length_hours says otherwise.
    hours = WeekHours(mon="09:00-18:00", fri="09:00-13:00")
    assert WorkingCalendar.from_config(CalendarConfig(hours=hours)).working_day_seconds == 9 * 3600
    calendar = WorkingCalendar.from_config(CalendarConfig(hours=hours, day_length_hours=4))
    assert calendar.add_working_days(dt.datetime(2026, 11, 27, 9, tzinfo=NY), 2) == dt.datetime(2026, 11, 30, 13,
                                                                                               tzinfo=NY)


@pytest.mark.parametrize("cfg, key", [
    (CalendarConfig(hours=WeekHours(mon="9-18")), "calendar.hours.mon"),
    (CalendarConfig(hours=WeekHours(tue="18:00-09:00")), "calendar.hours.tue"),
    (CalendarConfig(hours=WeekHours(wed="09:00-24:30")), "calendar.hours.wed"),
    (CalendarConfig(hours=WeekHours(*[""] * 7)), "calendar.hours"),
    (CalendarConfig(timezone="Mars/Olympus"), "calendar.timezone"),
    (CalendarConfig(holiday_country="XX"), "calendar.holiday_country"),
    (CalendarConfig(holiday_country="US", holiday_subdivision="ZZ"), "calendar.holiday_subdivision"),
    (CalendarConfig(holidays=("24/12/2026",)), "calendar.holidays[0]"),
    (CalendarConfig(day_length_hours=-1), "calendar.day_length_hours"),
])
def test_bad_calendar_settings_name_their_key(cfg: CalendarConfig, key: str) -> None:
    # A wrong calendar setting is a ConfigError that names the key and the file.
    with pytest.raises(ConfigError, match=r"^config\.toml: " + key.replace(".", r"\.").replace("[", r"\[")):
        WorkingCalendar.from_config(cfg, source="config.toml")


def test_whole_day_window_and_subdivision_holidays() -> None:
    # "00:00-24:00" is open around the clock; Bavarian holidays (Epiphany) apply with the subdivision.
    hours = WeekHours(*["00:00-24:00"] * 7)
    calendar = WorkingCalendar.from_config(CalendarConfig("Europe/Berlin", holiday_country="DE",
                                                          holiday_subdivision="BY", hours=hours))
    start = dt.datetime(2026, 1, 5, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    assert calendar.add_working_days(start, 1) == dt.datetime(2026, 1, 7, 12, tzinfo=ZoneInfo("Europe/Berlin"))


def test_naive_times_and_negative_durations_are_refused() -> None:
    # Naive datetimes and negative durations are programming errors, not silently wrong deadlines.
    calendar = WorkingCalendar.from_config(OFFICE)
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.datetime(2026, 11, 24, 10), 1)
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.datetime(2026, 11, 24, 10, tzinfo=NY), -1)


def test_far_future_deadline_is_an_input_error() -> None:
    # A deadline beyond the calendar's range is refused with a clear error instead of running on.
    calendar = WorkingCalendar.from_config(OFFICE)
    with pytest.raises(InputError, match="range"):
        calendar.add_working_days(dt.datetime(2026, 11, 24, 10, tzinfo=NY), 10_000_000)
