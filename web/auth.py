"""Sign-in and sign-out, and the gate every other request passes.

Passwords are checked with Argon2id (`tickets.passwords`, at the cost `[web]` sets). Sign-in attempts are
counted per client address and per account before any password is checked (`web.sign_in_limit`),
in the database rather than in process memory, so the limit holds across console workers and
restarts, and every attempt is traced as the privacy policy asks. An unknown account costs the
same hashing time as a known one, so timing does not tell which accounts exist.

Sessions live on the server (`tickets.console_sessions`): the signed cookie carries a random
token naming a row, and signing out deletes every row of the user, so a cookie captured before
cannot be replayed. `[web] session_idle_minutes` and `session_minutes` bound each session.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for
from sqlalchemy import select, update
from werkzeug.wrappers import Response as BaseResponse

from tickets import console_sessions
from tickets.audit import SIGN_IN, SIGN_IN_FAILED
from tickets.models import User
from web import audit, sign_in_limit
from web.context import READ_METHODS, client_address, config, db, now, services

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "health.readyz", "static"})
LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
SIGN_OUT = "sign_out"
# What the audit log may keep of a failed attempt's email field: an address, never other typing
# (a password put in the wrong field must not be stored).
WELL_FORMED_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str:
    """Only a path of this console: never an absolute or scheme-relative URL, nor anything a browser
    could read as one once it drops tabs and newlines or turns backslashes into slashes (no open
    redirect); no control characters, which a Location header cannot carry."""
    if (not target or not target.startswith("/") or target.startswith("//") or UNSAFE_IN_NEXT.search(target)
            or urlsplit(target).netloc or len(target) > 2000):
        return url_for("queues.overview")
    return target


def _lifetimes() -> console_sessions.Lifetimes:
    web = config().web
    return console_sessions.Lifetimes(idle=dt.timedelta(minutes=web.session_idle_minutes),
                                      lifetime=dt.timedelta(minutes=web.session_minutes))


@bp.before_app_request
def load_user() -> BaseResponse | None:
    """Set `g.user` from the session; send anonymous requests to the sign-in page."""
    if request.endpoint == "static":
        return None
    token = session.get("sid")
    found = console_sessions.live_user(db(), token, now(), _lifetimes()) if isinstance(token, str) else None
    if found is not None and isinstance(token, str):
        g.user, due = found
        if due and request.method not in READ_METHODS:
            console_sessions.touch(db(), token, now())  # committed with the view's own change
        elif due:
            with services().sessions.begin() as writer:
                console_sessions.touch(writer, token, now())
    elif token is not None:
        session.clear()  # an ended session: its cookie is dropped
    if g.get("user") is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return Response("sign in first\n", status=401, mimetype="text/plain")
    return None


def is_loopback(host: str) -> bool:
    """A name or address of this machine alone, where browsers accept Secure cookies over http."""
    host = host.lower()
    return host in LOOPBACK or host.endswith(".localhost") or host.startswith("127.")


def cookies_cannot_work() -> str:
    """Why signing in cannot work from this browser, or "": the session cookie is marked Secure
    (`[web] secure_cookies`), the page came over plain http (no TLS proxy said otherwise), and the
    host is not loopback (browsers accept Secure cookies over http from localhost alone), so the
    browser never sends the cookie back and every form "expires"."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    if not config().web.secure_cookies or request.is_secure or forwarded == "https":
        return ""
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if is_loopback(host):
        return ""
    return (f"Signing in cannot work here: this page came over plain http to {host}, but the console's session "
            "cookie is marked Secure, and browsers send such cookies back over HTTPS alone. Open the console "
            "through HTTPS (a proxy that terminates TLS in front of it), or, on a network you trust, set "
            f"secure_cookies = false under [web] in {config().source}.")


def _page(error: str = "", status: int = 200, email: str = "") -> tuple[str, int]:
    return render_template("web/auth/login.html", error=error, email=email, cookie_problem=cookies_cannot_work(),
                           next=request.values.get("next", "")), status


def expired_sign_in() -> tuple[str, int] | None:
    """The sign-in page again, saying why, when a sign-in form "expired" because its cookie was never
    sent back; None for any other expired form."""
    if request.endpoint == "auth.login" and cookies_cannot_work():
        return _page(status=400, email=request.form.get("email", "").strip()[:320])
    return None


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | tuple[str, int]:
    """Count the attempt first and commit it, so parallel attempts see each other; then check the
    password with a read-only session: Argon2 takes a while, and no write lock should be held
    meanwhile. Then the audit event, the session row (and a rehash) are written."""
    if request.method == "GET":
        return _page()
    email = request.form.get("email", "").strip().lower()[:320]
    keys = sign_in_limit.counter_keys(db(), email, client_address())
    attempts = sign_in_limit.reserve(db(), keys, now())
    db().commit()  # counted before the password is checked, and no write lock held while it is
    if attempts > config().web.login_attempts_per_15_minutes:
        return _page("Too many failed sign-ins. Wait 15 minutes and try again.", 429, email)
    with services().readonly() as reader:
        user = reader.scalar(select(User).where(User.email == email)) if email else None
        stored_hash = user.password_hash if user else ""
        passwords = services().passwords
        matched = passwords.verify(user or passwords.decoy, request.form.get("password", ""))
    if user is None or not matched or not user.active:
        named = email if WELL_FORMED_ADDRESS.fullmatch(email) else ""
        audit.record(db(), SIGN_IN_FAILED, named, actor=named, well_formed=bool(named))
        db().commit()
        return _page("Wrong email or password.", 401, email)
    if user.password_hash != stored_hash:
        db().execute(update(User).where(User.id == user.id).values(password_hash=user.password_hash))
    sign_in_limit.give_back(db(), keys, now())
    console_sessions.drop_expired(db(), now(), _lifetimes())
    token = console_sessions.open_session(db(), user.id, now())
    audit.record(db(), SIGN_IN, user.email, actor=user.email)
    db().commit()
    session.clear()
    session.permanent = True
    session["sid"] = token
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> BaseResponse:
    """Ends every session of the user, on this browser and any other (a captured cookie too)."""
    console_sessions.end_all(db(), g.user.id)
    audit.record(db(), SIGN_OUT, g.user.email)
    db().commit()
    session.clear()
    return redirect(url_for("auth.login"))
