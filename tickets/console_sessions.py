"""Console sessions kept on the server: a cookie is only a pointer to a row that can be deleted.

The browser holds a random token; the database holds its SHA-256 (`ConsoleSession`), so a copy of
the database signs nobody in. A session ends when its row goes: at sign-out, a new password or
deactivation every row of that user is deleted at once, so a cookie captured earlier opens
nothing. A session also ends after `idle` without a request and `lifetime` after sign-in,
whatever the cookie's own expiry says.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tickets.models import ConsoleSession, User

TOUCH_EVERY = dt.timedelta(minutes=1)  # `seen_at` is written at most this often: reads stay reads


@dataclass(frozen=True)
class Lifetimes:
    idle: dt.timedelta
    lifetime: dt.timedelta


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(session: Session, user_id: int, now: dt.datetime) -> str:
    """A new session of `user_id`: the token for the cookie (stored only as its digest)."""
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_digest(token), user_id=user_id, created_at=now, seen_at=now))
    session.flush()
    return token


def live_user(session: Session, token: str, now: dt.datetime, limits: Lifetimes) -> tuple[User, bool] | None:
    """The active user whose live session `token` names, and whether its `seen_at` is due a touch;
    None for an unknown, ended, idle or expired session, or a deactivated user."""
    row = session.execute(select(ConsoleSession, User).join(User, User.id == ConsoleSession.user_id)
                          .where(ConsoleSession.token_hash == _digest(token))).one_or_none()
    if row is None:
        return None
    found, user = row
    if not user.active or now - found.seen_at >= limits.idle or now - found.created_at >= limits.lifetime:
        return None
    return user, now - found.seen_at >= TOUCH_EVERY


def touch(session: Session, token: str, now: dt.datetime) -> None:
    """The session was used now: its idle timeout starts again."""
    session.execute(update(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)).values(seen_at=now))


def end_all(session: Session, user_id: int) -> None:
    """Every session of the user ends now, on every browser and console worker."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def drop_expired(session: Session, now: dt.datetime, limits: Lifetimes) -> None:
    """Forget sessions past their idle timeout or lifetime (called at sign-in: the table stays small)."""
    session.execute(delete(ConsoleSession).where((ConsoleSession.seen_at <= now - limits.idle)
                                                 | (ConsoleSession.created_at <= now - limits.lifetime)))
