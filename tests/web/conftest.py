"""Console fixtures: the app on the test database, staff of every role, a few tickets, a browser.

The app runs on services built from the console's config on the frozen clock, as `helpdesk run`
builds them; tests write and read through the same services' sessions, so what they write gets
the same encryption, ids and search index as the app's own writes. Data is written in short
transactions and read back through fresh read-only sessions: on SQLite a test session left open
would hold the write lock the app needs.
"""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import webseed
from flask import Flask
from smtpsink import Sink, serving
from sqlalchemy.orm import Session, sessionmaker
from webclient import CHROMIUM, CHROMIUM_ARGS, Console
from webseed import Desk, Staff
from werkzeug.serving import make_server

from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config, ShopConfig
from tickets.mail import Attachment
from web import create_app

WAREHOUSE = "Returns Dept.\n77 Test Street\nSpringfield, OR 97477\nUnited States"


@pytest.fixture
def web_config(config: Config) -> Config:
    """The test database's config, with a console secret and the shop's return warehouse set."""
    return dataclasses.replace(config, web=dataclasses.replace(config.web, secret_key="test secret",
                                                               secure_cookies=False),
                               shop=ShopConfig(return_warehouse_address=WAREHOUSE))


@pytest.fixture
def services(web_config: Config, frozen_clock: FrozenClock) -> Iterator[Services]:
    """The console's services (and so the `engine` and `session` fixtures') on the frozen clock."""
    built = Services.build(web_config, frozen_clock)
    yield built
    built.close()


@pytest.fixture
def writer(services: Services) -> sessionmaker[Session]:
    """Use as `with writer.begin() as s:`: committed, and the lock released, at the end."""
    return services.sessions


@pytest.fixture
def reader(services: Services) -> sessionmaker[Session]:
    """Fresh read-only sessions: each sees everything the app committed."""
    return services.readonly


@pytest.fixture
def app(web_config: Config, services: Services) -> Flask:
    return create_app(web_config, services)


@pytest.fixture
def app_for(frozen_clock: FrozenClock) -> Iterator[Callable[[Config], Flask]]:
    """Another console on the test database, with its own config and services (closed afterwards)."""
    built: list[Services] = []

    def make(config: Config) -> Flask:
        built.append(Services.build(config, frozen_clock))
        return create_app(config, built[-1])
    yield make
    for services in built:
        services.close()


@pytest.fixture
def staff(writer: sessionmaker[Session]) -> Staff:
    with writer.begin() as s:
        return Staff(webseed.user(s, "ada@aeropressmall.com", "admin", name="Ada Admin"),
                     webseed.user(s, "max@aeropressmall.com", "manager", name="Max Manager"),
                     webseed.user(s, "sam@aeropressmall.com", "agent", ["order.tracking", "returns"], name="Sam Agent"),
                     webseed.user(s, "wes@aeropressmall.com", "agent", ["wholesale"], name="Wes Wholesale"))


@pytest.fixture
def desk(writer: sessionmaker[Session], web_config: Config, staff: Staff) -> Desk:
    with writer.begin() as s:
        tracking = webseed.ticket(s, web_config, webseed.parsed(
            "Where is my order AP-123456?", "Hi,\nmy parcel has not moved for a week.\nEmily",
            html="<p>Hi,</p><p>my parcel has <b>not moved</b> for a week.</p>",
            attachments=[Attachment("receipt.pdf", "application/pdf", b"%PDF-1.4 receipt")]),
            order_numbers=["AP-123456"], reasons=["order number AP-123456", "words: parcel, tracking"])
        returns = webseed.ticket(s, web_config, webseed.parsed(
            "Return request", "I would like to return my AeroPress Go, order AP-654321."),
            queue="returns", order_numbers=["AP-654321"])
    return Desk(tracking, returns)


@pytest.fixture
def console(app: Flask) -> Console:
    return Console(app.test_client())


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (Debian's; never a downloaded one)."""
    if not CHROMIUM.exists():
        pytest.skip("needs a server: chromium not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs a server: Playwright not installed")

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The app served by werkzeug on a loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    """An SMTP server on loopback that keeps what it receives, and its port."""
    handler = Sink()
    with serving(handler) as port:
        yield handler, port
