"""What every view needs: the app's services, the request's database session, the signed-in user.

GET and HEAD requests read through a read-only session (on SQLite it never takes the write lock,
so pages stay fast while a poller writes; on PostgreSQL it runs in autocommit, see `read_sessions`);
other methods get a read-write session the view commits. Either is closed, and an uncommitted one
rolled back, when the request ends.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from inbox.ingest import Ingestor
from sla.calendar import WorkingCalendar
from tickets.config import Config
from tickets.db import session_factory
from tickets.errors import PermissionDenied
from tickets.models import User
from tickets.storage import FileStore

READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class Services:
    """Built once by `create_app`; `ingestor_factory` builds the quarantine retry's Ingestor."""

    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    readonly: sessionmaker[Session]
    store: FileStore
    calendar: WorkingCalendar
    ingestor_factory: Callable[[], Ingestor]


def read_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for read-only requests. On PostgreSQL they run in autocommit: under its default READ
    COMMITTED every statement takes a fresh snapshot even inside a transaction, so a page reads the
    same, without the BEGIN and ROLLBACK round trips a transaction adds to each request."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return session_factory(engine, readonly=True)


def services() -> Services:
    return current_app.extensions["helpdesk"]


def config() -> Config:
    return services().config


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
