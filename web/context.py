"""What every view needs: the app's services, the request's database session, the signed-in user.

GET and HEAD requests read through a read-only session (on SQLite it never takes the write lock,
so pages stay fast while a poller writes; on PostgreSQL it runs in autocommit, see `services`);
other methods get a read-write session the view commits. Either is closed, and an uncommitted one
rolled back, when the request ends.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app, g, request
from sqlalchemy.orm import Session

from services import Services
from tickets.config import Config
from tickets.errors import PermissionDenied
from tickets.models import User

READ_METHODS = frozenset({"GET", "HEAD"})


def services() -> Services:
    return current_app.extensions["helpdesk"]


def config() -> Config:
    return services().config


def now() -> dt.datetime:
    """The current moment on the services' clock."""
    return services().clock.now()


def db() -> Session:
    """The request's session, opened on first use."""
    if "db" not in g:
        factory = services().readonly if request.method in READ_METHODS else services().sessions
        g.db = factory()
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def me() -> User:
    """The signed-in user (every view but sign-in and health checks runs after `auth` set it)."""
    user = g.get("user")
    if user is None:
        raise PermissionDenied("sign in first")
    return user


def client_address() -> str:
    return (request.remote_addr or "")[:64]
