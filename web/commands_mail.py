"""Commands that read mail: ingest, parse."""
from __future__ import annotations

import argparse
import itertools
from typing import TYPE_CHECKING, Iterable, Iterator

from inbox.files import read_paths
from inbox.ingest import Ingestor, Outcome, RawMail, summarize
from inbox.parse import ParseError, parse_message, summary
from tickets import clock
from tickets.config import Config

if TYPE_CHECKING:
    from web.cli import Runtime

BATCH = 200


def make_ingestor(config: Config) -> Ingestor:
    """The ingestion pipeline with everything wired: router, SLA clocks, acknowledgements."""
    return Ingestor(config)


def _batches(mails: Iterable[RawMail], size: int) -> Iterator[list[RawMail]]:
    iterator = iter(mails)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mailbox", required=True, help="the mailbox these messages arrived in")
    parser.add_argument("--jsonl", action="store_true", help="first one JSON line per message")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".eml files, Maildir folders or mbox files")


def ingest(args: argparse.Namespace, runtime: Runtime) -> int:
    """Import .eml files, Maildir folders or mbox files as if they arrived in a mailbox."""
    from web.cli import emit

    config = runtime.config
    config.mailbox(args.mailbox)
    ingestor = make_ingestor(config)
    outcomes: list[Outcome] = []
    for batch in _batches(read_paths(args.paths), BATCH):
        with runtime.sessions.begin() as session:
            done = ingestor.ingest_batch(session, batch, args.mailbox)
        outcomes.extend(done)
        if args.jsonl:
            for outcome in done:
                emit({"file": outcome.source, "message_id": outcome.message_id, "ticket": outcome.ticket,
                      "status": outcome.status})
    emit(summarize(outcomes))
    return 0


def _parse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON line per file (the only format)")
    parser.add_argument("files", nargs="+", metavar="FILE")


def parse(args: argparse.Namespace, runtime: Runtime) -> int:
    """Parse mail files without storing them."""
    from web.cli import emit

    ours = runtime.config.our_addresses()
    failed = 0
    for mail in read_paths(args.files):
        try:
            emit(summary(parse_message(mail.data, now=clock.now(), our_addresses=ours), mail.source))
        except ParseError as exc:
            failed += 1
            emit({"file": mail.source, "error": str(exc)})
    return 1 if failed else 0


COMMANDS = {"ingest": (_ingest_arguments, ingest), "parse": (_parse_arguments, parse)}
