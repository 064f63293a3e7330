"""Ingestion throughput on PostgreSQL with 1, 2 and 4 worker processes sharing one database.

    python benchmarks/ingest_workers.py [--count 2000] [--workers 1,2,4] [--batch 100]
                                        [--split conversation|interleaved] [--admin-url URL]

Each run gets a fresh database on the server of `--admin-url` (default the test server) and a
fresh storage folder. Every worker process ingests its share of the same generated corpus
(../shared/bench/make_mail_corpus.py) with the whole pipeline as `helpdesk ingest` runs it
(router, SLA clocks, acknowledgements, encryption at rest), in batches of `--batch` (a poller's
default batch_size), all into the same database at once. How the corpus is shared out:
- `conversation` (default): each conversation (a mail and the replies that name it) goes to one
  worker, conversations dealt out in turn, as deployed: a mailbox has one poller at a time (its
  lease) and a customer's replies come back to the mailbox they wrote to. Customers still meet
  across workers (one customer, two conversations).
- `interleaved`: worker i takes mails i, i+N, ..., so a reply is often stored by another worker
  while its original's batch is still open: the worst case for row locks, shown for scale.
The clock runs from the moment every worker is ready (imports and router loaded) until the last one
finishes. The baseline is one worker, in the same run; target: 2 workers >= 1.3x one worker on a
2-core machine that also runs PostgreSQL.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import email
import functools
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import make_corpus  # noqa: E402
from benchmarks.scratch import ADMIN_URL, scratch_database  # noqa: E402
from cli.runtime import tune_collector  # noqa: E402
from inbox.ingest import RawMail, summarize  # noqa: E402
from inbox.parse import parse_message  # noqa: E402
from routing.classify import Router  # noqa: E402
from services import Services  # noqa: E402
from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig  # noqa: E402


def conversations(mails: list[RawMail]) -> list[list[RawMail]]:
    """The mails grouped by conversation (by the Message-IDs they name), in order of first mail."""
    group_of: dict[str, int] = {}
    groups: list[list[RawMail]] = []
    for mail in mails:
        headers = email.message_from_bytes(mail.data.split(b"\r\n\r\n", 1)[0])
        own = (headers.get("Message-ID") or "").strip()
        named = f"{headers.get('In-Reply-To') or ''} {headers.get('References') or ''}".split()
        found = next((group_of[i] for i in named if i in group_of), None)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(mail)
        group_of.update(dict.fromkeys([own, *named], found))
    return groups


def shares(mails: list[RawMail], workers: int, split: str) -> list[list[RawMail]]:
    """Each worker's mails, in corpus order within a share."""
    if split == "interleaved":
        return [mails[i::workers] for i in range(workers)]
    dealt: list[list[RawMail]] = [[] for _ in range(workers)]
    for number, group in enumerate(conversations(mails)):
        dealt[number % workers].extend(group)
    order = {id(mail): index for index, mail in enumerate(mails)}
    return [sorted(share, key=lambda mail: order[id(mail)]) for share in dealt]


def worker(config: Config, mails: list[RawMail], batch: int, start: multiprocessing.synchronize.Barrier,
           results: multiprocessing.Queue[dict[str, int]]) -> None:
    """One ingesting process: its own services (engine, keyring, listeners) and ingestor, built and
    tuned as `helpdesk ingest` builds them.

    A batch that loses a deadlock to another worker is rolled back and ingested again, as a
    poller does (its checkpoint did not move) and as an MTA does after LMTP's 451.
    """
    services = Services.build(config)
    ingestor = services.ingestor
    tune_collector()
    sessions, outcomes, retried = services.sessions, [], 0
    start.wait()
    for first in range(0, len(mails), batch):
        while True:
            try:
                with sessions.begin() as session:
                    done = ingestor.ingest_batch(session, mails[first:first + batch], "support")
                break
            except OperationalError:
                retried += 1
        outcomes += done
    services.close()
    results.put({**summarize(outcomes), "batches_retried": retried})


def train_router(folder: Path) -> None:
    """Train the router on the shipped set once and save it where every worker loads it from."""
    config = dataclasses.replace(Config(), routing=RoutingConfig(model_path=str(folder / "router.joblib")))
    now = dt.datetime.now(dt.UTC)
    Router.load(config, functools.partial(parse_message, now=now, our_addresses=config.our_addresses()), now)


def run(workers: int, parts: list[list[RawMail]], batch: int, admin_url: str,
        folder: Path) -> tuple[float, Counter[str]]:
    """Seconds for `workers` processes to ingest `mails` together into a fresh database; the summary."""
    with scratch_database(admin_url) as url:
        config = dataclasses.replace(Config(), database=DatabaseConfig(url=url),
                                     storage=StorageConfig(path=str(folder / f"files-{workers}")),
                                     routing=RoutingConfig(model_path=str(folder / "router.joblib")))
        start = multiprocessing.Barrier(workers + 1)
        results: multiprocessing.Queue[dict[str, int]] = multiprocessing.Queue()
        processes = [multiprocessing.Process(target=worker, args=(config, part, batch, start, results))
                     for part in parts]
        for process in processes:
            process.start()
        start.wait()
        began = time.perf_counter()
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - began
        if any(process.exitcode for process in processes):
            sys.exit("a worker failed (its traceback is above)")
        summary: Counter[str] = Counter()
        for _ in processes:
            summary.update(results.get())
    return elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts; the first is the baseline")
    parser.add_argument("--batch", type=int, default=100, help="mails per transaction")
    parser.add_argument("--split", choices=("conversation", "interleaved"), default="conversation",
                        help="how the corpus is shared out among the workers (see above)")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="a PostgreSQL database on the server to use")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mails = [RawMail(p.read_bytes(), str(p)) for p in make_corpus(folder / "corpus", args.count)]
        train_router(folder)
        rates = {}
        for workers in counts:
            seconds, summary = run(workers, shares(mails, workers, args.split), args.batch, args.admin_url, folder)
            rates[workers] = len(mails) / seconds
            print(f"{workers} worker{'s' if workers > 1 else ' '}: {rates[workers]:7.0f} mails/s  "
                  f"({seconds:5.1f} s)  x{rates[workers] / rates[counts[0]]:.2f} of {counts[0]}  {dict(summary)}",
                  flush=True)
    if 2 in rates and 1 in rates:
        ratio = rates[2] / rates[1]
        print(f"target: 2 workers >= 1.30x one worker: {ratio:.2f}x {'ok' if ratio >= 1.3 else 'MISSED'}")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
