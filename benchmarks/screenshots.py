"""Screenshots of the console's main pages for the README, taken with Playwright and Debian's Chromium.

    python benchmarks/screenshots.py [--out docs/screenshots]

Builds a small sample desk in a temporary SQLite database (through tickets.operations in sessions of
the services, like the web tests), serves the console on a loopback port and saves sign-in, queue
overview, ticket list, ticket page and admin pages as PNG files. The services run on a frozen clock
so the pictures are stable.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "web")]

import webseed  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from webclient import CHROMIUM, CHROMIUM_ARGS, sign_in_page  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from services import Services  # noqa: E402
from tickets import operations  # noqa: E402
from tickets.clock import FrozenClock  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig, WebConfig  # noqa: E402
from tickets.mail import Attachment  # noqa: E402
from tickets.models import MailboxState, Quarantine, User  # noqa: E402
from web import create_app  # noqa: E402

NOW = webseed.T0 + dt.timedelta(hours=3)
HOUR = dt.timedelta(hours=1)
SAMPLES = [  # subject, body, sender, queue, order numbers, (clock state, hours to deadline) or None
    ("Where is my order AP-204518?", "Hi,\nthe tracking page has not changed since Monday. It still says "
     "'label created'. Can you check with the courier?\n\nThanks, Emily", "emily.carter@example.com",
     "order.tracking", ["AP-204518"], ("at_risk", 3)),
    ("Return request: AeroPress Go, order AP-198877", "Hello, I would like to return my AeroPress Go. It is "
     "unused, still in the box. Order AP-198877, delivered 12 days ago.\nReason: I bought the wrong model.",
     "jonas.weber@example.de", "returns", ["AP-198877"], ("breached", -2)),
    ("Refund still not received", "I sent back the XL three weeks ago and the refund is not on my card yet. "
     "Return authorization RA-88-7QX2.", "li.wang@example.com", "refunds", ["AP-190311"], ("ok", 14)),
    ("Which filter for the Clear?", "Do the metal filters fit the AeroPress Clear, or only the original?",
     "noah@example.org", "presales.general", [], ("ok", 20)),
    ("Bulk order for our cafe (40 units)", "We run three cafes in Lyon and would like a quote for 40 AeroPress "
     "Original and 2,000 filters.", "achats@cafe-lumiere.fr", "wholesale", [], ("ok", 11)),
    ("Chamber arrived cracked", "The chamber was cracked when I opened the box. Order AP-207701. Photo "
     "attached.", "sofia.r@example.es", "complaint.simple", ["AP-207701"], ("at_risk", 5)),
    ("Parcel stuck in customs", "My parcel has been in customs for 9 days, order AP-201145.",
     "kenji@example.jp", "order.tracking", ["AP-201145"], ("ok", 16)),
    ("Discount code did not apply", "The code WINTER10 was not applied at checkout.", "ola@example.no",
     "presales.complex", [], None),
    ("Please delete my account", "Please delete my account and all my data.", "privacy.person@example.com",
     "privacy", [], ("ok", 30)),
]


def seed(session: Session, config: Config) -> None:
    webseed.user(session, "ada@aeropressmall.com", "admin", name="Ada Admin")
    sam = webseed.user(session, "sam@aeropressmall.com", "agent", ["order.tracking", "returns", "refunds"],
                       name="Sam Agent")
    webseed.user(session, "max@aeropressmall.com", "manager", name="Max Manager")
    tickets = []
    for n, (subject, body, sender, queue, orders, due) in enumerate(SAMPLES):
        received = webseed.T0 - dt.timedelta(hours=30 - n * 3)
        attachments = [Attachment("cracked-chamber.jpg", "image/jpeg", b"\xff\xd8\xff sample")] if n == 5 else []
        mail = webseed.parsed(subject, body, sender=sender, name=sender.split("@")[0].replace(".", " ").title(),
                              received=received, attachments=attachments)
        ticket = webseed.ticket(session, config, mail, queue=queue, order_numbers=orders,
                                reasons=[f"words: {queue.split('.')[0]}"] + [f"order number {o}" for o in orders])
        if due:
            webseed.clock(session, ticket, "reply", due[0], received, NOW + due[1] * HOUR)
        tickets.append(ticket)
    first = tickets[0]
    operations.assign(session, first, sam, sam, webseed.T0)
    operations.add_note(session, first, sam, "Courier says the parcel is at the Memphis hub; see also HD-7.",
                        webseed.T0 + HOUR)
    operations.reply(session, config, first, sam, "Dear Emily,\n\nthank you for your patience. Your parcel "
                     "is at the courier's Memphis hub and should move on tomorrow.\n\nKind regards,\nSam",
                     webseed.T0 + 2 * HOUR)
    followed_up = webseed.T0 + 2.5 * HOUR
    webseed.follow_up(session, config, first, webseed.parsed(
        "Re: Where is my order AP-204518?", "Thank you! Could you tell me the new delivery date?",
        sender="emily.carter@example.com", name="Emily Carter", received=followed_up))
    # The reply met the first reply clock (the clock keeper stopped it); the follow-up runs the next one.
    webseed.clock(session, first, "reply", "at_risk", followed_up, NOW + 3 * HOUR)
    session.add(Quarantine(mailbox="support", source="imap support UID 4411", stage="parse", created_at=webseed.T0,
                           error="UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9",
                           raw=b"Subject: caf\xe9\r\n"))
    session.add(MailboxState(mailbox="support", last_success_at=NOW - dt.timedelta(minutes=1), last_uid=4411))
    session.add(MailboxState(mailbox="press", last_success_at=NOW - 2 * HOUR, last_error="LOGIN failed",
                             last_error_at=NOW - dt.timedelta(minutes=3)))


def shoot(base: str, admin: User, out: Path) -> list[Path]:
    pages = [("signin", "/login"), ("overview", "/"), ("tickets", "/tickets"), ("ticket", "/tickets/HD-1"),
             ("search", "/search?q=parcel"), ("admin-users", "/admin/users"), ("admin-mailboxes", "/admin/mailboxes"),
             ("admin-quarantine", "/admin/quarantine")]
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_context(base_url=base, viewport={"width": 1360, "height": 900}).new_page()
        for name, url in pages:
            if name == "overview":
                sign_in_page(tab, admin)
            tab.goto(url)
            tab.wait_for_load_state("networkidle")
            saved.append(out / f"{name}.png")
            tab.screenshot(path=str(saved[-1]), full_page=name == "ticket")
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{tmp}/demo.db"),
                                     storage=StorageConfig(path=f"{tmp}/files"),
                                     web=WebConfig(secret_key="screenshots", secure_cookies=False))
        services = Services.build(config, FrozenClock(NOW))
        with services.sessions.begin() as session:
            seed(session, config)
        server = make_server("127.0.0.1", 0, create_app(config, services), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with services.sessions() as session:
                admin = session.get(User, 1)
            for path in shoot(f"http://127.0.0.1:{server.server_port}", admin, args.out):
                print(path)
        finally:
            server.shutdown()
            services.close()


if __name__ == "__main__":
    main()
