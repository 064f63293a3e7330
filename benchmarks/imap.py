"""IMAP ingestion throughput and the cost of an idle poll, against a private Dovecot on loopback.

    python benchmarks/imap.py [--count 1000] [--idle-mails 10000] [--burst 500]

1. The same `--count` corpus mails (../shared/bench/make_mail_corpus.py) ingested twice into fresh
   SQLite databases with the whole pipeline (`Services.ingestor`: router, SLA clocks,
   acknowledgements, encryption at rest): from files, the baseline, and from Dovecot by
   `Poller.poll_once` (UID SEARCH, `BODY.PEEK[]` fetches in batches, checkpoint commits).
   Target: the IMAP rate >= 0.5 of the file rate.
2. An idle poll (nothing new) of a folder holding `--idle-mails` mails that were all ingested,
   next to an idle poll of an empty folder: the median of 25 polls each. They should be close,
   since an idle poll is one SELECT and one UID SEARCH above the checkpoint, never a scan.
3. A burst: `--burst` corpus mails appended in one go to a mailbox whose poller waits in IDLE
   (`Poller.run`, as `helpdesk run` runs it), timed from the last append to the last ticket, next to
   ingesting the same files from disk in the same run. Target: within 1.5x of the file time, and
   the poller never back in IDLE while mail waits (no idle gap longer than one batch).
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dovecot import Dovecot, start_dovecot  # noqa: E402

from benchmarks.corpus import make_corpus  # noqa: E402
from inbox.imap import Poller  # noqa: E402
from inbox.ingest import RawMail, summarize  # noqa: E402
from services import Services  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig  # noqa: E402

BATCH = 100
IDLE_POLLS = 25


def fresh_services(folder: Path, server: Dovecot | None = None, user: str = "") -> Services:
    """Services on a new SQLite database; with `server`, mailbox support polls `user` there."""
    folder.mkdir(parents=True)
    base = Config()
    box = base.mailbox("support")
    if server is not None:
        box = dataclasses.replace(box, imap_host=server.host, imap_port=server.port, imap_user=user,
                                  imap_password=server.password, imap_tls="none", batch_size=BATCH)
    config = dataclasses.replace(base, database=DatabaseConfig(url=f"sqlite:///{folder / 'bench.db'}"),
                                 storage=StorageConfig(path=str(folder / "files")),
                                 mailboxes={**base.mailboxes, "support": box})
    return Services.build(config)


def file_rate(raws: list[bytes], folder: Path) -> tuple[float, dict[str, int]]:
    """Mails/s of `helpdesk ingest` over the same bytes, in batches of BATCH."""
    services = fresh_services(folder)
    sessions, ingestor, outcomes = services.sessions, services.ingestor, []
    started = time.perf_counter()
    for start in range(0, len(raws), BATCH):
        with sessions.begin() as session:
            batch = [RawMail(raw, f"file#{start + i}") for i, raw in enumerate(raws[start:start + BATCH])]
            outcomes += ingestor.ingest_batch(session, batch, "support")
    rate = len(raws) / (time.perf_counter() - started)
    services.close()
    return rate, summarize(outcomes)


def poller_for(server: Dovecot, user: str, folder: Path) -> Poller:
    services = fresh_services(folder, server, user)
    return Poller(services.config, "support", services.sessions, services.ingestor)


def imap_rate(server: Dovecot, user: str, count: int, folder: Path) -> tuple[float, dict[str, int]]:
    """Mails/s of one poll that ingests the whole folder (connection and login included)."""
    poller = poller_for(server, user, folder)
    started = time.perf_counter()
    outcomes = poller.poll_once()
    elapsed = time.perf_counter() - started
    poller.close()
    assert len(outcomes) == count, f"polled {len(outcomes)} of {count}"
    return count / elapsed, summarize(outcomes)


class TimedPoller(Poller):
    """A poller that notes when each batch's transaction ran and when it waited in IDLE."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commits: list[tuple[float, float, int]] = []  # (began, ended, mails)
        self.idles: list[tuple[float, float]] = []
        self.idling = threading.Event()

    def _commit(self, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        outcomes = super()._commit(*args, **kwargs)
        self.commits.append((began, time.perf_counter(), len(outcomes)))
        return outcomes

    def _idle(self, *args: Any, **kwargs: Any) -> bool:
        began = time.perf_counter()
        self.idling.set()
        try:
            return super()._idle(*args, **kwargs)
        finally:
            self.idles.append((began, time.perf_counter()))


def burst(server: Dovecot, user: str, raws: list[bytes], folder: Path) -> dict[str, float]:
    """Append `raws` at once to a mailbox whose poller idles; the latency and where the time went."""
    services = fresh_services(folder, server, user)
    services.ingestor  # the router loads before the clock starts, as `helpdesk run` loads it at start  # noqa: B018
    poller = TimedPoller(services.config, "support", services.sessions, services.ingestor)
    stop = threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert poller.idling.wait(60), "the poller never went into IDLE"
        first_append = time.perf_counter()
        server.append(user, raws)
        last_append = time.perf_counter()
        while sum(n for _, _, n in poller.commits) < len(raws):
            assert thread.is_alive(), "the poller died"
            time.sleep(0.005)
    finally:
        stop.set()
        thread.join(timeout=30)
        services.close()
    commits = poller.commits
    began, ended = commits[0][0], commits[-1][1]
    gaps = [later[0] - earlier[1] for earlier, later in zip(commits, commits[1:])]
    woken = min(end for _, end in poller.idles if end > first_append) - first_append
    idle_between = [min(end, ended) - max(start, began) for start, end in poller.idles if end > began and start < ended]
    return {"append": last_append - first_append, "latency": ended - last_append, "woken": woken,
            "first": began - first_append, "batches": len(commits),
            "batch": statistics.median(end - start for start, end, _ in commits),
            "gap": max(gaps, default=0.0), "idle": max(idle_between, default=0.0)}


def small_mail(n: int) -> bytes:
    return (f"From: Customer {n} <c{n}@example.com>\r\nTo: support@aeropressmall.com\r\n"
            f"Subject: Order AP-{100000 + n} question\r\nMessage-ID: <idle-{n}@example.com>\r\n"
            f"Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\nWhere is my parcel? Order AP-{100000 + n}.\r\n").encode()


def idle_poll_ms(poller: Poller) -> float:
    """Median wall time of an idle poll on an open connection (the steady state between IDLE rounds)."""
    poller.poll_once()
    times = []
    for _ in range(IDLE_POLLS):
        started = time.perf_counter()
        assert poller.poll_once() == []
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--idle-mails", type=int, default=10_000)
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args()
    try:
        server = start_dovecot()
    except pytest.skip.Exception as exc:  # not installed, or not startable here
        sys.exit(f"benchmark {exc.msg}")
    tmp = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
    try:
        raws = [p.read_bytes() for p in make_corpus(tmp / "corpus", args.count)]
        corpus_user, full_user, empty_user = server.add_user(), server.add_user(), server.add_user()
        server.append(corpus_user, raws)
        server.append(full_user, [small_mail(n) for n in range(args.idle_mails)])
        files, file_summary = file_rate(raws, tmp / "files-db")
        imap, imap_summary = imap_rate(server, corpus_user, len(raws), tmp / "imap-db")
        full = poller_for(server, full_user, tmp / "full-db")
        started = time.perf_counter()
        full.poll_once()
        load_seconds = time.perf_counter() - started
        full_ms, empty_ms = idle_poll_ms(full), idle_poll_ms(poller_for(server, empty_user, tmp / "empty-db"))
        burst_raws = raws[:args.burst]
        burst_files, _ = file_rate(burst_raws, tmp / "burst-files-db")
        timed = burst(server, server.add_user(), burst_raws, tmp / "burst-db")
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"mails: {len(raws)}  file summary: {file_summary}")
    print(f"                     imap summary: {imap_summary}")
    print(f"file ingest into SQLite (baseline): {files:8.0f} mails/s")
    print(f"IMAP poll from Dovecot:             {imap:8.0f} mails/s")
    print(f"ratio: {imap / files:.2f} (target >= 0.50)")
    print(f"first poll of {args.idle_mails} small mails (ingested): {load_seconds:.1f} s")
    print(f"idle poll, {args.idle_mails} mails already ingested: {full_ms:7.2f} ms (median of {IDLE_POLLS})")
    print(f"idle poll, empty folder (baseline):     {empty_ms:7.2f} ms")
    file_seconds = len(burst_raws) / burst_files
    print(f"burst of {len(burst_raws)} mails appended at once ({timed['append']:.2f} s to append):")
    print(f"  the same files ingested from disk (baseline): {file_seconds:6.2f} s")
    print(f"  last append to last ticket:                    {timed['latency']:6.2f} s  "
          f"ratio {timed['latency'] / file_seconds:.2f} (target <= 1.50)")
    print(f"  IDLE woken by the server's EXISTS:            {timed['woken']:6.2f} s after the first append")
    print(f"  first append to first batch stored:            {timed['first']:6.2f} s")
    print(f"  {timed['batches']:.0f} batches, median {timed['batch'] * 1000:.0f} ms each; longest gap between "
          f"batches {timed['gap'] * 1000:.0f} ms (target: shorter than a batch); time in IDLE from the first "
          f"batch to the last {timed['idle'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
