"""Leases: which process runs a singleton job (a mailbox's poller, the scheduler) across hosts.

A lease is one row (name, holder, expires_at). `acquire` inserts it, or takes it over when it
expired or is already ours, in one `INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING`
statement: PostgreSQL serialises concurrent upserts of one key, and SQLite transactions here begin
IMMEDIATE, so of several contenders exactly one sees its row come back. The holder renews well
before the expiry (every ttl/3); a standby tries every ttl/3, so a dead holder's job is taken over
within about 1.3 ttl (docs/operations.md).

Times come from each host's clock: hosts must agree on the time (NTP) to well under a ttl.
A lease only says who *should* run a job; the jobs stay safe when two overlap for a moment (a
poller locks its checkpoint row, the outbox is claimed row by row).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tickets.db import affected_rows
from tickets.models import Lease

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def poller_lease(mailbox: str) -> str:
    """The lease name of a mailbox's poller."""
    return f"poller:{mailbox}"


def holder_id() -> str:
    """This process, unique even when a pid is reused: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(session_factory: sessionmaker[Session], name: str, holder: str, ttl: float, now: dt.datetime) -> bool:
    """Take the lease `name` for `ttl` seconds: True when it was free, expired or already ours."""
    with session_factory.begin() as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(Lease).values(name=name, holder=holder, expires_at=now + dt.timedelta(seconds=ttl))
        statement = statement.on_conflict_do_update(
            index_elements=[Lease.name],
            set_={"holder": statement.excluded.holder, "expires_at": statement.excluded.expires_at},
            where=or_(Lease.expires_at < now, Lease.holder == holder))
        return session.execute(statement.returning(Lease.name)).first() is not None


def renew(session_factory: sessionmaker[Session], name: str, holder: str, ttl: float, now: dt.datetime) -> bool:
    """Extend our lease by `ttl` from `now`; False when another process holds it (or nobody does)."""
    with session_factory.begin() as session:
        result = session.execute(update(Lease).where(Lease.name == name, Lease.holder == holder)
                                 .values(expires_at=now + dt.timedelta(seconds=ttl))
                                 .execution_options(synchronize_session=False))
        return affected_rows(result) == 1


def release(session_factory: sessionmaker[Session], name: str, holder: str) -> None:
    """Give the lease up, if it is ours, so a standby takes over at its next try."""
    with session_factory.begin() as session:
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder)
                        .execution_options(synchronize_session=False))


@dataclass
class LeaseKeeper:
    """One process's hold on one lease: `check` before doing the job, `give_up` when stopping.

    A database error counts as not holding: a process that cannot renew must assume another
    took over once its lease expires, and cannot do the job without the database anyway.
    """

    sessions: sessionmaker[Session]
    name: str
    holder: str
    ttl: float
    held: bool = False

    @property
    def interval(self) -> float:
        """Seconds between checks, held or standing by."""
        return self.ttl / 3

    def check(self, now: dt.datetime) -> bool:
        """Renew the lease if held, else try to take it; True while this process holds it."""
        try:
            if self.held and renew(self.sessions, self.name, self.holder, self.ttl, now):
                return True
            held = acquire(self.sessions, self.name, self.holder, self.ttl, now)
        except SQLAlchemyError as exc:
            log.warning("lease %s: cannot reach the database (%s)", self.name, type(exc).__name__)
            held = False
        if held != self.held:
            log.warning("lease %s %s by %s", self.name, "taken" if held else "lost", self.holder)
        self.held = held
        return held

    def give_up(self) -> None:
        """Release the lease if held (a clean stop hands over at once, not after the ttl)."""
        if not self.held:
            return
        self.held = False
        try:
            release(self.sessions, self.name, self.holder)
        except SQLAlchemyError:
            log.warning("lease %s: not released (database unreachable); it expires by itself", self.name)


def hold_while(keeper: LeaseKeeper, on_gain: Callable[[], object], on_loss: Callable[[], object],
               stop: threading.Event, now: Callable[[], dt.datetime]) -> None:
    """Run `on_gain` when the lease is taken and `on_loss` when it is lost, until `stop`; then
    release it. For jobs that run by themselves while held, such as a scheduler."""
    running = False
    try:
        while not stop.is_set():
            held = keeper.check(now())
            if held and not running:
                on_gain()
            elif running and not held:
                on_loss()
            running = held
            stop.wait(keeper.interval)
    finally:
        if running:
            on_loss()
        keeper.give_up()
