"""Commands that read mail: ingest, parse, poll, lmtp."""
from __future__ import annotations

import argparse
import itertools
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from cli.runtime import emit
from inbox.cardsafe import Unmaskable, mask_raw_safely, parse_masked
from inbox.files import check_paths, read_paths
from inbox.ingest import Outcome, RawMail, summarize
from inbox.parse import ParseError, summary
from tickets.config import Config
from tickets.errors import ConfigError, InputError, TemporaryFailure

if TYPE_CHECKING:
    from cli.runtime import Runtime

BATCH = 200


def _batches(mails: Iterable[RawMail], size: int) -> Iterator[list[RawMail]]:
    iterator = iter(mails)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mailbox", required=True, help="the mailbox these messages arrived in")
    parser.add_argument("--jsonl", action="store_true", help="first one JSON line per message")
    parser.add_argument("--no-ack", action="store_true",
                        help="queue no acknowledgements (importing an archive: its customers are not mailed)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".eml files, Maildir folders or mbox files")


def ingest(args: argparse.Namespace, runtime: Runtime) -> int:
    """Import .eml files, Maildir folders or mbox files as if they arrived in a mailbox."""
    config = runtime.config
    config.mailbox(args.mailbox)
    check_paths(args.paths)
    services = runtime.services
    ingestor = services.ingestor
    runtime.tune_collector()
    outcomes: list[Outcome] = []
    for batch in _batches(read_paths(args.paths), BATCH):
        with services.sessions.begin() as session:
            done = ingestor.ingest_batch(session, batch, args.mailbox, acknowledge=not args.no_ack)
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
    """Parse mail files without storing them; what is printed is masked as what ingest stores."""
    ours, now = runtime.config.our_addresses(), runtime.clock.now()
    failed = 0
    for mail in read_paths(args.files):
        try:
            _kept, parsed = parse_masked(mask_raw_safely(mail.data), now=now, our_addresses=ours,
                                         envelope_sender=mail.envelope_sender)
            emit(summary(parsed, mail.source))
        except (ParseError, Unmaskable) as exc:
            failed += 1
            emit({"file": mail.source, "error": str(exc)})
    return 1 if failed else 0


def _poll_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="poll each mailbox once, print a JSON summary, exit")
    parser.add_argument("--mailbox", metavar="NAME", help="only this mailbox")


def _polled(config: Config, name: str | None) -> list[str]:
    from inbox.imap import imap_mailboxes

    if name is not None:
        if not config.mailbox(name).imap_host:
            raise ConfigError(f"{config.source}: mailboxes.{name}.imap_host is not set")
        return [name]
    names = imap_mailboxes(config)
    if not names:
        raise ConfigError(f"{config.source}: no mailbox has imap_host set")
    return names


def _until_signal() -> threading.Event:
    """An event set by SIGINT or SIGTERM, so pollers finish their batch and log out."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def poll(args: argparse.Namespace, runtime: Runtime) -> int:
    """Poll the IMAP mailboxes (until interrupted, or once with --once)."""
    from inbox.imap import MailboxError, Poller, run_pollers

    config = runtime.config
    names = _polled(config, args.mailbox)
    services = runtime.services
    ingestor = services.ingestor
    runtime.tune_collector()
    if not args.once:
        stop = _until_signal()
        for thread in run_pollers(config, services.sessions, ingestor, names, stop):
            while thread.is_alive():
                thread.join(timeout=1.0)
        return 0
    outcomes: list[Outcome] = []
    failed = 0
    for name in names:
        poller = Poller(config, name, services.sessions, ingestor)
        try:
            outcomes += poller.poll_once()
        except MailboxError as exc:  # reported; the other mailboxes are still polled
            failed += 1
            sys.stderr.write(f"helpdesk: {exc}\n")
        finally:
            poller.close()
    emit(summarize(outcomes))
    return 1 if failed else 0


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """The command takes only the common --config."""


def lmtp(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run the LMTP listener alone, until interrupted."""
    from inbox.lmtp import start_lmtp

    config, services = runtime.config, runtime.services
    where = f"{config.lmtp.host or '127.0.0.1'}:{config.lmtp.port}"
    stop = _until_signal()
    try:
        controller = start_lmtp(config, services.sessions, services.ingestor)
    except OSError as exc:
        raise TemporaryFailure(f"cannot listen for LMTP on {where}: {exc.strerror or exc}") from None
    sys.stderr.write(f"helpdesk: LMTP listening on {where}\n")
    try:
        while not stop.wait(1.0):
            pass
    finally:
        controller.stop()
    return 0


def _route_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mailbox", help="the mailbox the messages arrived in")
    parser.add_argument("--json", action="store_true", help="one JSON line per file (the only format)")
    parser.add_argument("--retrain", action="store_true",
                        help="retrain the model on the shipped set and every re-route, then save it")
    parser.add_argument("files", nargs="*", metavar="FILE")


def route(args: argparse.Namespace, runtime: Runtime) -> int:
    """Classify mail files into queues without storing them, or retrain the router."""
    from routing.classify import route_line
    from routing.model import retrain

    config, services = runtime.config, runtime.services
    if args.retrain:
        with services.sessions.begin() as session:
            emit(retrain(session, config, services.parser(), services.clock.now()))
    if not args.files:
        if args.retrain:
            return 0
        raise InputError("route needs --mailbox and FILE..., or --retrain")
    if not args.mailbox:
        raise InputError("route needs --mailbox NAME")
    config.mailbox(args.mailbox)
    router, parse = services.router, services.parser()
    failed = 0
    for mail in read_paths(args.files):
        try:
            emit(route_line(mail.source, router.decide(parse(mask_raw_safely(mail.data)), args.mailbox)))
        except ParseError as exc:
            failed += 1
            emit({"file": mail.source, "error": str(exc)})
    return 1 if failed else 0


COMMANDS = {"route": (_route_arguments, route), "ingest": (_ingest_arguments, ingest),
            "parse": (_parse_arguments, parse),
            "poll": (_poll_arguments, poll), "lmtp": (_no_arguments, lmtp)}
