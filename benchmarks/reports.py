"""SLA report benchmark: the manager's report over a database of 1,000,000 tickets with their clocks.

Run: python benchmarks/reports.py [--tickets N] [--backend sqlite|postgresql|both]

Two years of tickets (a new one every minute or so, in nine queues, twenty agents, 5% auto mail)
with their reply clocks, complaint triage and resolution clocks and refund clocks are generated
by one INSERT ... SELECT each from a generated series, in a fresh SQLite file and in a PostgreSQL
database created for the run and dropped after it (from $HELPDESK_TEST_DATABASE_URL, else
postgresql://postgres@127.0.0.1:5432/test). Recent tickets are still open, so the backlog and the
running clocks look like a busy shop's.

The stored figures the report adds up are then derived by the production rebuild
(`sla.reports.figures.rebuild`, what `helpdesk report rebuild` runs, followed on PostgreSQL by its
VACUUM ANALYZE), timed on its own: rows written this way bypass the feed that keeps the figures
current in production.

Timed, each next to a plain `SELECT count(*) FROM tickets` measured in the same run (target: each
report under 2 s on each database), everything the page and the CSV show:
1. the report for the last 30 days (about 39,000 tickets received, 40,000 first replies and
   resolutions, 60,000 clocks stopped);
2. the report for one queue over the same month;
3. the report over all two years, every one of the tickets.
Each figure is the median of three runs, after one run that warms the caches.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

# benchmarks/sla.py shares its name with the package this measures: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from services import Services  # noqa: E402
from sla.reports.figures import FIGURES, for_report, rebuild  # noqa: E402
from sla.reports.figures_job import vacuum_figures  # noqa: E402
from sla.reports.report import Report, build_report  # noqa: E402
from tickets.clock import FrozenClock  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig  # noqa: E402
from tickets.db import make_engine  # noqa: E402
from tickets.models import Base, User  # noqa: E402

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # a Tuesday, 11:00 in New York
SPAN_DAYS = 730
AGENTS = 20
QUEUES = ("presales.general", "presales.complex", "wholesale", "order.tracking", "returns", "refunds",
          "complaint.simple", "complaint.complex", "privacy")
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

# Per dialect: the series 1..n, an epoch-seconds expression as a timestamp, and an empty JSON list.
_DIALECT = {
    "sqlite": ("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n)",
               "s", "datetime({}, 'unixepoch') || '.000000'", "'[]'"),
    "postgresql": ("WITH s AS (SELECT i FROM generate_series(CAST(1 AS BIGINT), :n) AS g(i))",
                   "s", "(to_timestamp({}) AT TIME ZONE 'UTC')", "CAST('[]' AS JSON)"),
}

# One row per ticket, in epoch seconds: when it arrived, its first reply and its resolution
# (NULL while still ahead of NOW), its queue and assignee. Pseudo-random by multiplicative hashing.
_TICKET = """
{series}, base AS (
  SELECT i, :t0 + i * :step AS c, (i * 7919) % 180000 AS frt, (i * 7919) % 180000 + (i * 104729) % 600000 AS res,
         CASE WHEN i % 20 = 19 THEN 'auto' ELSE {queue} END AS queue,
         CASE WHEN i % 25 = 0 THEN NULL ELSE 1 + (i / 3) % {agents} END AS assignee
  FROM {source}),
t AS (
  SELECT i, c, queue, assignee,
         CASE WHEN c + frt <= :now THEN c + frt END AS replied,
         CASE WHEN c + res <= :now THEN c + res END AS resolved
  FROM base)"""


def _queue_case() -> str:
    return "CASE i % 9 " + " ".join(f"WHEN {k} THEN '{q}'" for k, q in enumerate(QUEUES)) + " END"


_TICKETS = """{head}
INSERT INTO tickets (id, reference, subject, queue, status, mailbox, assignee_id, auto, order_numbers,
  routing_reasons, queue_confirmed, created_at, updated_at, first_reply_at, solved_at, closed_at)
SELECT i, 'HD-' || i, '', queue,
  CASE WHEN replied IS NULL THEN 'new' WHEN resolved IS NULL THEN (CASE WHEN i % 3 = 0 THEN 'pending' ELSE 'open' END)
       WHEN i % 4 = 0 THEN 'solved' ELSE 'closed' END,
  'support', assignee, queue = 'auto', '', {empty_json}, queue <> 'auto', {created}, {created},
  {replied}, CASE WHEN i % 2 = 0 THEN {resolved} END, CASE WHEN i % 2 = 1 THEN {resolved} END
FROM t"""

# A reply clock per ticket, triage and resolution clocks on complaints, a refund clock on half the returns.
_CLOCKS = """{head},
k AS (
  SELECT i, 'reply' AS kind, 2 AS target, c AS started, c + 129600 AS warn, c + 172800 AS due, replied AS stopped
  FROM t WHERE queue <> 'auto'
  UNION ALL SELECT i, 'triage', 1, c, c + 64800, c + 86400, CASE WHEN c + (i * 31) % 120000 <= :now
    THEN c + (i * 31) % 120000 END FROM t WHERE queue LIKE 'complaint.%'
  UNION ALL SELECT i, 'resolution', 3, c, c + 194400, c + 259200, resolved FROM t WHERE queue LIKE 'complaint.%'
  UNION ALL SELECT i, 'refund', 10, c + 259200, c + 864000, c + 1209600,
    CASE WHEN c + 259200 + (i * 13) % 1382400 <= :now THEN c + 259200 + (i * 13) % 1382400 END
  FROM t WHERE queue IN ('returns', 'refunds') AND i % 2 = 0 AND c + 259200 <= :now)
