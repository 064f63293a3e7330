"""Driving the console in tests: a signed-in test client that posts with its CSRF token, and the
browser sign-in. Shared by the web tests and benchmarks/screenshots.py."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import webseed
from flask.testing import FlaskClient

from tickets.console_sessions import open_session
from tickets.models import User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update"]
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class Console:
    """A test client that signs in without a password round trip and posts with a CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, user: User) -> Console:
        """A server-side session for `user`, as a password sign-in opens one, and its cookie."""
        services = self.client.application.extensions["helpdesk"]
        with services.sessions.begin() as writer:
            token = open_session(writer, user.id, services.clock.now())
        with self.client.session_transaction() as session:
            session["sid"] = token
        return self

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        page = self.client.get("/")
        match = _TOKEN.search(page.text)
        assert match, "no CSRF token on the overview page"
        return match.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token()}, **kwargs)


def sign_in_page(tab: Any, user: User) -> None:
    """Sign in through the form, as a person would."""
    tab.goto("/login")
    tab.get_by_label("Email").fill(user.email)
    tab.get_by_label("Password").fill(webseed.PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(re.compile(r"/$"))
