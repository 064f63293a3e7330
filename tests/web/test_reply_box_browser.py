"""The reply box and the merge dialog in a real browser (Debian's Chromium through Playwright)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
import webseed
from smtpsink import Sink
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import sign_in_page
from webseed import Desk, Staff

from inbox.sender import deliver_due
from tickets.clock import FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import Outbox, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
expect = pytest.importorskip("playwright.sync_api", reason="needs a server: Playwright not installed").expect


def test_a_canned_reply_goes_in_at_the_cursor_and_the_draft_survives_navigation(
        page: Any, desk: Desk, staff: Staff) -> None:
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{desk.tracking.reference}")
    reply = page.get_by_label("Reply", exact=True)
    reply.click()
    page.keyboard.type("Dear Emily,\n\nBest regards, Sam")
    reply.evaluate("box => box.setSelectionRange(12, 12)")  # the cursor after "Dear Emily,\n"
    page.get_by_label("Canned reply").select_option("tracking_verification")
    page.get_by_role("button", name="Use template").click()
    expect(reply).to_have_value(re.compile(r"^Dear Emily,\n.*Verification result.*\nBest regards, Sam$", re.S))
    assert page.url.endswith(f"/tickets/{desk.tracking.reference}")  # no reload: nothing typed was thrown away
    expect(page.locator("#draft-state")).to_have_text("Draft saved.")
    typed = reply.input_value()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.get_by_role("link", name="All tickets").click()
    page.wait_for_url(re.compile(r"/tickets$"))
    assert asked == ["beforeunload"]  # leaving with unsent text asks first
    page.get_by_role("link", name=desk.tracking.reference).click()
    expect(page.get_by_label("Reply", exact=True)).to_have_value(typed)


def test_a_reply_with_a_file_and_a_cc_reaches_the_mail_server_with_both(
        page: Any, desk: Desk, staff: Staff, writer: sessionmaker[Session], web_config: Config,
        sink: tuple[Sink, int], frozen_clock: FrozenClock) -> None:
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{desk.tracking.reference}")
    page.get_by_label("Cc", exact=True).fill("anna@example.com")
    page.get_by_label(re.compile("Attach files")).set_input_files(
        files=[{"name": "return-label.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 label"}])
    page.get_by_label("Reply", exact=True).fill("The return label is attached.")
    page.get_by_label("Reply", exact=True).press("Control+Enter")
    expect(page.get_by_text("Reply queued for delivery.")).to_be_visible()
    handler, port = sink
    smtp = dataclasses.replace(web_config, smtp=SmtpConfig(host="127.0.0.1", port=port, tls="none"))
    assert deliver_due(writer, smtp, frozen_clock.now() + dt.timedelta(seconds=60))["sent"] == 1
    [envelope] = handler.received
    assert envelope.rcpt_tos == ["emily@example.com", "anna@example.com"]
    [delivered] = handler.messages()
    assert delivered["Cc"] == "anna@example.com"
    [label] = list(delivered.iter_attachments())
    assert (label.get_filename(), label.get_content()) == ("return-label.pdf", b"%PDF-1.4 label")


def test_too_long_a_reply_is_stopped_in_the_browser_and_undo_puts_the_text_back(
        page: Any, desk: Desk, staff: Staff, reader: sessionmaker[Session], web_config: Config) -> None:
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{desk.tracking.reference}")
    page.get_by_label("Reply", exact=True).fill("x" * (web_config.web.reply_max_characters + 1))
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#reply-limit")).to_contain_text("The reply is 1 character too long")
    assert page.url.endswith(f"/tickets/{desk.tracking.reference}")
    page.get_by_label("Reply", exact=True).fill("Oops, the wrong customer.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Reply taken back")).to_be_visible()
    expect(page.get_by_label("Reply", exact=True)).to_have_value("Oops, the wrong customer.")
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0


def test_send_and_next_opens_the_next_ticket_of_the_list(page: Any, desk: Desk, staff: Staff,
                                                         writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        later = webseed.ticket(s, web_config, webseed.parsed("Parcel damaged", "The box was crushed.",
                                                             sender="li@example.com", name="Li Wei"))
    sign_in_page(page, staff.agent)
    page.goto("/tickets?queue=order.tracking")
    page.get_by_role("link", name=desk.tracking.reference).click()
    page.get_by_label("Reply", exact=True).fill("We have asked the carrier.")
    page.get_by_role("button", name="Send and next").click()
    expect(page).to_have_url(re.compile(f"/tickets/{later.reference}"))
    expect(page.get_by_text(f"Reply to {desk.tracking.reference} queued for delivery.")).to_be_visible()


def test_merging_another_customers_ticket_names_both_and_warns(page: Any, desk: Desk, staff: Staff,
                                                               writer: sessionmaker[Session], web_config: Config,
                                                               reader: sessionmaker[Session]) -> None:
    with writer.begin() as s:
        other = webseed.ticket(s, web_config, webseed.parsed("Same parcel", "My wife's order, same parcel.",
                                                             sender="tom@example.com", name="Tom Carter"))
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{other.reference}")
    page.get_by_label("Merge into ticket").fill(desk.tracking.reference)
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Merge").click()
    expect(page).to_have_url(re.compile(f"/tickets/{desk.tracking.reference}$"))
    [question] = asked
    assert question.startswith(f"Merge {other.reference} (Tom Carter <tom@example.com>) into "
                               f"{desk.tracking.reference} (Emily Carter <emily@example.com>)?")
    assert "two different customers" in question and "copied (Cc)" in question
    with reader() as s:
        assert s.get(Ticket, other.id).merged_into_id == desk.tracking.id
