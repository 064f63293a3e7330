"""Signing in: passwords, the login rate limit, session cookies, the session key, security headers."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import webseed
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from services import Services
from tickets.clock import FrozenClock
from tickets.config import PASSWORD_HASH_MIN_ITERATIONS, PASSWORD_HASH_MIN_MEMORY_KIB, Config, WebConfig
from tickets.db import make_engine
from tickets.models import AuditEvent, SignInCount, User
from tickets.passwords import Passwords
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


def test_a_password_hashed_at_another_cost_is_rehashed_at_the_configured_one_on_sign_in(
        app: Flask, staff: Staff, writer: sessionmaker[Session], reader: sessionmaker[Session]) -> None:
    # An admin lowers (or raises) [web] password_hash_*: the account's old hash still signs in, and is
    # replaced by one at the configured cost, which signs in too.
    with writer.begin() as s:
        s.get(User, staff.agent.id).password_hash = Passwords().hash(webseed.PASSWORD)  # the built-in cost
    assert login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD).status_code == 302
    with reader() as s:
        stored = s.get(User, staff.agent.id).password_hash
    assert stored.startswith(f"$argon2id$v=19$m={PASSWORD_HASH_MIN_MEMORY_KIB},t={PASSWORD_HASH_MIN_ITERATIONS},")
    assert login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD).status_code == 302
    assert login(app.test_client(), "sam@aeropressmall.com", "wrong").status_code == 401


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
    # A `next` pointing at another site is ignored (no open redirect), also in the shapes a browser
    # turns into one (it drops tabs and newlines, reads a backslash as a slash); a newline is not a 500.
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example",
                   "/\n/evil.example", "/\r\nSet-Cookie: x=1", "\\\\evil.example", "javascript:alert(1)",
                   " //evil.example", "/ok\x00"):
        response = login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD, target)
        assert response.status_code == 302 and response.location == "/", repr(target)
        assert "evil" not in response.headers.get("Set-Cookie", "") + response.headers["Location"]
    response = login(app.test_client(), "sam@aeropressmall.com", webseed.PASSWORD, "/tickets/HD-1?tab=notes#x")
    assert response.location == "/tickets/HD-1?tab=notes#x"
    assert app.test_client().get("/login?next=%2F%0A%2Fevil.example").status_code == 200


def login_from(app: Flask, address: str, email: str, password: str) -> int:
    """One sign-in attempt from `address`, in a browser of its own: the status it got."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, email, password).status_code


def limited(web_config: Config, app_for: AppFor, attempts: int) -> Flask:
    return app_for(dataclasses.replace(web_config, web=dataclasses.replace(web_config.web,
                                                                         login_attempts_per_15_minutes=attempts)))


def failed_sign_ins(reader: sessionmaker[Session]) -> int:
    with reader() as s:
        return len(s.scalars(select(AuditEvent.id).where(AuditEvent.action == "sign_in_failed")).all())


