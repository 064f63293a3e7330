"""Screenshots of the console's main pages for the README, taken with Playwright and Debian's Chromium.

    python benchmarks/screenshots.py [--out docs/screenshots]

Builds the demo's data in a temporary SQLite database as `helpdesk demo` does (six weeks of history
replayed through the pipeline and ticket operations, `cli/demo_history.py`, then the mail of the last
hours), serves the console on a loopback port and saves sign-in, queue overview, ticket list, a ticket
page with its suggested answers and admin pages as PNG files. The services run on a frozen clock so
the pictures are stable; a first run trains the router (a minute or two).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "web")]

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from webclient import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from cli import demo_history  # noqa: E402
from cli.demo import DEMO_LOGIN, seed_mail  # noqa: E402
from inbox.ingest import RawMail  # noqa: E402
from services import Services  # noqa: E402
from services.scheduler import rebuild_suggestions  # noqa: E402
from tickets.clock import FrozenClock  # noqa: E402
from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig, WebConfig  # noqa: E402
from tickets.models import MailboxState, Quarantine, Role, Ticket  # noqa: E402
from tickets.users import add_user  # noqa: E402
from web import create_app  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)  # a Tuesday, 13:00 at the shop


def seed(services: Services) -> str:
    """The demo's data (`helpdesk demo`): six weeks of history, then the mail of the last hours through
    the pipeline; the suggested answers' index; two mailboxes' health and a quarantined mail for the
    admin pages. Returns the ticket to show: the newest unanswered one with suggested answers."""
    with services.sessions.begin() as session:
        add_user(session, services.passwords, DEMO_LOGIN[0], Role.ADMIN.value, [], DEMO_LOGIN[1], NOW,
                 name="Demo Admin")
    demo_history.replay_history(services)
    rng = random.Random(3)
    for mailbox, mails in seed_mail().items():
        for raw in mails:
            with services.sessions.begin() as session:
                received = NOW - dt.timedelta(minutes=rng.randint(5, 240))
                services.ingestor.ingest_batch(session, [RawMail(raw, "demo", received)], mailbox)
    rebuild_suggestions(services)
    with services.sessions.begin() as session:
        session.add(Quarantine(mailbox="support", source="imap support UID 4411", stage="parse", created_at=NOW,
                               error="UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9",
                               raw=b"Subject: caf\xe9\r\n"))
        session.add(MailboxState(mailbox="support", last_success_at=NOW - dt.timedelta(minutes=1), last_uid=4411))
        session.add(MailboxState(mailbox="press", last_success_at=NOW - dt.timedelta(hours=2),
                                 last_error="LOGIN failed", last_error_at=NOW - dt.timedelta(minutes=3)))
    with services.readonly() as session:
        candidates = session.scalars(select(Ticket).where(Ticket.queue.in_(("order.tracking", "returns")),
                                                          Ticket.status == "new").order_by(Ticket.id.desc()))
        return next(t.reference for t in candidates
                    if t.reference is not None and services.suggestions.get(t.queue) is not None)


def shoot(base: str, shown: str, out: Path) -> list[Path]:
    pages = [("signin", "/login"), ("overview", "/"), ("tickets", "/tickets"), ("ticket", f"/tickets/{shown}"),
             ("search", "/search?q=parcel"), ("admin-users", "/admin/users"), ("admin-mailboxes", "/admin/mailboxes"),
             ("admin-quarantine", "/admin/quarantine")]
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        tab = browser.new_context(base_url=base, viewport={"width": 1360, "height": 900}).new_page()
        for name, url in pages:
            if name == "overview":
                tab.get_by_label("Email").fill(DEMO_LOGIN[0])
                tab.get_by_label("Password").fill(DEMO_LOGIN[1])
                tab.get_by_role("button", name="Sign in").click()
                tab.wait_for_url(f"{base}/")
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
                                     routing=RoutingConfig(model_path=f"{tmp}/router.joblib"),
                                     web=WebConfig(secret_key="screenshots", secure_cookies=False))
        services = Services.build(config, FrozenClock(NOW))
        shown = seed(services)
        server = make_server("127.0.0.1", 0, create_app(config, services), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for path in shoot(f"http://127.0.0.1:{server.server_port}", shown, args.out):
                print(path)
        finally:
            server.shutdown()
            services.close()


if __name__ == "__main__":
    main()
