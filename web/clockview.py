"""SLA clocks as an agent reads them: the time left counted in business hours, not wall time.

"Due Monday 10:00" on a Friday afternoon is a few working hours away, not three days: the
calendar (`sla.calendar`) measures the business time between now and the deadline.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sla.calendar import WorkingCalendar
from sla.state import state_at
from tickets.models import SlaClock


@dataclass(frozen=True)
class ClockView:
    kind: str
    state: str
    running: bool
    paused: bool
    due_at: dt.datetime | None
    left: str


def wall_clock(calendar: WorkingCalendar, moment: dt.datetime | None) -> str:
    """A moment on the shop's wall clock (the calendar's timezone), e.g. 'Tue 24 Nov 2026 10:00'."""
    return calendar.local(moment).strftime("%a %d %b %Y %H:%M") if moment else ""


def business_duration(seconds: float, day_seconds: float) -> str:
    """'1 working day 3 h 20 min', '45 min': whole working days, then hours and minutes."""
    seconds = abs(seconds)
    days, rest = divmod(int(seconds), int(day_seconds))
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = [f"{days} working day" + ("" if days == 1 else "s")] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return " ".join(parts)


def compact_duration(seconds: float, day_seconds: float) -> str:
    """'3 h 20 m', '1 d 2 h', '45 m': the two largest units of working time, for a list's narrow column."""
    seconds = abs(seconds)
    days, rest = divmod(int(seconds), int(day_seconds))
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} m" if minutes else f"{hours} h"
    return f"{minutes} m"


def due_phrase(calendar: WorkingCalendar, now: dt.datetime, due: dt.datetime) -> str:
    """'due in 3 h 20 m' or 'breached 1 d ago', in business time."""
    seconds = calendar.business_seconds_between(now, due)
    span = compact_duration(seconds, calendar.working_day_seconds)
    return f"due in {span}" if seconds >= 0 else f"breached {span} ago"


def waiting_phrase(calendar: WorkingCalendar, now: dt.datetime, since: dt.datetime) -> str:
    """'waiting 2 d': the business time since the customer's newest message."""
    seconds = max(calendar.business_seconds_between(since, now), 0)
    return f"waiting {compact_duration(seconds, calendar.working_day_seconds)}"


def time_left(calendar: WorkingCalendar, now: dt.datetime, due: dt.datetime) -> str:
    seconds = calendar.business_seconds_between(now, due)
    span = business_duration(seconds, calendar.working_day_seconds)
    return f"{span} left" if seconds >= 0 else f"overdue by {span}"


def clock_views(clocks: Iterable[SlaClock], calendar: WorkingCalendar, now: dt.datetime) -> list[ClockView]:
    """Running clocks show their state and the business time left at `now`; paused and stopped ones say so."""
    views = []
    for clock in clocks:
        if not clock.running:
            left = f"stopped, {clock.state}"
        elif clock.paused_at is not None:
            left = "paused while waiting on the customer"
        elif clock.due_at is not None:
            left = time_left(calendar, now, clock.due_at)
        else:
            left = ""
        state = state_at(clock.running, clock.state, clock.warn_at, clock.due_at, now)
        views.append(ClockView(clock.kind, state, clock.running, clock.paused_at is not None, clock.due_at, left))
    return views