def test_too_many_failed_sign_ins_lock_the_address_and_strangers_but_not_the_owner(
        web_config: Config, app_for: AppFor, staff: Staff, frozen_clock: FrozenClock,
        reader: sessionmaker[Session]) -> None:
    # After the allowed failures from one address, even the right password is refused there, for any
    # account, and from any address the account never signed in from; its owner, at the address they
    # signed in from before, still gets in. After 15 minutes the address may try again, and the
    # counters of the past window are dropped.
    app = limited(web_config, app_for, 2)
    assert login_from(app, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302  # the owner's office
    for _ in range(2):
        assert login_from(app, "192.0.2.1", staff.agent.email, "guess") == 401
    assert login_from(app, "192.0.2.1", staff.agent.email, webseed.PASSWORD) == 429
    assert login_from(app, "192.0.2.1", staff.manager.email, webseed.PASSWORD) == 429  # same address
    assert login_from(app, "198.51.100.5", staff.agent.email, webseed.PASSWORD) == 429  # a stranger's address
    assert login_from(app, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302  # the owner
    assert login_from(app, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302  # successes cost nothing
    frozen_clock.advance(dt.timedelta(minutes=15))
    assert login_from(app, "192.0.2.1", staff.manager.email, webseed.PASSWORD) == 302
    with reader() as s:
        assert not [key for key in s.scalars(select(SignInCount.key)) if staff.agent.email in key]


def test_parallel_wrong_passwords_get_no_more_password_checks_than_the_limit(
        web_config: Config, app_for: AppFor, staff: Staff, reader: sessionmaker[Session]) -> None:
    # 24 wrong passwords at once, from one address, then from 24 addresses: each time exactly the
    # limit (3) is checked and audited, every other attempt is refused unchecked.
    app = limited(web_config, app_for, 3)
    assert login_from(app, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302  # the owner's office

    def storm(addresses: list[str], emails: list[str]) -> list[int]:
        start = threading.Barrier(len(addresses))

        def attempt(address: str, email: str) -> int:
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            token = TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
            start.wait()
            return client.post("/login", data={"email": email, "password": "guess", "csrf_token": token}).status_code
        with ThreadPoolExecutor(len(addresses)) as pool:
            return sorted(pool.map(attempt, addresses, emails))

    one_address = storm(["192.0.2.1"] * 24, [f"guess{n}@aeropressmall.com" for n in range(24)])
    assert one_address == [401] * 3 + [429] * 21 and failed_sign_ins(reader) == 3
    many_addresses = storm([f"198.51.100.{n}" for n in range(24)], [staff.agent.email] * 24)
    assert many_addresses == [401] * 3 + [429] * 21 and failed_sign_ins(reader) == 6
    assert login_from(app, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302  # the owner is not locked out


def test_behind_a_trusted_proxy_the_limit_counts_the_forwarded_address(
        web_config: Config, app_for: AppFor, staff: Staff, reader: sessionmaker[Session]) -> None:
    # Behind nginx (`trusted_proxies = 1`) every request comes from the proxy: failures are counted, and
    # audited, by the client address it forwards, so one client's guesses lock out no one else. Without
    # the setting a forwarded address is not believed: naming a new one each time evades nothing.
    def via_proxy(app: Flask, forwarded: str, email: str, password: str) -> int:
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return login(client, email, password).status_code

    web = dataclasses.replace(web_config.web, login_attempts_per_15_minutes=2)
    proxied = app_for(dataclasses.replace(web_config, web=dataclasses.replace(web, trusted_proxies=1)))
    for _ in range(2):
        assert via_proxy(proxied, "192.0.2.1", staff.manager.email, "guess") == 401
    assert via_proxy(proxied, "192.0.2.1", staff.manager.email, webseed.PASSWORD) == 429
    assert via_proxy(proxied, "10.0.0.7", staff.agent.email, webseed.PASSWORD) == 302
    with reader() as s:
        assert set(s.scalars(select(AuditEvent.address).where(AuditEvent.action == "sign_in_failed"))) == {"192.0.2.1"}
    direct = app_for(dataclasses.replace(web_config, web=web))
    for n in range(2):
        assert via_proxy(direct, f"203.0.113.{n}", "nobody@aeropressmall.com", "guess") == 401
    assert via_proxy(direct, "203.0.113.9", staff.admin.email, webseed.PASSWORD) == 429


def test_a_failed_sign_in_audits_only_a_well_formed_address(app: Flask, staff: Staff,
                                                             reader: sessionmaker[Session]) -> None:
    # A password typed into the email field is never stored; a mistyped password's account is.
    login(app.test_client(), "Sup3r secret passw0rd!", "sam@aeropressmall.com")
    login(app.test_client(), "nobody@aeropressmall.com", "wrong")
    with reader() as s:
        events = s.execute(select(AuditEvent.actor, AuditEvent.target, AuditEvent.detail)
                           .where(AuditEvent.action == "sign_in_failed").order_by(AuditEvent.id)).all()
        assert [(actor, target) for actor, target, _ in events] == [
            ("", ""), ("nobody@aeropressmall.com", "nobody@aeropressmall.com")]
        everything = " ".join(str(row) for row in s.execute(select(AuditEvent.__table__)).all())
    assert "passw0rd" not in everything.lower()


def test_session_cookie_is_httponly_samesite_lax_and_secure_when_configured(web_config: Config, app_for: AppFor,
                                                                           staff: Staff) -> None:
    # The session cookie cannot be read by script, is not sent cross-site, and is HTTPS-only by default.
    app = app_for(dataclasses.replace(web_config, web=dataclasses.replace(web_config.web, secret_key="k",
                                                                            secure_cookies=True, session_minutes=30)))
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
    settings = dataclasses.replace(config, web=dataclasses.replace(config.web, secure_cookies=False))
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
