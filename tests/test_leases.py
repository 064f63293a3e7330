"""Leases in the database (tickets.leases), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from services import Services
from tickets.clock import FrozenClock
from tickets.leases import LeaseKeeper, acquire, hold_while, holder_id, provably_dead, release, renew
from tickets.models import Lease

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
TTL = 30.0
REPO = Path(__file__).resolve().parents[1]


def later(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


def holder_of(sessions: sessionmaker[Session], name: str) -> str | None:
    with sessions() as session:
        lease = session.get(Lease, name)
        return lease.holder if lease else None


def test_a_free_lease_is_taken_and_then_exclusive(services: Services) -> None:
    # The first process takes a free lease; while it is valid no other process can, and the holder keeps it.
    sessions = services.sessions
    assert acquire(sessions, "poller:support", "host-a:1:aa", TTL, NOW)
    assert not acquire(sessions, "poller:support", "host-b:2:bb", TTL, later(TTL - 1))
    assert acquire(sessions, "poller:support", "host-a:1:aa", TTL, later(TTL - 1))
    assert acquire(sessions, "poller:press", "host-b:2:bb", TTL, NOW)
    assert holder_of(sessions, "poller:support") == "host-a:1:aa"


def test_an_expired_lease_is_taken_over(services: Services) -> None:
    # A holder that stopped renewing loses the lease after the ttl; it then cannot renew it back.
    sessions = services.sessions
    assert acquire(sessions, "scheduler", "dead:1:aa", TTL, NOW)
    assert acquire(sessions, "scheduler", "alive:2:bb", TTL, later(TTL + 1))
    assert holder_of(sessions, "scheduler") == "alive:2:bb"
    assert not renew(sessions, "scheduler", "dead:1:aa", TTL, later(TTL + 2))
    assert not acquire(sessions, "scheduler", "dead:1:aa", TTL, later(TTL + 2))


def test_renewal_extends_the_lease(services: Services) -> None:
    # A renewed lease stays with its holder past the first expiry.
    sessions = services.sessions
    assert acquire(sessions, "scheduler", "a:1:aa", TTL, NOW)
    assert renew(sessions, "scheduler", "a:1:aa", TTL, later(TTL - 1))
    assert not acquire(sessions, "scheduler", "b:2:bb", TTL, later(TTL + 1))
    assert not renew(sessions, "scheduler", "b:2:bb", TTL, later(TTL + 1))
    assert holder_of(sessions, "scheduler") == "a:1:aa"


def test_release_hands_over_at_once_and_only_by_the_holder(services: Services) -> None:
    # Only the holder can release its lease; once released another process takes it before any expiry.
    sessions = services.sessions
    assert acquire(sessions, "scheduler", "a:1:aa", TTL, NOW)
    release(sessions, "scheduler", "b:2:bb")
    assert not acquire(sessions, "scheduler", "b:2:bb", TTL, later(1))
    release(sessions, "scheduler", "a:1:aa")
    assert acquire(sessions, "scheduler", "b:2:bb", TTL, later(1))
    assert not renew(sessions, "scheduler", "a:1:aa", TTL, later(2))


def test_concurrent_contenders_get_one_winner(services: Services) -> None:
    # Eight processes racing for a free lease (each with its own services and connections): exactly one gets it.
    barrier, results = threading.Barrier(8), []
    processes = [Services.build(services.config, services.clock) for _ in range(8)]

    def contend(number: int) -> None:
        barrier.wait()
        results.append(acquire(processes[number].sessions, "poller:support", f"host:{number}:x", TTL, NOW))

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in processes:
        process.close()
    assert sorted(results) == [False] * 7 + [True]


def test_keeper_reports_loss_and_takeover(services: Services) -> None:
    # A keeper holds until another process takes the expired lease, then stands by and takes it back when free.
    sessions = services.sessions
    mine = LeaseKeeper(sessions, "poller:support", holder_id(), TTL)
    other = LeaseKeeper(sessions, "poller:support", holder_id(), TTL)
    assert mine.check(NOW) and not other.check(later(1))
    assert other.check(later(TTL + 5))
    assert not mine.check(later(TTL + 6)) and not mine.held
    other.give_up()
    assert mine.check(later(TTL + 7))
    assert holder_of(sessions, "poller:support") == mine.holder


def test_hold_while_runs_the_job_only_while_held(services: Services, frozen_clock: FrozenClock) -> None:
    # The job starts when its lease is taken, pauses when another process takes it, and the lease is
    # released when the loop stops.
    sessions = services.sessions
    frozen_clock.set(NOW)
    keeper = LeaseKeeper(sessions, "scheduler", "me:1:aa", 0.3)
    events: list[str] = []
    checked = threading.Condition()

    def note(event: str) -> None:
        with checked:
            events.append(event)
            checked.notify_all()

    stop = threading.Event()
    thread = threading.Thread(target=hold_while, args=(keeper, lambda: note("gain"), lambda: note("loss"), stop,
                                                       frozen_clock.now))
    thread.start()
    try:
        with checked:
            assert checked.wait_for(lambda: events == ["gain"], timeout=30)
        frozen_clock.set(later(60))  # this process stalls past its ttl and another one takes the lease
        assert acquire(sessions, "scheduler", "other:2:bb", TTL, later(61))
        with checked:
            assert checked.wait_for(lambda: events == ["gain", "loss"], timeout=30)
        release(sessions, "scheduler", "other:2:bb")
        with checked:
            assert checked.wait_for(lambda: events == ["gain", "loss", "gain"], timeout=30)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert events == ["gain", "loss", "gain", "loss"]
    assert holder_of(sessions, "scheduler") is None


def holder_of_a_finished_process() -> str:
    """The holder id a process of this machine had, which has ended since."""
    finished = subprocess.run([sys.executable, "-c", "from tickets.leases import holder_id; print(holder_id())"],
                              cwd=REPO, capture_output=True, text=True, check=True)
    return finished.stdout.strip()


def test_a_dead_holder_on_this_machine_is_replaced_at_once(services: Services) -> None:
    # A process that held a lease and died (kill -9 leaves its row) is proved dead by a process of the same
    # machine, which takes the lease at once, long before it expires.
    sessions = services.sessions
    dead = holder_of_a_finished_process()
    assert provably_dead(dead)
    assert acquire(sessions, "poller:support", dead, TTL, NOW)
    assert acquire(sessions, "poller:support", holder_id(), TTL, later(1))


def test_a_holder_not_proved_dead_keeps_its_lease_until_it_expires(services: Services) -> None:
    # This very process, a process of another machine, and an id of another form are never taken over early.
    sessions = services.sessions
    alive = holder_id()
    host, pid, proof = alive.split(":")
    start, machine, tag = proof.split(".")
    elsewhere = f"other-host:{pid}:{start}.{'0' * len(machine)}.{tag}"
    for holder in (alive, elsewhere, "host-a:1:aa"):
        assert not provably_dead(holder)
        with sessions.begin() as session:
            session.execute(delete(Lease))
        assert acquire(sessions, "scheduler", holder, TTL, NOW)
        assert not acquire(sessions, "scheduler", holder_id(), TTL, later(TTL - 1))


def test_a_reused_pid_does_not_keep_a_dead_holder_alive() -> None:
    # The pid of a dead holder now belongs to another process (this one), started at another time: dead.
    host, pid, proof = holder_id().split(":")
    start, machine, tag = proof.split(".")
    assert provably_dead(f"{host}:{pid}:{int(start) - 1}.{machine}.{tag}")
