"""The console in a real browser (Debian's Chromium through Playwright), against the app on a loopback port."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import webseed
from smtpsink import Sink
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import sign_in_page
from webseed import Desk, Staff

from inbox.sender import deliver_due
from tickets.clock import FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import Message, Outbox, RouteCorrection, Ticket

# The browser flows do not depend on the database; the client tests run every route on both.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
expect = pytest.importorskip("playwright.sync_api", reason="needs a server: Playwright not installed").expect

HOSTILE_HTML = """
<p>Hello, I have a question about my order.</p>
<script>window.top.__pwned = 'script'; document.title = 'pwned';</script>
<img src="x" onerror="window.top.__pwned = 'onerror'; alert('img')">
<svg onload="window.top.__pwned = 'svg'; alert('svg')"><circle r="5"/></svg>
<a id="js-link" href="javascript:window.top.__pwned = 'link'; alert('link')">track my parcel</a>
<iframe srcdoc="<script>parent.__pwned = 'srcdoc'; alert('srcdoc')</script>"></iframe>
<body onload="alert('body')"><div onmouseover="alert('hover')">hover me</div></body>
<img src="https://pixel.example/open.gif">
<meta http-equiv="refresh" content="0;url=javascript:alert('refresh')">
"""


def test_agent_answers_with_a_canned_reply_that_reaches_the_customer_threaded(
        page: Any, desk: Desk, staff: Staff, writer: sessionmaker[Session], reader: sessionmaker[Session],
        web_config: Config, sink: tuple[Sink, int], frozen_clock: FrozenClock) -> None:
    # Sign in, open the queue and the ticket, send a canned reply; the SMTP server gets it threaded and tagged.
    sign_in_page(page, staff.agent)
    page.get_by_role("link", name="Order tracking").click()
    page.get_by_role("link", name=desk.tracking.reference).click()
    page.get_by_label("Canned reply").select_option("tracking_verification")
    page.get_by_role("button", name="Use template").click()
    reply = page.get_by_label("Reply", exact=True)
    expect(reply).to_have_value(re.compile("Verification result"))
    reply.fill(reply.input_value().replace("- Tracking number:", "- Tracking number: 1Z999AA10123456784"))
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Reply queued for delivery.")).to_be_visible()
    with reader() as s:
        row = s.scalar(select(Outbox).where(Outbox.ticket_id == desk.tracking.id))
        customer = s.scalar(select(Message.message_id).where(Message.ticket_id == desk.tracking.id,
                                                             Message.direction == "inbound"))
        assert row.status == "pending" and row.rcpt == "emily@example.com"
    handler, port = sink
    smtp = dataclasses.replace(web_config, smtp=SmtpConfig(host="127.0.0.1", port=port, tls="none"))
    assert deliver_due(writer, smtp, frozen_clock.now())["sent"] == 0  # inside the undo window
    undo_over = frozen_clock.now() + dt.timedelta(seconds=smtp.web.reply_undo_seconds)
    assert deliver_due(writer, smtp, undo_over)["sent"] == 1
    [delivered] = handler.messages()
    assert delivered["In-Reply-To"] == customer and customer in delivered["References"]
    assert f"[#{desk.tracking.reference}]" in delivered["Subject"]
    assert "Tracking number: 1Z999AA10123456784" in delivered.get_body(("plain",)).get_content()
    page.reload()
    expect(page.locator(".delivery-sent")).to_have_text("sent")


def test_reroute_and_merge_from_the_ticket_page(page: Any, desk: Desk, staff: Staff,
                                                reader: sessionmaker[Session]) -> None:
    # A manager moves a ticket to another queue, then merges it into the customer's other ticket.
    sign_in_page(page, staff.manager)
    page.goto(f"/tickets/{desk.returns.reference}")
    page.get_by_label("Queue", exact=True).select_option("refunds")
    page.get_by_role("button", name="Re-route").click()
    expect(page.get_by_text("Moved to refunds.")).to_be_visible()
    page.get_by_label("Merge into ticket").fill(desk.tracking.reference)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Merge").click()
    expect(page).to_have_url(re.compile(f"/tickets/{desk.tracking.reference}$"))
    expect(page.get_by_text("I would like to return my AeroPress Go")).to_be_visible()
    with reader() as s:
        assert s.scalar(select(RouteCorrection.to_queue)) == "refunds"
        assert s.get(Ticket, desk.returns.id).merged_into_id == desk.tracking.id


def test_search_by_order_number_opens_the_ticket(page: Any, desk: Desk, staff: Staff) -> None:
    # The search box finds the ticket by its order number; the result links to it.
    sign_in_page(page, staff.agent)
    page.keyboard.press("/")
    page.keyboard.type("AP-654321")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Search"))).to_be_visible()
    page.get_by_role("link", name=desk.returns.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Return request")


def test_hostile_mail_html_runs_no_script(page: Any, writer: sessionmaker[Session], web_config: Config,
                                         staff: Staff) -> None:
    # Script tags, event handlers, javascript: links, SVG onload, srcdoc frames: nothing runs, even with images shown.
    with writer.begin() as s:
        ticket = webseed.ticket(s, web_config, webseed.parsed(
            "<script>document.title='pwned'</script>Order question",
            "<img src=x onerror=\"window.__pwned='text'\"> HD-1", html=HOSTILE_HTML))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{ticket.reference}")
    frame = page.frame_locator("iframe.mailframe")
    expect(frame.get_by_text("Hello, I have a question about my order.")).to_be_visible()
    frame.get_by_text("track my parcel").click()
    frame.get_by_text("hover me").hover()
    page.get_by_role("link", name="Show remote images").click()
    expect(page.get_by_text("Remote images in this message are blocked.")).to_have_count(0)
    expect(page.frame_locator("iframe.mailframe").get_by_text("hover me")).to_be_visible()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.title() == f"{ticket.reference} <script>document.title='pwned'</script>Order question · " \
                           "aeropressmall.com Helpdesk"  # shown as text, never run
    assert page.frame_locator("iframe.mailframe").locator("script, svg, iframe, [onerror], [onload]").count() == 0


def test_keyboard_shortcuts_move_through_the_list_and_open_reply_and_help(page: Any, desk: Desk,
                                                                          staff: Staff) -> None:
    # j/k select rows, o opens, r focuses the reply box, ? shows the help, / focuses search.
    sign_in_page(page, staff.agent)
    page.goto("/tickets")
    rows = page.locator("tr[data-row]")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("selected"))
    with page.expect_navigation(url=re.compile("/tickets/HD-")):
        page.keyboard.press("o")
    page.keyboard.press("r")
    expect(page.get_by_label("Reply", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox")).to_be_focused()


def test_an_agent_sees_a_colleague_writing_on_the_same_ticket(browser: Any, live_url: str, page: Any, desk: Desk,
                                                              staff: Staff) -> None:
    # When a colleague starts writing a reply, the agent's ticket page says so.
    sign_in_page(page, staff.agent)
    other = browser.new_context(base_url=live_url).new_page()
    sign_in_page(other, staff.manager)
    other.goto(f"/tickets/{desk.tracking.reference}")
    with other.expect_response(lambda response: response.url.endswith("/presence")):
        other.get_by_label("Reply", exact=True).click()
    page.goto(f"/tickets/{desk.tracking.reference}")
    expect(page.locator("#presence")).to_contain_text("Max Manager is writing")
    other.context.close()
