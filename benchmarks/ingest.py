"""Ingestion throughput: mails/s into a fresh SQLite database, next to the bare stdlib parse rate.

The whole pipeline as `helpdesk ingest` runs it: masking, parsing, threading, routing, SLA clocks
and acknowledgements queued in the outbox.

    python benchmarks/ingest.py [--count 2000]

The baseline is `email.message_from_bytes(raw, policy=default)` over the same bytes in the same
run; the figure that matters is the ratio (target >= 0.4), since machines here are shared and noisy.
"""
from __future__ import annotations

import argparse
import dataclasses
import email
import sys
import tempfile
import time
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import make_corpus  # noqa: E402
from inbox.ingest import RawMail, summarize  # noqa: E402
from sla import clocks  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig  # noqa: E402
from tickets.db import make_engine, session_factory  # noqa: E402
from tickets.migrations import upgrade  # noqa: E402
from web.wiring import make_ingestor  # noqa: E402

BATCH = 200


def bare_parse_seconds(raws: list[bytes]) -> float:
    started = time.perf_counter()
    for raw in raws:
        email.message_from_bytes(raw, policy=policy.default)
    return time.perf_counter() - started


def ingest_seconds(mails: list[RawMail], folder: Path) -> tuple[float, dict[str, int]]:
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{folder / 'bench.db'}"),
                                 storage=StorageConfig(path=str(folder / "files")))
    engine = make_engine(config.database.url)
    upgrade(engine)
    clocks.install(config)
    sessions, ingestor, outcomes = session_factory(engine), make_ingestor(config), []
    started = time.perf_counter()
    for start in range(0, len(mails), BATCH):
        with sessions.begin() as session:
            outcomes += ingestor.ingest_batch(session, mails[start:start + BATCH], "support")
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, summarize(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = make_corpus(folder / "corpus", args.count)
        raws = [p.read_bytes() for p in paths]
        mails = [RawMail(raw, str(p)) for raw, p in zip(raws, paths)]
        bare = bare_parse_seconds(raws)
        took, summary = ingest_seconds(mails, folder)
    bare_rate, rate = len(raws) / bare, len(raws) / took
    print(f"mails: {len(raws)}  summary: {summary}")
    print(f"bare email.message_from_bytes(policy=default): {bare_rate:8.0f} mails/s")
    print(f"helpdesk ingest into SQLite:                   {rate:8.0f} mails/s")
    print(f"ratio: {rate / bare_rate:.2f} (target >= 0.40)")


if __name__ == "__main__":
    main()
