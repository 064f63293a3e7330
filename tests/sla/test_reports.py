"""The SLA report, figure by figure, on SQLite and PostgreSQL (office hours 09:00-18:00 New York).

One shop history (`shop`) covers the period Monday 2 to Sunday 15 November 2026, looked at on
Tuesday 17 November at noon; every expected figure below is worked out by hand from it. US daylight
saving time ends on Sunday 1 November, inside the history.

Each history is reported twice (`figures`): from the stored figures, built before the history was
written and kept current by the feed as it was, and computed from scratch, as before they exist.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from reportkit import Desk, ny
from sqlalchemy import text
from sqlalchemy.orm import Session

from cli.main import main
from sla.calendar import calendar_for
from sla.reports.business_days import DayRow, business_days
from sla.reports.export import report_csv, report_json, report_table
from sla.reports.figures import rebuild
from sla.reports.report import Report, build_report
from sla.reports.tally import percentile
from tickets.clock import FrozenClock
from tickets.config import CalendarConfig, Config
from tickets.errors import InputError

NOW = ny(11, 17, 12)
START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 15)


@dataclasses.dataclass
class Shop:
    desk: Desk
    tickets: dict[str, Any]
    ana: Any
    bob: Any


def _tickets(desk: Desk, ana: Any, bob: Any) -> dict[str, Any]:
    t: dict[str, Any] = {}
    t["A"] = desk.answered("presales.general", ny(11, 2, 10), ny(11, 2, 11, 30), ana, solved=ny(11, 3, 10))
    t["B"] = desk.answered("presales.general", ny(11, 6, 17, 30), ny(11, 9, 9, 30), ana, solved=ny(11, 16, 10))
    t["C"] = desk.answered("presales.general", ny(11, 7, 12), ny(11, 9, 13), bob, closed=ny(11, 16, 9))
    t["D"] = desk.answered("presales.general", ny(11, 3, 9), ny(11, 5, 12), bob, closed=ny(11, 6, 9))
    t["E"] = desk.answered("order.tracking", ny(11, 4, 16), ny(11, 5, 10), closed=ny(11, 5, 12),
                           anonymised_at=ny(11, 16, 3), subject="")
    t["P"] = desk.answered("order.tracking", ny(10, 30, 17), ny(11, 2, 10), solved=ny(11, 2, 11))
    t["I"] = desk.answered("presales.general", ny(11, 13, 17), ny(11, 16, 10), ana, solved=ny(11, 16, 11))
    t["H"] = desk.ticket("returns", ny(11, 13, 10), bob)
    desk.clock(t["H"], "reply", ny(11, 13, 10), state="breached")
    t["J"] = desk.answered("complaint.simple", ny(11, 9, 10), ny(11, 9, 11), solved=ny(11, 13, 10))
    desk.clock(t["J"], "triage", ny(11, 9, 10), ny(11, 9, 12))
    desk.clock(t["J"], "resolution", ny(11, 9, 10), ny(11, 13, 10))
    t["K"] = desk.answered("complaint.complex", ny(11, 10, 10), ny(11, 10, 10, 30))
    desk.clock(t["K"], "triage", ny(11, 10, 10), ny(11, 11, 15))
    desk.clock(t["K"], "resolution", ny(11, 10, 10), state="breached")
    t["G"] = desk.ticket("presales.general", ny(11, 16, 10), ana)
    desk.clock(t["G"], "reply", ny(11, 16, 10))
    t["N"] = desk.ticket("order.tracking", ny(11, 17, 9, 30))
    desk.clock(t["N"], "reply", ny(11, 17, 9, 30))
    for name, queue, start, stop in (("R1", "refunds", ny(11, 2, 10), ny(11, 5, 10)),
                                     ("R2", "refunds", ny(11, 2, 10), ny(11, 11, 10)),
                                     ("R3", "returns", ny(10, 26, 10), ny(11, 10, 10)),
                                     ("R4", "refunds", ny(11, 10, 10), None)):
        t[name] = desk.answered(queue, ny(10, 26, 9), ny(10, 26, 11), solved=ny(10, 27, 10))
        desk.clock(t[name], "refund", start, stop)
    t["L"] = desk.answered("presales.general", ny(10, 28, 10), ny(10, 29, 10), ana, solved=ny(10, 29, 11))
    t["M"] = desk.ticket("auto", ny(11, 3, 10), closed=ny(11, 3, 10), auto=True)
    t["N2"] = desk.answered("presales.general", ny(11, 4, 10), ny(11, 4, 10, 30), closed=ny(11, 4, 11),
                            merged_into_id=t["A"].id)
    return t


@pytest.fixture(params=["stored", "from scratch"])
def figures(request: pytest.FixtureRequest, session: Session, config: Config) -> str:
    """Stored figures built (on the empty database, so the feed keeps them as tickets are written), or none."""
    if request.param == "stored":
        rebuild(session, config, NOW)
    return str(request.param)


@pytest.fixture
def shop(session: Session, config: Config, figures: str) -> Shop:
    desk = Desk(session, config)
    ana, bob = desk.user("Ana"), desk.user("Bob")
    return Shop(desk, _tickets(desk, ana, bob), ana, bob)


def report(session: Session, config: Config, **scope: Any) -> Report:
    return build_report(session, config, START, END, now=NOW, **scope)


def queue(result: Report, name: str) -> Any:
    return next(line.figures for line in result.queues if line.queue == name)


def agent(result: Report, name: str) -> Any:
    return next(line.figures for line in result.agents if line.name == name)


def test_received_and_replies_on_time_per_queue(session: Session, config: Config, shop: Shop) -> None:
    # Tickets received in the period count per queue; replies count on time or late by their reply clock.
    result = report(session, config)
    got = {line.queue: (line.figures.received, line.figures.replied_on_time, line.figures.replied_late)
           for line in result.queues}
    assert got == {"presales.general": (5, 3, 1), "presales.complex": (0, 0, 0), "wholesale": (0, 0, 0),
                   "order.tracking": (1, 2, 0), "returns": (1, 0, 0), "refunds": (0, 0, 0),
                   "complaint.simple": (1, 1, 0), "complaint.complex": (1, 1, 0), "privacy": (0, 0, 0)}
    assert (result.total.received, result.total.replied_on_time, result.total.replied_late) == (9, 7, 1)
    assert result.total.reply_on_time_percent == 87.5


def test_first_reply_median_and_p90_in_business_hours(session: Session, config: Config, shop: Shop) -> None:
    # First replies sent in the period, in business hours from receipt: medians and p90 per queue, agent, total.
    result = report(session, config)
    presales, tracking = queue(result, "presales.general").first_reply, queue(result, "order.tracking").first_reply
    assert (presales.count, presales.median, presales.p90) == (4, 2.75, pytest.approx(15.9))
    assert (tracking.count, tracking.median, tracking.p90) == (2, 2.5, pytest.approx(2.9))
    total = result.total.first_reply
    assert (total.count, total.median, total.p90) == (8, 1.75, pytest.approx(9.1))
    ana, bob = agent(result, "Ana").first_reply, agent(result, "Bob").first_reply
    assert (ana.median, ana.p90, bob.median, bob.p90) == (1.25, pytest.approx(1.45), 12.5, pytest.approx(19.3))
    assert agent(result, "Unassigned").first_reply.median == 1.5


def test_friday_evening_mail_answered_monday_morning_took_one_business_hour(session: Session, config: Config,
                                                                             figures: str) -> None:
    # Friday 17:30 to Monday 09:30 is 64 hours on the wall clock but one business hour.
    Desk(session, config).answered("wholesale", ny(11, 6, 17, 30), ny(11, 9, 9, 30))
    times = queue(report(session, config), "wholesale").first_reply
    assert (times.count, times.median, times.p90) == (1, 1.0, 1.0)


def test_a_holiday_is_not_business_time(session: Session, config: Config, figures: str) -> None:
    # With Wednesday 11 November a holiday, Tuesday 17:00 to Thursday 10:00 is two business hours, not eleven.
    holiday = dataclasses.replace(config, calendar=CalendarConfig(holidays=("2026-11-11",)))
    Desk(session, holiday).answered("wholesale", ny(11, 10, 17), ny(11, 12, 10))
    assert queue(report(session, holiday), "wholesale").first_reply.median == 2.0
    assert queue(report(session, config), "wholesale").first_reply.median == 11.0


def test_resolution_times_count_solved_and_closed_tickets(session: Session, config: Config, shop: Shop) -> None:
    # Tickets solved (or closed without being solved) in the period: receipt to resolution in business hours.
    result = report(session, config)
    presales = queue(result, "presales.general").resolution
    assert (presales.count, presales.median, presales.p90) == (2, 18.0, pytest.approx(25.2))
    assert (queue(result, "order.tracking").resolution.median, queue(result, "complaint.simple").resolution.median) \
        == (4.0, 36.0)
    assert (result.total.resolution.count, result.total.resolution.median) == (5, 9.0)
    assert result.total.resolution.p90 == pytest.approx(32.4)


def test_awaiting_reply_and_past_deadline_are_taken_now(session: Session, config: Config, shop: Shop) -> None:
    # Running reply clocks await a reply; tickets with a running clock past its deadline are past deadline.
    result = report(session, config)
    awaiting = {line.queue: line.figures.awaiting_reply for line in result.queues if line.figures.awaiting_reply}
    past = {line.queue: line.figures.breached_open for line in result.queues if line.figures.breached_open}
    assert awaiting == {"presales.general": 1, "order.tracking": 1, "returns": 1}
    assert past == {"returns": 1, "complaint.complex": 1}
    assert (result.total.awaiting_reply, result.total.breached_open) == (3, 2)


def test_complaint_triage_and_resolution_on_time(session: Session, config: Config, shop: Shop) -> None:
    # Complaint clocks stopped in the period are on time or late.
    result = report(session, config)
    simple, complex_ = queue(result, "complaint.simple"), queue(result, "complaint.complex")
    assert (simple.triage_on_time, simple.triage_late, simple.resolution_on_time, simple.resolution_late) \
        == (1, 0, 0, 1)
    assert (complex_.triage_on_time, complex_.triage_late, complex_.resolution_on_time, complex_.resolution_late) \
        == (0, 1, 0, 0)


def test_refunds_within_5_and_10_working_days(session: Session, config: Config, shop: Shop) -> None:
    # A refund done by the 5-day warning, one between 5 and 10 days, one after 10, one still running.
    result = report(session, config)
    refunds, returns = queue(result, "refunds"), queue(result, "returns")
    assert (refunds.refunds_early, refunds.refunds_at_risk, refunds.refunds_late, refunds.refunds_open) \
        == (1, 1, 0, 1)
    assert returns.refunds_late == 1
    assert (result.refund_warn_days, result.refund_breach_days) == (5, 10)


def test_backlog_by_working_days_since_receipt(session: Session, config: Config, shop: Shop) -> None:
    # Open tickets now, by working days since receipt: 2.5 h, 11 h, 20 h and 47 h of business time.
    counts = {line.queue: line.counts for line in report(session, config).backlog if line.total}
    assert counts == {"order.tracking": (1, 0, 0, 0), "presales.general": (0, 1, 0, 0), "returns": (0, 0, 1, 0),
                      "complaint.complex": (0, 0, 0, 1)}


def test_breaches_worst_first_with_business_hours_late(session: Session, config: Config, shop: Shop) -> None:
    # Missed clocks of the period and running clocks past due now, the latest in business hours first.
    result = report(session, config)
    t = shop.tickets
    assert [(b.reference, b.clock, round(b.late_hours, 2), b.open) for b in result.breaches] == [
        (t["H"].reference, "reply", 11.0, True), (t["J"].reference, "resolution", 9.0, False),
        (t["R3"].reference, "refund", 9.0, False), (t["K"].reference, "triage", 5.0, False),
        (t["D"].reference, "reply", 3.0, False), (t["K"].reference, "resolution", 2.0, True)]
    assert result.breach_count == 6
    assert report_json(result)["breaches"][0]["url"] == f"/tickets/{t['H'].reference}"


def test_weekly_reply_compliance(session: Session, config: Config, shop: Shop) -> None:
    # Reply clocks stopped per week of the shop's calendar.
    weeks = report(session, config).weeks
    assert [(w.monday, w.on_time, w.late, w.percent) for w in weeks] == [
        (dt.date(2026, 11, 2), 3, 1, 75.0), (dt.date(2026, 11, 9), 4, 0, 100.0)]


def test_auto_mail_and_merged_tickets_do_not_count_anonymised_ones_do(session: Session, config: Config,
                                                                      shop: Shop) -> None:
    # The anonymised tracking ticket still counts; the auto mail and the merged duplicate do not.
    result = report(session, config)
    assert queue(result, "order.tracking").received == 1
    assert "auto" not in [line.queue for line in result.queues]
    assert agent(result, "Unassigned").received == 3


def test_one_queue_or_one_agent(session: Session, config: Config, shop: Shop) -> None:
    # A queue's report holds only that queue; an agent's report only the tickets assigned to them.
    by_queue = report(session, config, queue="presales.general")
    assert [line.queue for line in by_queue.queues] == ["presales.general"]
    assert (by_queue.total.received, by_queue.total.first_reply.median) == (5, 2.75)
    assert sorted(line.name for line in by_queue.agents) == ["Ana", "Bob"]
    by_agent = report(session, config, agent_id=shop.ana.id)
    assert (by_agent.total.received, by_agent.total.replied_on_time, by_agent.total.first_reply.median) \
        == (3, 2, 1.25)
    assert [line.name for line in by_agent.agents] == ["Ana"]


def test_a_quiet_period_reports_zeros_and_no_times(session: Session, config: Config, figures: str) -> None:
    # With no tickets at all, counts are zero and times absent (null in the JSON), weeks included.
    result = report(session, config)
    data = report_json(result)
    assert (result.total.received, result.total.first_reply.median, result.breaches) == (0, None, ())
    assert data["total"]["first_reply_hours_median"] is None and data["total"]["reply_on_time_percent"] is None
    assert [(w["week"], w["on_time_percent"]) for w in data["weeks"]] == [("2026-11-02", None), ("2026-11-09", None)]


def test_bad_period_or_unknown_queue_is_a_clear_error(session: Session, config: Config) -> None:
    # A period that ends before it starts, or a queue that does not exist, is refused with one line.
    with pytest.raises(InputError, match="ends"):
        build_report(session, config, END, START, now=NOW)
    with pytest.raises(InputError, match="unknown queue 'nope'"):
        build_report(session, config, START, END, queue="nope", now=NOW)


def test_json_and_csv_hold_the_same_queue_figures(session: Session, config: Config, shop: Shop) -> None:
    # The CSV has one row per queue with the JSON queue objects' fields; the text table lists every queue.
    result = report(session, config)
    data = report_json(result)
    rows = list(csv.DictReader(io.StringIO(report_csv(result))))
    assert [row["queue"] for row in rows] == [q["queue"] for q in data["queues"]]
    presales = next(row for row in rows if row["queue"] == "presales.general")
    assert (presales["received"], presales["first_reply_hours_median"], presales["first_reply_hours_p90"]) \
        == ("5", "2.75", "15.9")
    table = report_table(result)
    assert all(line.queue in table for line in result.queues) and "presales.general" in table


@pytest.fixture
def helpdesk(config: Config, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
             frozen_clock: FrozenClock) -> Any:
    """`helpdesk report ...` run in-process on the test database at NOW: (exit status, stdout, stderr)."""
    monkeypatch.setenv("HELPDESK_DATABASE_URL", config.database.url)
    monkeypatch.chdir(tmp_path)
    frozen_clock.set(NOW)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["report", *args], clock=frozen_clock)
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_cli_json_and_csv(session: Session, shop: Shop, helpdesk: Any) -> None:
    # `helpdesk report sla --format json|csv` prints the contract's shape.
    session.commit()
    code, out, _ = helpdesk("sla", "--from", "2026-11-02", "--to", "2026-11-15", "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["from"], data["to"]) == ("2026-11-02", "2026-11-15")
    presales = next(q for q in data["queues"] if q["queue"] == "presales.general")
    assert {k: presales[k] for k in ("received", "replied_on_time", "replied_late", "awaiting_reply",
                                     "breached_open", "first_reply_hours_median", "first_reply_hours_p90")} \
        == {"received": 5, "replied_on_time": 3, "replied_late": 1, "awaiting_reply": 1, "breached_open": 0,
            "first_reply_hours_median": 2.75, "first_reply_hours_p90": 15.9}
    assert {"agents", "backlog"} <= set(data) and data["backlog"]["queues"]
    code, out, _ = helpdesk("sla", "--from", "2026-11-02", "--to", "2026-11-15", "--queue", "returns",
                                "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["queue"], r["received"], r["awaiting_reply"]) for r in rows] == [("returns", "1", "1")]


def test_cli_bad_date_is_one_line(helpdesk: Any) -> None:
    # A malformed date ends the command with one line on stderr and exit status 1.
    code, out, err = helpdesk("sla", "--from", "02/11/2026", "--to", "2026-11-15")
    assert (code, out) == (1, "") and err == "helpdesk: --from must be a date like 2026-11-02, not '02/11/2026'\n"


def test_cli_rebuild_derives_the_stored_figures(session: Session, shop: Shop, helpdesk: Any) -> None:
    # `helpdesk report rebuild` prints what the stored figures hold; the report then adds them up, unchanged.
    session.commit()
    _, before, _ = helpdesk("sla", "--from", "2026-11-02", "--to", "2026-11-15", "--format", "json")
    code, out, err = helpdesk("rebuild")
    rebuilt = json.loads(out)
    assert (code, err, rebuilt["tickets"], rebuilt["clocks"]) == (0, "", 17, 20)
    code, after, err = helpdesk("sla", "--from", "2026-11-02", "--to", "2026-11-15", "--format", "json")
    assert (code, err, after) == (0, "", before)


def test_percentiles_match_postgresql_percentile_cont(session: Session) -> None:
    # The histogram percentile is PostgreSQL's percentile_cont (and a hand reference on SQLite).
    values = [0, 3, 3, 7, 12, 12, 12, 40, 41, 95, 300]
    histogram = Counter(values)
    ours = [percentile(histogram, p) for p in (0.0, 0.25, 0.5, 0.9, 1.0)]
    if session.get_bind().dialect.name == "postgresql":
        rows = ",".join(f"({v})" for v in values)
        theirs = session.execute(text(
            "SELECT percentile_cont(ARRAY[0, 0.25, 0.5, 0.9, 1]) WITHIN GROUP (ORDER BY v) "
            f"FROM (VALUES {rows}) AS t(v)")).scalar_one()
        assert ours == pytest.approx(list(theirs))
    assert ours == [0, 5.0, 12.0, 95.0, 300]


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=60), st.sampled_from([0.1, 0.5, 0.9, 0.99]))
def test_histogram_percentile_interpolates_between_ranks(values: list[int], p: float) -> None:
    # The percentile of a histogram equals linear interpolation over the sorted values.
    ordered = sorted(values)
    rank = p * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    expected = ordered[low] + (rank - low) * (ordered[high] - ordered[low])
    assert percentile(Counter(values), p) == pytest.approx(expected)


@functools.lru_cache(maxsize=1)
def _day_rows() -> dict[int, DayRow]:
    days = business_days(calendar_for(Config()), dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
                         dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    return {row.day: row for row in days.rows()}


_INSTANTS = st.datetimes(min_value=dt.datetime(2026, 2, 20), max_value=dt.datetime(2026, 11, 20),
                         timezones=st.just(dt.UTC))


@given(_INSTANTS, _INSTANTS)
@example(dt.datetime(2026, 3, 6, 22, tzinfo=dt.UTC), dt.datetime(2026, 3, 9, 14, tzinfo=dt.UTC))
@example(dt.datetime(2026, 10, 30, 21, tzinfo=dt.UTC), dt.datetime(2026, 11, 2, 15, tzinfo=dt.UTC))
def test_business_days_table_agrees_with_the_calendar(a: dt.datetime, b: dt.datetime) -> None:
    # E(b) - E(a) from the per-UTC-day rows the database joins equals the calendar's business time (DST included).
    calendar = calendar_for(Config())
    rows = _day_rows()

    def elapsed(moment: dt.datetime) -> float:
        row, t = rows[int(moment.timestamp() // 86400)], moment.timestamp()
        return row.before + sum(min(max(t - lo, 0.0), hi - lo) for lo, hi in row.intervals)

    assert elapsed(b) - elapsed(a) == pytest.approx(calendar.business_seconds_between(a, b), abs=1e-6)


@given(_INSTANTS)
@example(dt.datetime(2026, 11, 1, 4, tzinfo=dt.UTC))
@example(dt.datetime(2026, 11, 2, 4, 59, 59, tzinfo=dt.UTC))
@example(dt.datetime(2026, 3, 8, 5, tzinfo=dt.UTC))
def test_business_days_table_gives_the_shops_date(moment: dt.datetime) -> None:
    # The date the database reads from a UTC day's row is the date on the shop's wall clock (DST included).
    row, t = _day_rows()[int(moment.timestamp() // 86400)], moment.timestamp()
    date = row.date_before if t < row.date_split else row.date_after
    assert dt.date.fromordinal(date) == moment.astimezone(ZoneInfo("America/New_York")).date()
