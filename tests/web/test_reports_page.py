"""The managers' SLA report page and its downloads, through the test client and in a real browser.

The clock is frozen at Tuesday 24 November 2026, 10:00 in New York; the report covers Monday 9 to
Sunday 22 November.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console, sign_in_page
from webseed import Staff

from sla.calendar import calendar_for
from sla.reports.export import report_json, report_tables_csv
from sla.reports.report import build_report
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import SlaClock, Ticket

NY = ZoneInfo("America/New_York")
PERIOD = {"from": "2026-11-09", "to": "2026-11-22"}
QUERY = "from=2026-11-09&to=2026-11-22"


def _ticket(s: Session, config: Config, queue: str, received: dt.datetime, replied: dt.datetime | None,
            state: str = "ok") -> Ticket:
    """A ticket with its reply clock: stopped by the reply (met or missed), or still running in `state`."""
    ticket = Ticket(queue=queue, mailbox="support", subject="Question", status="open" if replied else "new",
                    created_at=received, updated_at=received, first_reply_at=replied)
    s.add(ticket)
    s.flush()
    ticket.reference = f"HD-{ticket.id}"
    due = calendar_for(config).add_working_days(received, config.queue(queue).reply_working_days)
    s.add(SlaClock(ticket_id=ticket.id, kind="reply", target_working_days=config.queue(queue).reply_working_days,
                   started_at=received, warn_at=received, due_at=due, running=replied is None,
                   state=state if replied is None else ("met" if replied <= due else "missed"),
                   paused_seconds=0.0, stopped_at=replied))
    return ticket


@pytest.fixture
def history(writer: sessionmaker[Session], web_config: Config, staff: Staff) -> dict[str, Ticket]:
    """Two answered pre-sales questions (1.5 and 4 business hours), and a return still waiting, overdue."""
    with writer.begin() as s:
        return {
            "quick": _ticket(s, web_config, "presales.general", dt.datetime(2026, 11, 16, 10, tzinfo=NY),
                             dt.datetime(2026, 11, 16, 11, 30, tzinfo=NY)),
            "weekend": _ticket(s, web_config, "presales.general", dt.datetime(2026, 11, 14, 12, tzinfo=NY),
                               dt.datetime(2026, 11, 16, 13, tzinfo=NY)),
            "waiting": _ticket(s, web_config, "returns", dt.datetime(2026, 11, 13, 10, tzinfo=NY), None,
                               state="breached"),
        }


def test_agents_are_refused_managers_and_admins_are_not(console: Console, staff: Staff,
                                                        history: dict[str, Ticket]) -> None:
    # The page and both downloads answer 403 to an agent, 200 to a manager and to an admin.
    for user, status in ((staff.agent, 403), (staff.manager, 200), (staff.admin, 200)):
        console.sign_in(user)
        assert [console.get(f"{url}?{QUERY}").status_code for url in ("/reports", "/reports.csv", "/reports.json")] \
            == [status] * 3


def test_downloads_are_the_report_the_page_shows(console: Console, staff: Staff, history: dict[str, Ticket],
                                                 reader: sessionmaker[Session], web_config: Config,
                                                 frozen_clock: FrozenClock) -> None:
    # /reports.json and /reports.csv with the page's arguments hold exactly that report, as attachments.
    console.sign_in(staff.manager)
    with reader() as s:
        expected = build_report(s, web_config, dt.date(2026, 11, 9), dt.date(2026, 11, 22), queue="presales.general",
                                now=frozen_clock.now())
    as_json = console.get(f"/reports.json?{QUERY}&queue=presales.general")
    as_csv = console.get(f"/reports.csv?{QUERY}&queue=presales.general")
    assert json.loads(as_json.text) == json.loads(json.dumps(report_json(expected)))
    assert as_csv.text == report_tables_csv(expected)
    assert as_csv.headers["Content-Disposition"] == \
        'attachment; filename="sla-report-2026-11-09-to-2026-11-22-presales.general.csv"'
    assert json.loads(as_json.text)["queues"][0]["first_reply_hours_median"] == 2.75


def test_page_has_no_inline_script_or_style_and_links_breaches(console: Console, staff: Staff,
                                                                history: dict[str, Ticket]) -> None:
    # Charts are inline SVG with presentation attributes only; the overdue return links to its ticket.
    console.sign_in(staff.manager)
    page = console.get(f"/reports?{QUERY}")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.text.count("<svg") == 3 and " style=" not in page.text and " onload=" not in page.text
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/console.js" defer>']
    assert f'href="/tickets/{history["waiting"].reference}"' in page.text


def test_bad_dates_are_a_message_beside_the_date_fields(console: Console, staff: Staff) -> None:
    # A malformed date, or a period ending before it starts, is told next to the fields, which keep what was typed.
    console.sign_in(staff.manager)
    answer = console.get("/reports?from=9/11/2026&to=2026-11-22")
    assert answer.status_code == 400 and "<h1>SLA report</h1>" in answer.text
    assert re.search(r'name="from" value="9/11/2026" required aria-invalid="true" aria-describedby="report-error">'
                     r'</label>\s*<label>To <input type="date" name="to" value="2026-11-22"[^>]*></label>\s*'
                     r'<p class="field-error" id="report-error" role="alert">From must be a date like 2026-11-02, '
                     r"not &#39;9/11/2026&#39;.</p>", answer.text)
    backwards = console.get("/reports?from=2026-11-22&to=2026-11-09")
    assert backwards.status_code == 400
    assert "The period ends (2026-11-09) before it starts (2026-11-22).</p>" in backwards.text
    assert "Bad request" not in backwards.text and "<svg" not in backwards.text


def test_the_csv_and_json_downloads_hold_every_table_of_the_page(console: Console, staff: Staff,
                                                                   history: dict[str, Ticket]) -> None:
    # Besides the queues: the total, the agents, the backlog, the weeks of the chart and the breaches.
    console.sign_in(staff.manager)
    sections = console.get(f"/reports.csv?{QUERY}").text.split("\r\n\r\n")
    titles = [section.split("\r\n", 1)[0] for section in sections[1:]]
    assert titles == ["Total", "By agent", "Backlog now: open tickets by working days since receipt",
                      "Replies on time by week", "Breaches: 1 (the worst 1)"]
    tables = [list(csv.DictReader(io.StringIO(section.split("\r\n", 1)[1]))) for section in sections[1:]]
    total, agents, backlog, weeks, breaches = tables
    data = console.get(f"/reports.json?{QUERY}").get_json()
    assert total[0]["received"] == str(data["total"]["received"]) and total[0]["received"] != "0"
    assert [row["agent"] for row in agents] == [line["agent"] for line in data["agents"]] != []
    assert [row["queue"] for row in backlog] == [line["queue"] for line in data["backlog"]["queues"]]
    assert [row["week"] for row in weeks] == ["2026-11-09", "2026-11-16"] == [w["week"] for w in data["weeks"]]
    assert breaches[0]["reference"] == history["waiting"].reference == data["breaches"][0]["reference"]
    assert {"queues", "agents", "total", "backlog", "weeks", "breaches"} <= set(data)


def test_chart_text_is_at_least_12_px(console: Console, staff: Staff, history: dict[str, Ticket]) -> None:
    console.sign_in(staff.manager)
    sizes = {int(size) for size in re.findall(r'<text [^>]*font-size="(\d+)"', console.get(f"/reports?{QUERY}").text)}
    assert sizes and min(sizes) >= 12


@pytest.mark.browser
def test_manager_reads_the_charts_and_downloads_the_csv_the_page_shows(page: Any, staff: Staff,
                                                                       history: dict[str, Ticket],
                                                                       tmp_path: Path) -> None:
    # In Chromium: the three charts render, the CSV download matches the queue table, a breach opens its ticket.
    from playwright.sync_api import expect  # the `page` fixture skipped the test if Playwright is missing

    sign_in_page(page, staff.manager)
    page.goto(f"/reports?{QUERY}")
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("svg.chart-weeks rect")).not_to_have_count(0)
    shown = {row.locator("th").inner_text(): [cell.inner_text() for cell in row.locator("td").all()[:3]]
             for row in page.locator("table.report-queues tbody tr").all()}
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "report.csv"
    download_info.value.save_as(saved)
    by_queue = saved.read_bytes().decode("utf-8").split("\r\n\r\n")[0]  # the first of the CSV's tables
    rows = list(csv.DictReader(io.StringIO(by_queue)))
    assert {row["title"]: [row["received"], row["replied_on_time"], row["replied_late"]] for row in rows} == shown
    assert shown["Pre-sales questions"] == ["2", "2", "0"]
    page.get_by_role("link", name=history["waiting"].reference).click()
    expect(page).to_have_url(re.compile(f"/tickets/{history['waiting'].reference}$"))


@pytest.mark.browser
def test_agent_gets_403_in_the_browser(page: Any, staff: Staff) -> None:
    # An agent who types the address gets the refusal page, not the report.
    from playwright.sync_api import expect  # the `page` fixture skipped the test if Playwright is missing

    sign_in_page(page, staff.agent)
    response = page.goto("/reports")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
