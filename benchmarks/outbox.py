"""Outbox throughput: queued mail delivered to a local SMTP sink, next to a bare smtplib loop.

    python benchmarks/outbox.py [--count 1000] [--rounds 3]

`--count` acknowledgement-sized mails (composed by `tickets.outbox`, sealed at rest) are queued in a
fresh SQLite database, then delivered by the sender as `helpdesk run` delivers them (`Sender.run_pass`:
batches of `[smtp] batch_size` claimed, sent over one connection, recorded) to an aiosmtpd sink on
loopback that accepts everything, in a process of its own as a mail server would be. The baseline,
in the same run and to the same sink: `smtplib` sending the same message bytes over one
connection, with no database. Rounds are interleaved; the best of each counts. Target: the sender
at least 0.5 of the bare loop's mails per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import shutil
import smtplib
import socket
import sys
import tempfile
import time
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from inbox.sender import Sender  # noqa: E402
from services import Services  # noqa: E402
from tickets.clock import SystemClock  # noqa: E402
from tickets.config import Config, DatabaseConfig, SmtpConfig, StorageConfig  # noqa: E402
from tickets.models import Outbox  # noqa: E402
from tickets.outbox import queue_notification  # noqa: E402

BODY = ("Thank you for writing to aeropressmall.com. We have your message and opened ticket HD-{n} for it.\n\n"
        "You will hear from us by Thursday, 26 November 2026, 18:00 New York time (two working days).\n\n"
        "Our Customer Service Policy is at https://aeropressmall.com/pages/customer-service.\n\n"
        "Kind regards,\nThe aeropressmall.com support team\n")


class CountingSink:
    """Accepts every mail and counts it."""

    def __init__(self, count: Synchronized[int]) -> None:
        self.count = count

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def serve_sink(port: int, count: Synchronized[int], ready: Event, stop: Event) -> None:
    controller = Controller(CountingSink(count), hostname="127.0.0.1", port=port)
    controller.start()  # returns once the server answers
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def queued(folder: Path, port: int, count: int) -> Services:
    """Services on a fresh SQLite database with `count` mails queued for the sink at `port`."""
    config = Config(database=DatabaseConfig(url=f"sqlite:///{folder / 'bench.db'}"),
                    storage=StorageConfig(path=str(folder / "files")),
                    smtp=SmtpConfig(host="127.0.0.1", port=port, tls="none"))
    services = Services.build(config, SystemClock())
    now = services.clock.now()
    with services.sessions.begin() as session:
        for n in range(count):
            queue_notification(session, config, f"customer{n}@example.com", f"We got your mail [#HD-{n}]",
                               BODY.format(n=n), None, now)
    return services


def requeue(services: Services) -> None:
    """Every row pending and due again, for the next round."""
    with services.sessions.begin() as session:
        session.execute(update(Outbox).values(status="pending", attempts=0, sent_at=None, claimed_by="",
                                              next_attempt_at=services.clock.now() - dt.timedelta(seconds=1)))


def bare_loop(messages: list[tuple[str, str, bytes]], port: int) -> float:
    """Seconds for smtplib alone to send `messages` over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for mail_from, rcpt, raw in messages:
            client.sendmail(mail_from, [rcpt], raw)
    return time.perf_counter() - started


def sender_pass(services: Services) -> tuple[float, dict[str, int]]:
    """Seconds for one delivery pass over everything queued, as the scheduler runs it."""
    started = time.perf_counter()
    counts = Sender(services.sessions, services.config, services.clock).run_pass(services.clock.now())
    return time.perf_counter() - started, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    port, received = free_port(), multiprocessing.Value("i", 0)
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    sink = multiprocessing.Process(target=serve_sink, args=(port, received, ready, stop), daemon=True)
    sink.start()
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-outbox-bench-"))
    try:
        assert ready.wait(30), "the SMTP sink did not start"
        services = queued(folder, port, args.count)
        with services.readonly() as session:
            messages = [(row.mail_from, row.rcpt, row.raw) for row in session.scalars(select(Outbox))]
        bare, ours = [], []
        for _ in range(args.rounds):
            bare.append(bare_loop(messages, port))
            requeue(services)
            seconds, counts = sender_pass(services)
            assert counts["sent"] == args.count, counts
            ours.append(seconds)
        services.close()
    finally:
        stop.set()
        sink.join(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    assert received.value == 2 * args.count * args.rounds
    bare_rate, our_rate = args.count / min(bare), args.count / min(ours)
    print(f"{args.count} mails to an aiosmtpd sink on loopback, best of {args.rounds} rounds")
    print(f"bare smtplib loop, one connection (baseline): {bare_rate:7.0f} mails/s")
    print(f"outbox sender pass (claim, send, record):     {our_rate:7.0f} mails/s")
    ratio = our_rate / bare_rate
    print(f"ratio: {ratio:.2f} (target >= 0.50)")
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
