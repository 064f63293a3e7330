"""Ingestion throughput: mails/s into a fresh SQLite database, next to the bare stdlib parse rate.

    python benchmarks/ingest.py [--count 1000] [--rounds 5]

The baseline is `email.message_from_bytes(raw, policy=default)` over the same bytes in the same
run; the figure that matters is the ratio (target >= 0.4), since machines here are shared and noisy.
Each round times the baseline and then ingests into a fresh database; the best round of each counts.

Two pipelines are measured, both on `Services` built as `helpdesk` builds them (message fields, raw
copies and attachments sealed at rest; search index and report figures fed on flush) and with the
collector tuned once at start as `helpdesk ingest` tunes it: `store` is ingestion itself (size check,
card masking, parsing, duplicates, threading, raw copy, attachments, storage, search index), which
the target is set for; `full` is `helpdesk ingest` as shipped (`services.ingestor`), which also
routes with the classifier (its own budget is in benchmarks/routing.py), starts SLA clocks and
queues an acknowledgement for every new ticket.
"""
from __future__ import annotations

import argparse
import dataclasses
import email
import sys
import tempfile
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import make_corpus  # noqa: E402
from cli.runtime import tune_collector  # noqa: E402
from inbox.ingest import Ingestor, RawMail, summarize  # noqa: E402
from services import Services  # noqa: E402
from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig  # noqa: E402

BATCH = 200


def bare_parse_seconds(raws: list[bytes]) -> float:
    started = time.perf_counter()
    for raw in raws:
        email.message_from_bytes(raw, policy=policy.default)
    return time.perf_counter() - started


def file_create_ms(folder: Path, files: int = 500) -> float:
    """The mean time to create a small file here: the disk's share of ingestion, which writes each
    mail's raw copy as a file, and on a shared machine the part that varies most between runs (most
    creations are quick; some wait a long time for the file system's journal)."""
    folder.mkdir()
    started = time.perf_counter()
    for number in range(files):
        with open(folder / str(number), "xb") as handle:
            handle.write(b"x" * 4096)
    return (time.perf_counter() - started) * 1000 / files


def ingest_seconds(mails: list[RawMail], folder: Path, build: Callable[[Services], Ingestor]) -> tuple[float, dict]:
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{folder / 'bench.db'}"),
                                 storage=StorageConfig(path=str(folder / "files")),
                                 routing=RoutingConfig(model_path=str(folder.parent / "router.joblib")))
    services = Services.build(config)
    ingestor = build(services)  # outside the timing: loading (or first training) the router
    sessions, outcomes = services.sessions, []
    started = time.perf_counter()
    for start in range(0, len(mails), BATCH):
        with sessions.begin() as session:
            outcomes += ingestor.ingest_batch(session, mails[start:start + BATCH], "support")
    elapsed = time.perf_counter() - started
    services.close()
    return elapsed, summarize(outcomes)


def store_only(services: Services) -> Ingestor:
    """The bare pipeline: no router (mailbox default queues), no clocks, no acknowledgements."""
    return Ingestor(services.config, services.store, services.clock)


def full(services: Services) -> Ingestor:
    return services.ingestor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tune_collector()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_corpus(root / "corpus", args.count)
        raws = [p.read_bytes() for p in paths]
        mails = [RawMail(raw, str(p)) for raw, p in zip(raws, paths)]
        best = {"bare": float("inf"), "store": float("inf"), "full": float("inf")}
        creating = []
        for round_no in range(args.rounds):
            creating.append(file_create_ms(root / f"disk-{round_no}"))
            for name, build in (("store", store_only), ("full", full)):
                best["bare"] = min(best["bare"], bare_parse_seconds(raws))
                folder = root / f"{name}-{round_no}"
                folder.mkdir()
                took, summary = ingest_seconds(mails, folder, build)
                best[name] = min(best[name], took)
    rate = {name: len(raws) / seconds for name, seconds in best.items()}
    print(f"mails: {len(raws)}, best of {args.rounds} rounds; last summary: {summary}")
    print(f"bare email.message_from_bytes(policy=default): {rate['bare']:8.0f} mails/s")
    for name in ("store", "full"):
        print(f"helpdesk ingest ({name:5}) into SQLite:          {rate[name]:8.0f} mails/s   "
              f"ratio {rate[name] / rate['bare']:.2f}")
    print(f"disk: creating a 4 KB file took {min(creating):.2f}-{max(creating):.2f} ms on average over the rounds")
    print("target: store ratio >= 0.40 (ingestion itself; the router's own target is in benchmarks/routing.py)")


if __name__ == "__main__":
    main()
