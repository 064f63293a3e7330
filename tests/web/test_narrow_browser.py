"""Lists and the ticket page in Chromium: headings sort the list, and at 390 px wide (a phone)
nothing scrolls sideways and lists are cards."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import webseed
from sqlalchemy.orm import Session, sessionmaker
from webclient import sign_in_page
from webseed import Desk, Staff

from tickets.config import Config

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
expect = pytest.importorskip("playwright.sync_api", reason="needs a server: Playwright not installed").expect
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _overflow(tab: Any) -> int:
    """How far the page is wider than the screen, in CSS pixels (0 when it fits)."""
    return int(tab.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def test_clicking_a_heading_sorts_the_list_and_again_reverses_it(page: Any, desk: Desk, staff: Staff) -> None:
    sign_in_page(page, staff.agent)
    page.goto("/tickets")
    refs = [desk.tracking.reference, desk.returns.reference]
    page.get_by_role("link", name="Ticket", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=ticket$"))
    expect(page.locator("tbody a.ref")).to_have_text(refs)
    page.get_by_role("link", name="Ticket", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=-ticket$"))
    expect(page.locator("tbody a.ref")).to_have_text(refs[::-1])
    expect(page.get_by_role("columnheader", name="Ticket", exact=True)).to_have_attribute("aria-sort", "descending")


def test_at_390_px_pages_fit_the_screen_and_lists_are_cards(
        browser: Any, live_url: str, desk: Desk, staff: Staff, writer: sessionmaker[Session],
        web_config: Config) -> None:
    with writer.begin() as s:
        long = webseed.ticket(s, web_config, webseed.parsed(
            "A very long subject line about an AeroPress Go travel kit that never arrived at the address given",
            "Supercalifragilisticexpialidocious-order-reference-without-any-spaces-at-all-0123456789",
            sender="someone.with.a.very.long.address@example-customer-domain.com"))
        webseed.clock(s, long, "reply", "ok", webseed.T0, webseed.T0 + dt.timedelta(hours=2))
        reference = long.reference
    context = browser.new_context(base_url=live_url, viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        sign_in_page(tab, staff.manager)
        for path in ("/", "/tickets", "/triage", f"/tickets/{reference}", f"/tickets/{desk.tracking.reference}",
                     "/search?q=order",
                     "/reports", "/admin/users"):
            tab.goto(path)
            assert _overflow(tab) <= 0, f"{path} is {_overflow(tab)} px wider than a 390 px screen"
        tab.goto("/tickets")
        expect(tab.locator("table.tickets thead")).to_be_hidden()
        card = tab.locator("tbody tr", has=tab.get_by_role("link", name=reference))
        for shown in ("A very long subject line", "someone.with.a.very.long.address", "Order tracking",
                      "due in 2 h"):
            expect(card.get_by_text(shown).first).to_be_visible()
        # On a laptop the table keeps every column, the deadlines included, inside the screen.
        tab.set_viewport_size(LAPTOP)
        tab.goto("/tickets")
        last = "document.querySelector('table.tickets thead th:last-child')"
        right = tab.evaluate(f"{last}.getBoundingClientRect().right")
        assert _overflow(tab) <= 0 and right <= LAPTOP["width"], f"the list's last column ends at {right} px"
    finally:
        context.close()