INSERT INTO sla_clocks (ticket_id, kind, target_working_days, started_at, warn_at, due_at, running, state,
  paused_seconds, stopped_at)
SELECT i, kind, target, {started}, {warn}, {due}, stopped IS NULL,
  CASE WHEN stopped IS NOT NULL THEN (CASE WHEN stopped <= due THEN 'met' ELSE 'missed' END)
       WHEN due <= :now THEN 'breached' WHEN warn <= :now THEN 'at_risk' ELSE 'ok' END,
  0, {stopped}
FROM k"""


def _fill(engine: Engine, count: int) -> None:
    """Users, tickets and clocks, each table by one INSERT ... SELECT."""
    series, source, ts_format, empty_json = _DIALECT[engine.dialect.name]
    head = _TICKET.format(series=series, source=source, queue=_queue_case(), agents=AGENTS)
    columns = {"created": "c", **{name: name for name in ("replied", "resolved", "started", "warn", "due", "stopped")}}
    times = {name: ts_format.format(column) for name, column in columns.items()}
    t0 = int(NOW.timestamp()) - SPAN_DAYS * 86400
    params = {"n": count, "t0": t0, "step": SPAN_DAYS * 86400 // count, "now": int(NOW.timestamp())}
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"id": n, "email": f"agent{n}@aeropressmall.com", "name": f"Agent {n:02d}", "role": "agent",
             "created_at": NOW - dt.timedelta(days=SPAN_DAYS)} for n in range(1, AGENTS + 1)])
        connection.execute(text(_TICKETS.format(head=head, empty_json=empty_json, **times)), params)
        connection.execute(text(_CLOCKS.format(head=head, **times)), params)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does to a table this size


def _median_seconds(work: Callable[[], object], runs: int = 3) -> float:
    work()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _services(url: str, folder: str) -> Services:
    """The services of `helpdesk report` and the console on the benchmark's database, at NOW. The schema
    is created from the models by `bench` (a throwaway database has no history of migrations to replay)."""
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=url),
                                 storage=StorageConfig(path=f"{folder}/files"))
    return Services.build(config, FrozenClock(NOW), migrate=False)


def _report(services: Services, start: dt.date, end: dt.date, queue: str | None = None) -> Callable[[], Report]:
    """The report as the console's page reads it: in a read-only session of the services."""
    def run() -> Report:
        with services.readonly() as session:
            return build_report(session, services.config, start, end, queue=queue, now=services.clock.now())
    return run


def _count(engine: Engine) -> Callable[[], int]:
    def run() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM tickets")).scalar_one())
    return run


def _derive(services: Services) -> None:
    """The stored figures, as `helpdesk report rebuild` derives them; checks the reports will use them."""
    began = time.perf_counter()
    with services.sessions.begin() as session:
        rebuilt = rebuild(session, services.config, NOW)
    derived = time.perf_counter() - began
    vacuum_figures(services.engine)
    print(f"  stored figures rebuilt in {derived:.1f} s ({rebuilt.tickets:,} tickets, {rebuilt.clocks:,} clocks), "
          f"then VACUUM ANALYZE {time.perf_counter() - began - derived:.1f} s; not part of any report below")
    with services.readonly() as session:
        assert for_report(session, services.config, NOW) is FIGURES


def bench(services: Services, label: str, count: int) -> bool:
    """Fill, derive the stored figures, then time the reports next to the count(*) baseline; True
    when every report is under 2 s."""
    engine = services.engine
    began = time.perf_counter()
    Base.metadata.create_all(engine)
    _fill(engine, count)
    print(f"{label}: {count:,} tickets and their clocks generated in {time.perf_counter() - began:.1f} s")
    _derive(services)
    baseline = _median_seconds(_count(engine))
    today = (NOW - dt.timedelta(hours=5)).date()
    month = (today - dt.timedelta(days=30), today - dt.timedelta(days=1))
    everything = (today - dt.timedelta(days=SPAN_DAYS + 1), today)
    report = _report(services, *month)()
    print(f"  SELECT count(*) FROM tickets            {baseline:7.3f} s")
    ok = True
    for name, work in (
            (f"report, last 30 days ({report.total.received:,} received)", _report(services, *month)),
            ("report, one queue, last 30 days", _report(services, *month, queue="returns")),
            (f"report, all {count:,} tickets (2 years)", _report(services, *everything))):
        seconds = _median_seconds(work)
        ok = ok and seconds < 2.0
        print(f"  {name:39s} {seconds:7.3f} s  = {seconds / baseline:6.1f} x count(*)"
              f"  (target < 2 s: {'met' if seconds < 2.0 else 'MISSED'})")
    return ok


def _sqlite(count: int) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        services = _services(f"sqlite:///{folder}/reports.db", folder)
        try:
            return bench(services, "SQLite", count)
        finally:
            services.close()


def _postgresql(count: int) -> bool:
    admin_url = os.environ.get("HELPDESK_TEST_DATABASE_URL") or PG_DEFAULT
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"helpdesk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            services = _services(url, folder)
            try:
                return bench(services, "PostgreSQL", count)
            finally:
                services.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    ok = True
    if args.backend in ("sqlite", "both"):
        ok = _sqlite(args.tickets) and ok
    if args.backend in ("postgresql", "both"):
        ok = _postgresql(args.tickets) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
