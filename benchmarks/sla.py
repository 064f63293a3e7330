"""SLA benchmarks: deadline arithmetic and one clock-check pass over 100,000 open tickets.

Run: python benchmarks/sla.py [--tickets N]

1. add_working_days deadlines per second (target >= 200,000/s), next to the same number of plain
   `datetime + timedelta` additions measured in the same run.
2. One `check_clocks` pass (with its commit) over N open tickets in a fresh SQLite database (target
   < 2 s for 100,000), next to a plain `SELECT count(*)` over sla_clocks. The clocks were last
   checked an hour ago, as after a restart, so the pass has real changes to make: each one is an
   event and a notification mail (to the assignee, or the queue's team address).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

# This script shares its name with the package it measures: keep its own folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services import Services  # noqa: E402
from sla.calendar import WorkingCalendar, calendar_for  # noqa: E402
from sla.jobs import check_clocks  # noqa: E402
from tickets import notify  # noqa: E402
from tickets.clock import FrozenClock  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig  # noqa: E402
from tickets.models import Outbox, SlaClock, Ticket, User  # noqa: E402

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # a Tuesday, 11:00 in New York
DAYS = (1, 2, 3, 5)


def _starts(count: int, span_days: int, seed: int = 7) -> list[dt.datetime]:
    rng = random.Random(seed)
    return [NOW - dt.timedelta(seconds=rng.randrange(span_days * 86400)) for _ in range(count)]


def bench_deadlines(calendar: WorkingCalendar, count: int = 200_000) -> None:
    starts = _starts(count, 730)
    days = [DAYS[i % len(DAYS)] for i in range(count)]
    calendar.add_working_days(starts[0], 1)  # build the first tables outside the timing
    began = time.perf_counter()
    for start, n in zip(starts, days):
        calendar.add_working_days(start, n)
    ours = time.perf_counter() - began
    deltas = [dt.timedelta(days=n) for n in days]
    began = time.perf_counter()
    for start, delta in zip(starts, deltas):
        start + delta  # noqa: B018 - the baseline is the bare addition
    baseline = time.perf_counter() - began
    rate = count / ours
    print(f"add_working_days:        {rate:12,.0f} deadlines/s  ({'OK' if rate >= 200_000 else 'BELOW'} "
          f"target 200,000/s)")
    print(f"  baseline datetime+timedelta: {count / baseline:12,.0f} additions/s  "
          f"(working days cost {ours / baseline:.1f}x a plain addition)")


def _clock_row(calendar: WorkingCalendar, ticket_id: int, start: dt.datetime, days: int,
               checked: dt.datetime) -> dict[str, object]:
    """A running reply clock as the last check (at `checked`) left it."""
    day = calendar.working_day_seconds
    warn = calendar.add_business_seconds(start, 0.75 * days * day)
    due = calendar.add_business_seconds(start, days * day)
    state = "breached" if due <= checked else "at_risk" if warn <= checked else "ok"
    return {"ticket_id": ticket_id, "kind": "reply", "target_working_days": days, "started_at": start,
            "warn_at": warn, "due_at": due, "running": True, "state": state, "paused_seconds": 0.0}


def seed(session: Session, calendar: WorkingCalendar, count: int, checked: dt.datetime) -> None:
    """`count` open tickets with one running reply clock each, received over the last three weeks."""
    session.add(User(email="ana@aeropressmall.com", created_at=NOW))
    session.flush()
    starts = _starts(count, 21)
    tickets: list[dict[str, object]] = [
        {"id": i + 1, "reference": f"HD-{i + 1}", "subject": "Where is my order?", "queue": "order.tracking",
         "status": "open", "mailbox": "support", "assignee_id": 1 if i % 2 else None,
         "created_at": start, "updated_at": start, "next_deadline": None}
        for i, start in enumerate(starts)]
    clocks = [_clock_row(calendar, i + 1, start, DAYS[i % len(DAYS)], checked) for i, start in enumerate(starts)]
    for row, clock in zip(tickets, clocks):
        row["next_deadline"] = clock["due_at"]
    session.execute(insert(Ticket), tickets)
    session.execute(insert(SlaClock), clocks)


def _timed_mail() -> list[float]:
    """Time spent composing and queueing notification mails (tickets.outbox), summed into the list.

    The pass queues them through `tickets.notify.notify_staff`, which looks `queue_notification` up there."""
    spent, queue = [0.0], notify.queue_notification

    def timed(session: Session, config: Config, to: str, subject: str, body: str, ticket: Ticket | None,
              now: dt.datetime) -> Outbox:
        began = time.perf_counter()
        try:
            return queue(session, config, to=to, subject=subject, body=body, ticket=ticket, now=now)
        finally:
            spent[0] += time.perf_counter() - began
    notify.queue_notification = timed
    return spent


def bench_check(config: Config, count: int) -> None:
    """The pass the scheduler's "sla-check" job runs, in sessions of the services as it does."""
    with tempfile.TemporaryDirectory() as folder:
        config = dataclasses.replace(config, database=DatabaseConfig(url=f"sqlite:///{Path(folder) / 'bench.db'}"),
                                     storage=StorageConfig(path=str(Path(folder) / "files")))
        services = Services.build(config, FrozenClock(NOW))
        sessions, calendar = services.sessions, services.calendar
        with sessions.begin() as session:
            seed(session, calendar, count, NOW - dt.timedelta(hours=1))
        with sessions() as session:
            began = time.perf_counter()
            session.scalar(select(func.count()).select_from(SlaClock))
            baseline = time.perf_counter() - began
        mail_time = _timed_mail()
        with sessions() as session:
            began = time.perf_counter()
            result = check_clocks(session, config, calendar, services.clock.now())
            session.commit()
            elapsed = time.perf_counter() - began
        with sessions() as session:
            began = time.perf_counter()
            again = check_clocks(session, config, calendar, services.clock.now())
            session.commit()
            idle = time.perf_counter() - began
        with services.engine.connect() as conn:
            open_clocks = conn.execute(text("SELECT count(*) FROM sla_clocks WHERE running")).scalar_one()
        services.close()
    print(f"check_clocks over {open_clocks:,} open tickets: {elapsed:.3f} s  "
          f"({'OK' if elapsed < 2 else 'OVER'} target 2 s; {result['at_risk']:,} at risk, "
          f"{result['breached']:,} breached, {result['notified']:,} mails queued)")
    print(f"  of which composing the mails (tickets.outbox): {mail_time[0]:.3f} s")
    print(f"  same pass again (nothing to change): {idle:.3f} s  {again}")
    print(f"  baseline SELECT count(*) FROM sla_clocks: {baseline:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    tracking = dataclasses.replace(Config().queues["order.tracking"], team_address="tracking@aeropressmall.com")
    config = dataclasses.replace(Config(), queues={**Config().queues, "order.tracking": tracking})
    bench_deadlines(calendar_for(config))
    bench_check(config, args.tickets)


if __name__ == "__main__":
    main()
