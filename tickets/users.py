"""Staff accounts: roles, queues and passwords (hashed by `tickets.passwords`, docs/policies.md)."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tickets.console_sessions import end_all
from tickets.errors import Conflict, InputError, NotFound
from tickets.models import Role, User
from tickets.passwords import Passwords

ROLES = tuple(r.value for r in Role)


def set_password(session: Session, passwords: Passwords, user: User, password: str) -> None:
    """A new password, and every console session of the account ends (a stolen cookie too)."""
    user.password_hash = passwords.hash(password)
    end_all(session, user.id)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def add_user(session: Session, passwords: Passwords, email: str, role: str, queues: Sequence[str], password: str,
             now: dt.datetime, name: str = "") -> User:
    """Create a staff account; agents see only `queues`, managers and admins see all."""
    email = email.strip().lower()
    if "@" not in email:
        raise InputError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"user {email} already exists")
    user = User(email=email, name=name or email.split("@")[0], role=role, queues=",".join(queues),
                password_hash=passwords.hash(password), created_at=now)
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> User:
    """The account of `email`, or NotFound naming it."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user {email.strip().lower()}")
    return user


def other_active_admins(session: Session, user: User) -> int:
    """Active admins besides `user`: the last one may be neither demoted nor deactivated, or nobody
    could manage users any more."""
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)) or 0


def deactivate(session: Session, user: User) -> None:
    """The account may no longer sign in, and its open console sessions end; its tickets, notes and
    audit trail stay."""
    if user.role == Role.ADMIN.value and user.active and not other_active_admins(session, user):
        raise Conflict(f"{user.email} is the last active admin")
    user.active = False
    end_all(session, user.id)
