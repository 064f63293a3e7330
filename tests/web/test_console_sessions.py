"""Console sessions live on the server: sign-out, a new password and deactivation end them everywhere,
and an idle timeout and an absolute lifetime bound them, whatever a captured cookie says."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import webseed
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console, sign_in_page
from webseed import Desk, Staff

from cli.main import main as helpdesk
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import ConsoleSession, Message

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
COOKIE = "helpdesk_session"


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A browser signed in with the password, as a person does it."""
    client = app.test_client()
    token = TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"email": email, "password": webseed.PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text
    return client


def replay(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s cookie, as an eavesdropper would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)  # type: ignore[union-attr]
    return thief


def notes(reader: sessionmaker[Session]) -> int:
    with reader() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.direction == "note")) or 0


def csrf(client: FlaskClient, url: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(url).text).group(1)  # type: ignore[union-attr]


def test_a_cookie_captured_before_sign_out_opens_nothing_after_it(app: Flask, desk: Desk, staff: Staff,
                                                                   reader: sessionmaker[Session]) -> None:
    # The agent signs out; a copy of their cookie taken earlier neither reads the ticket nor posts a note.
    agent = signed_in(app, staff.agent.email)
    page = f"/tickets/{desk.tracking.reference}"
    thief = replay(app, agent)
    stolen_token = csrf(thief, page)
    assert thief.get(page).status_code == 200
    assert agent.post("/logout", data={"csrf_token": csrf(agent, "/")}).location == "/login"
    assert thief.get(page).status_code == 302 and thief.get(page).location.startswith("/login")
    before = notes(reader)
    posted = thief.post(f"{page}/note", data={"text": "written with a stolen cookie", "csrf_token": stolen_token})
    assert posted.status_code in (400, 401)
    assert notes(reader) == before
    assert agent.get(page).status_code == 302


def test_sign_out_ends_every_session_of_the_user_but_not_of_others(app: Flask, desk: Desk, staff: Staff) -> None:
    # Signing out on the laptop closes the console on the phone too; a colleague stays signed in.
    laptop, phone = signed_in(app, staff.agent.email), signed_in(app, staff.agent.email)
    colleague = signed_in(app, staff.manager.email)
    laptop.post("/logout", data={"csrf_token": csrf(laptop, "/")})
    assert phone.get("/").status_code == 302
    assert colleague.get("/").status_code == 200


def test_a_new_password_from_the_command_line_ends_the_sessions(app: Flask, config: Config, staff: Staff,
                                                                frozen_clock: FrozenClock, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # `helpdesk user passwd` (a leaked password): every open console of that account closes at once.
    agent = signed_in(app, staff.agent.email)
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\nurl = {json.dumps(config.database.url)}\n"
                    f"[storage]\npath = {json.dumps(config.storage.path)}\n")
    assert helpdesk(["--config", str(path), "user", "passwd", staff.agent.email], frozen_clock) == 0
    capsys.readouterr()
    assert agent.get("/").status_code == 302


def test_deactivating_an_account_in_the_console_ends_its_sessions(app: Flask, staff: Staff) -> None:
    # An admin deactivates the agent: the agent's open console stops working on the next click.
    agent = signed_in(app, staff.agent.email)
    admin = Console(app.test_client()).sign_in(staff.admin)
    assert admin.post(f"/admin/users/{staff.agent.id}", {"role": "agent", "queues": ["returns"]}).status_code == 302
    assert agent.get("/").status_code == 302
    assert admin.get("/").status_code == 200


def test_idle_timeout_and_absolute_lifetime_end_a_session(web_config: Config, app_for: Callable[[Config], Flask],
                                                          staff: Staff, frozen_clock: FrozenClock,
                                                          reader: sessionmaker[Session]) -> None:
    # Used every 50 minutes a session lives (idle timeout 60) but not past its 3-hour lifetime; left
    # alone for an hour it ends. The cookie is not renewed by each request.
    web = dataclasses.replace(web_config.web, session_idle_minutes=60, session_minutes=180)
    app = app_for(dataclasses.replace(web_config, web=web))
    busy = signed_in(app, staff.agent.email)
    idle = signed_in(app, staff.manager.email)
    busy.get("/")  # the first page adds the form token to the cookie
    response = busy.get("/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    for _ in range(3):
        frozen_clock.advance(dt.timedelta(minutes=50))
        assert busy.get("/").status_code == 200
    assert idle.get("/").status_code == 302
    frozen_clock.advance(dt.timedelta(minutes=30))  # 180 minutes since sign-in
    assert busy.get("/").status_code == 302
    signed_in(app, staff.admin.email)  # a sign-in sweeps the ended sessions away
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(ConsoleSession)) == 1


def test_the_database_keeps_no_usable_session_token(app: Flask, staff: Staff, reader: sessionmaker[Session]) -> None:
    # A copy of the database signs nobody in: it holds only a digest of the cookie's token.
    agent = signed_in(app, staff.agent.email)
    with agent.session_transaction() as session:
        token = session["sid"]
    with reader() as s:
        stored = s.scalars(select(ConsoleSession.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(token) >= 40


def test_signing_out_in_the_browser_closes_the_other_tab_too(browser: Any, live_url: str, page: Any, desk: Desk,
                                                              staff: Staff) -> None:
    # Two windows of the same agent; signing out in one sends the other to the sign-in page at its next click.
    sign_in_page(page, staff.agent)
    other = browser.new_context(base_url=live_url).new_page()
    other.context.add_cookies(page.context.cookies())
    other.goto(f"/tickets/{desk.tracking.reference}")
    assert "Where is my order" in other.content()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    other.goto(f"/tickets/{desk.tracking.reference}")
    assert "/login" in other.url and "Where is my order" not in other.content()
    other.context.close()
