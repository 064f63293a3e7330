"""Accessibility: every form control on the console's pages has a label a screen reader can announce."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from tickets.clock import FrozenClock
from tickets.models import Quarantine

CONTROLS = ("input", "select", "textarea")


class Controls(HTMLParser):
    """Collects form controls and the ids that a <label for> names."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label" and values.get("for"):
            self.labelled.add(values["for"] or "")
        elif tag in CONTROLS and values.get("type") != "hidden":
            self.controls.append(values)


def unlabelled(html: str) -> list[dict[str, str | None]]:
    parser = Controls()
    parser.feed(html)
    return [c for c in parser.controls if not c.get("aria-label") and c.get("id") not in parser.labelled]


def test_every_control_on_every_page_is_labelled(console: Console, writer: sessionmaker[Session], desk: Desk,
                                                 staff: Staff, frozen_clock: FrozenClock) -> None:
    # Sign-in, lists, the ticket page (reply box "Reply", button "Send") and admin pages leave no control unnamed.
    with writer.begin() as s:
        s.add(Quarantine(mailbox="support", source="x", stage="parse", error="e", raw=b"x",
                         created_at=frozen_clock.now()))
    login = console.get("/login").text
    assert '<label for="email">Email</label>' in login and '<label for="password">Password</label>' in login
    assert unlabelled(login) == []
    console.sign_in(staff.admin)
    ticket = console.get(f"/tickets/{desk.tracking.reference}").text
    assert '<label for="reply">Reply</label>' in ticket
    assert re.search(r'<button type="submit" name="then" value="send"[^>]*>Send</button>', ticket)
    for url in ("/", "/tickets", f"/tickets/{desk.tracking.reference}", "/search?q=parcel", "/admin/",
                "/admin/users", "/admin/mailboxes", "/admin/quarantine", "/admin/quarantine/1", "/admin/outbox"):
        page = console.get(url)
        assert page.status_code == 200, url
        assert unlabelled(page.text) == [], url
