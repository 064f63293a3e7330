"""Sign-in and sign-out, and the gate every other request passes.

Passwords are checked with Argon2id (`tickets.users.verify_password`). Sign-in attempts are
limited per client address and per account, counted from the audit log's failed sign-ins
in the database rather than in process memory, so the limit holds across console workers and
restarts, and every attempt is traced as the privacy policy asks. An unknown account costs the
same hashing time as a known one, so timing does not tell which accounts exist.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tickets.audit import SIGN_IN, SIGN_IN_FAILED
from tickets.models import AuditEvent, User
from tickets.users import hash_password, verify_password
from web import audit
from web.context import client_address, config, db, now, services

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "health.readyz", "static"})
LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
WINDOW = dt.timedelta(minutes=15)
SIGN_OUT = "sign_out"


@lru_cache(maxsize=1)
def _decoy() -> User:
    """A user whose hash no password matches: verified when the account does not exist."""
    return User(password_hash=hash_password("decoy password, never matches"))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative URL (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("queues.overview")
    return target


@bp.before_app_request
def load_user() -> BaseResponse | None:
    """Set `g.user` from the session; send anonymous requests to the sign-in page."""
    if request.endpoint == "static":
        return None
    user_id = session.get("uid")
    user = db().get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and user.active:
        g.user = user
    elif user_id is not None:
        session.clear()
    if g.get("user") is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return Response("sign in first\n", status=401, mimetype="text/plain")
    return None


def too_many_attempts(reader: Session, email: str, address: str, now: dt.datetime) -> bool:
    """True when this address or this account failed the allowed number of times in 15 minutes."""
    limit = config().web.login_attempts_per_15_minutes
    by_address, by_account = reader.execute(
        select(func.coalesce(func.sum(case((AuditEvent.address == address, 1), else_=0)), 0),
               func.coalesce(func.sum(case((AuditEvent.actor == email, 1), else_=0)), 0))
        .where(AuditEvent.action == SIGN_IN_FAILED, AuditEvent.at >= now - WINDOW,
               or_(AuditEvent.address == address, AuditEvent.actor == email))).one()
    return by_address >= limit or by_account >= limit


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
    """Check the password with a read-only session: Argon2 takes a while, and no write lock
    should be held meanwhile. Only the audit event (and a rehash) is written."""
    if request.method == "GET":
        return _page()
    email = request.form.get("email", "").strip().lower()[:320]
    with services().readonly() as reader:
        if too_many_attempts(reader, email, client_address(), now()):
            return _page("Too many failed sign-ins. Wait 15 minutes and try again.", 429, email)
        user = reader.scalar(select(User).where(User.email == email)) if email else None
        stored_hash = user.password_hash if user else ""
        matched = verify_password(user or _decoy(), request.form.get("password", ""))
    if user is None or not matched or not user.active:
        audit.record(db(), SIGN_IN_FAILED, email, actor=email)
        db().commit()
        return _page("Wrong email or password.", 401, email)
    if user.password_hash != stored_hash:
        db().execute(update(User).where(User.id == user.id).values(password_hash=user.password_hash))
    audit.record(db(), SIGN_IN, user.email, actor=user.email)
    db().commit()
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> BaseResponse:
    audit.record(db(), SIGN_OUT, g.user.email)
    db().commit()
    session.clear()
    return redirect(url_for("auth.login"))
