"""Signing in: passwords, the login rate limit, session cookies, the session key, security headers."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import webseed
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from services import Services
from tickets.config import Config, WebConfig
from tickets.db import make_engine
from tickets.models import AuditEvent, User
from web import create_app
from web.security import KEY_FILE

AppFor = Callable[[Config], Flask]

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(client, email: str, password: str, next_url: str = ""):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    token = TOKEN.search(page.text).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": next_url})


def test_sign_in_with_the_right_password_opens_the_console(app: Flask, staff: Staff,
                                                           reader: sessionmaker[Session]) -> None:
    # The right password signs in and lands on the page asked for; the sign-in is audited.
    client = app.test_client()
    response = login(client, "SAM@aeropressmall.com ", webseed.PASSWORD, "/tickets?queue=returns")
    assert response.status_code == 302 and response.location == "/tickets?queue=returns"
    assert "Sam Agent" in client.get("/").text
    with reader() as s:
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.actor == "sam@aeropressmall.com")) == "sign_in"


def test_wrong_password_unknown_account_and_deactivated_user_are_refused(app: Flask, staff: Staff,
                                                                         writer: sessionmaker[Session]) -> None:
    # Neither a wrong password, an unknown account nor a deactivated one gets in, with the same message.
    with writer.begin() as s:
        s.get(User, staff.outsider.id).active = False
    for email, password in [("sam@aeropressmall.com", "wrong"), ("nobody@aeropressmall.com", webseed.PASSWORD),
                            ("wes@aeropressmall.com", webseed.PASSWORD)]:
        client = app.test_client()
        response = login(client, email, password)
        assert response.status_code == 401 and "Wrong email or password." in response.text
        assert client.get("/").status_code == 302


def test_after_sign_in_only_a_local_page_is_a_redirect_target(app: Flask, staff: Staff) -> None:
    # A `next` pointing at another site is ignored (no open redirect).
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD, target)
        assert response.location == "/"


def test_too_many_failed_sign_ins_lock_the_account_and_the_address(web_config: Config, app_for: AppFor,
                                                                    staff: Staff) -> None:
    # After the allowed failures, even the right password is refused for 15 minutes, from any address.
    app = app_for(dataclasses.replace(web_config, web=dataclasses.replace(web_config.web,
                                                                            login_attempts_per_15_minutes=2)))
    client = app.test_client()
    for _ in range(2):
        assert login(client, "sam@aeropressmall.com", "guess").status_code == 401
    locked = login(client, "sam@aeropressmall.com", webseed.PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    other_address = app.test_client()
    page = other_address.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    response = other_address.post("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}, data={
        "email": "sam@aeropressmall.com", "password": webseed.PASSWORD, "csrf_token": TOKEN.search(page.text).group(1)})
    assert response.status_code == 429
    assert login(client, "max@aeropressmall.com", webseed.PASSWORD).status_code == 429  # same address


def test_session_cookie_is_httponly_samesite_lax_and_secure_when_configured(web_config: Config, app_for: AppFor,
                                                                           staff: Staff) -> None:
    # The session cookie cannot be read by script, is not sent cross-site, and is HTTPS-only by default.
    app = app_for(dataclasses.replace(web_config, web=WebConfig(secret_key="k", secure_cookies=True,
                                                                session_minutes=30)))
    response = app.test_client().get("/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    response = login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD)
    assert "Expires=" in response.headers["Set-Cookie"]
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60


def test_generated_session_key_survives_a_restart(config: Config, app_for: AppFor, staff: Staff,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Without a configured key one is generated into the storage folder, so a restarted console keeps sessions.
    monkeypatch.delenv("HELPDESK_SECRET_KEY", raising=False)
    settings = dataclasses.replace(config, web=WebConfig(secure_cookies=False))
    first = app_for(settings)
    client = first.test_client()
    login(client, "sam@aeropressmall.com", webseed.PASSWORD)
    key_file = Path(config.storage.path) / KEY_FILE
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    restarted = app_for(settings)
    cookie = client.get_cookie("helpdesk_session")
    again = restarted.test_client()
    again.set_cookie("helpdesk_session", cookie.value)
    assert again.get("/").status_code == 200


def test_session_key_comes_from_the_config_else_its_environment_variable(config: Config, app_for: AppFor,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A configured key wins; otherwise the variable named by secret_key_env; no key file is written then.
    monkeypatch.setenv("SHOP_CONSOLE_KEY", "from the environment")
    settings = WebConfig(secret_key_env="SHOP_CONSOLE_KEY", secure_cookies=False)
    assert app_for(dataclasses.replace(config, web=settings)).secret_key == "from the environment"
    configured = dataclasses.replace(settings, secret_key="from the config")
    assert app_for(dataclasses.replace(config, web=configured)).secret_key == "from the config"
    assert not (Path(config.storage.path) / KEY_FILE).exists()


def test_every_page_carries_a_strict_content_security_policy(console: Console, staff: Staff) -> None:
    # No inline script, nothing remote, no framing, no sniffing, on every page.
    console.sign_in(staff.agent)
    for url in ("/", "/login", "/tickets", "/search?q=x"):
        headers = console.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "img-src 'self' data:" in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_sign_out_ends_the_session(console: Console, staff: Staff) -> None:
    # After signing out, the console asks for a sign-in again.
    console.sign_in(staff.agent)
    assert console.post("/logout").location == "/login"
    assert console.get("/").status_code == 302


def test_health_probes_answer_without_sign_in(app: Flask, web_config: Config, services: Services) -> None:
    # /healthz says the process lives; /readyz says whether the database answers (here, one gone since start).
    client = app.test_client()
    assert client.get("/healthz").text == "ok\n"
    assert client.get("/readyz").text == "ready\n"
    unreachable = make_engine("postgresql://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    broken = create_app(web_config, dataclasses.replace(services, engine=unreachable)).test_client()
    assert broken.get("/healthz").status_code == 200
    assert broken.get("/readyz").status_code == 503


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_plain_http_at_a_real_host_says_why_sign_in_cannot_work(web_config: Config, app_for: AppFor,
                                                                staff: Staff) -> None:
    # With secure cookies (the default) a browser on http://help.example.com never sends the session
    # cookie back: the sign-in page says so and names the setting, before and after a failed attempt,
    # instead of a bare "Form expired". Over HTTPS (or a TLS proxy saying so) and on loopback it is quiet.
    app = app_for(dataclasses.replace(web_config, web=dataclasses.replace(web_config.web, secure_cookies=True)))
    client = app.test_client()
    page = client.get("/login", base_url="http://help.example.com").text
    assert "Signing in cannot work here" in page and "secure_cookies = false" in page and "HTTPS" in page
    token = TOKEN.search(page).group(1)  # type: ignore[union-attr]
    browser = app.test_client()  # as the browser posts it: without the Secure cookie it dropped over http
    tried = browser.post("/login", base_url="http://help.example.com",
                         data={"email": staff.agent.email, "password": webseed.PASSWORD, "csrf_token": token})
    assert tried.status_code == 400 and "Signing in cannot work here" in tried.text
    assert "Form expired" not in tried.text
    for base, headers in (("https://help.example.com", {}), ("http://help.example.com", {"X-Forwarded-Proto": "https"}),
                          ("http://127.0.0.1:8080", {}), ("http://localhost:8080", {})):
        assert "Signing in cannot work" not in client.get("/login", base_url=base, headers=headers).text
    over_https = app.test_client()
    assert login_over(over_https, "https://help.example.com", staff.agent.email).status_code == 302


def login_over(client, base: str, email: str):  # type: ignore[no-untyped-def]
    token = TOKEN.search(client.get("/login", base_url=base).text).group(1)
    return client.post("/login", base_url=base, headers={"Referer": f"{base}/login"},  # as browsers send it
                       data={"email": email, "password": webseed.PASSWORD, "csrf_token": token})
