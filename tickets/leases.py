"""Leases: which process runs a singleton job (a mailbox's poller, the scheduler) across hosts.

A lease is one row (name, holder, expires_at). `acquire` inserts it, or takes it over when it
expired or is already ours, in one `INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING`
statement: PostgreSQL serialises concurrent upserts of one key, and SQLite transactions here begin
IMMEDIATE, so of several contenders exactly one sees its row come back. The holder renews well
before the expiry (every ttl/3), in a thread of its own (`LeaseKeeper.keep`), so renewal never
waits for the job's work and the job never waits for a renewal; a standby tries every ttl/3, so a
dead holder's job is taken over within about 1.3 ttl (docs/operations.md).

A holder that died on *this* machine need not be waited for: its id names its pid and that process's
start time, within this kernel's boot and pid namespace, so a restarted process finds the old pid
gone (or taken by another process, started later) and takes the lease over at once
(`provably_dead`). A holder on another machine, or one whose death cannot be proved, keeps its lease
until it expires.

Times come from each host's clock: hosts must agree on the time (NTP) to well under a ttl.
A lease only says who *should* run a job; the jobs stay safe when two overlap for a moment (a
poller locks its checkpoint row, the outbox is claimed row by row).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import delete, or_, select, update
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
    """This process: `host:pid:start.machine.random`, unique even when a pid is reused. `start` and
    `machine` let another process on this machine prove the holder dead (`provably_dead`)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid) or ''}.{_machine()}.{uuid.uuid4().hex[:8]}"


@cache
def _machine() -> str:
    """This kernel's boot and pid namespace: within both, a pid and a start time name one process.
    Empty where /proc does not tell (then no holder is ever proved dead)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    return hashlib.sha256(f"{boot} {namespace}".encode()).hexdigest()[:12]


def _started(pid: int | str) -> str | None:
    """When process `pid` started (clock ticks since boot, proc(5) `stat` field 22); None if none runs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except (OSError, ValueError):
        return None
    fields = stat.rpartition(")")[2].split()  # the command name in parentheses may hold spaces
    return fields[19] if len(fields) > 19 else None


def provably_dead(holder: str) -> bool:
    """True when `holder` was a process of this machine that no longer runs: its pid is gone, or
    belongs to a process that started at another time. False whenever that cannot be proved."""
    _host, _, rest = holder.partition(":")
    pid, _, proof = rest.partition(":")
    start, _, rest = proof.partition(".")
    machine = rest.partition(".")[0]
    if not (pid.isdigit() and start and machine) or machine != _machine():
        return False
    return _started(pid) != start


def acquire(session_factory: sessionmaker[Session], name: str, holder: str, ttl: float, now: dt.datetime) -> bool:
    """Take the lease `name` for `ttl` seconds: True when it was free, expired or already ours."""
    with session_factory.begin() as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(Lease).values(name=name, holder=holder, expires_at=now + dt.timedelta(seconds=ttl))
        statement = statement.on_conflict_do_update(
            index_elements=[Lease.name],
            set_={"holder": statement.excluded.holder, "expires_at": statement.excluded.expires_at},
            where=or_(Lease.expires_at < now, Lease.holder == holder))
        if session.execute(statement.returning(Lease.name)).first() is not None:
            return True
        current = session.scalar(select(Lease.holder).where(Lease.name == name))
        if current is None or not provably_dead(current):
            return False
        taken = session.execute(update(Lease).where(Lease.name == name, Lease.holder == current)
                                .values(holder=holder, expires_at=now + dt.timedelta(seconds=ttl))
                                .execution_options(synchronize_session=False))
        if affected_rows(taken) != 1:
            return False
    log.info("lease %s taken over from %s, which no longer runs on this machine", name, current)
    return True


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
    """One process's hold on one lease: `keep` renews it in a thread of its own, the job reads
    `holding`; `give_up` when stopping.

    A database error counts as not holding: a process that cannot renew must assume another
    took over once its lease expires, and cannot do the job without the database anyway.
    """

    sessions: sessionmaker[Session]
    name: str
    holder: str
    ttl: float
    held: bool = False
    holding: threading.Event = field(default_factory=threading.Event, repr=False)

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
            log.info("lease %s %s by %s", self.name, "taken" if held else "lost", self.holder)
        self._set(held)
        return held

    def keep(self, stop: threading.Event, now: Callable[[], dt.datetime],
             on_change: Callable[[bool], object] | None = None) -> None:
        """Check every `interval` until `stop` (the first check at once); `on_change(held)` when
        the lease is taken or lost. It does not release the lease: the job does, when it is done."""
        while not stop.is_set():
            was = self.held
            held = self.check(now())
            if on_change is not None and held != was:
                on_change(held)
            stop.wait(self.interval)

    def give_up(self) -> None:
        """Release the lease if held (a clean stop hands over at once, not after the ttl)."""
        if not self.held:
            return
        self._set(False)
        try:
            release(self.sessions, self.name, self.holder)
        except SQLAlchemyError:
            log.warning("lease %s: not released (database unreachable); it expires by itself", self.name)

    def _set(self, held: bool) -> None:
        self.held = held
        if held:
            self.holding.set()
        else:
            self.holding.clear()


def hold_while(keeper: LeaseKeeper, on_gain: Callable[[], object], on_loss: Callable[[], object],
               stop: threading.Event, now: Callable[[], dt.datetime]) -> None:
    """Run `on_gain` when the lease is taken and `on_loss` when it is lost, until `stop`; then
    release it. For jobs that run by themselves while held, such as a scheduler."""
    try:
        keeper.keep(stop, now, lambda held: on_gain() if held else on_loss())
    finally:
        if keeper.held:
            on_loss()
        keeper.give_up()
