"""Commands for the privacy promises (docs/policies.md): privacy, retention, audit, keys.

`privacy export EMAIL --out FILE`, `privacy erase EMAIL [--force] [--request REFERENCE]` and
`privacy correct EMAIL [--name] [--address] [--new-email]` serve a data subject's rights;
`retention run [--dry-run]` anonymises what is past the retention period; `audit [--since DATE]
[--json]` prints the audit log; `keys generate` prints a new key and `keys rotate` re-seals
everything with the newest one. Each change is audited as the operating system user who ran it,
from "local"; after an erasure the database is scrubbed of the old bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from cli.runtime import emit
from tickets import audit, crypto, keys, retention, subject_rights
from tickets.errors import InputError, NotFound
from tickets.models import Ticket

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cli.runtime import Runtime
    from tickets.config import Config

ORIGIN = "local"


def operator() -> str:
    """Who runs this command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _subcommand(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text)
    parser.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _privacy_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="privacy_command", required=True, metavar="SUBCOMMAND")
    export = _subcommand(sub, "export", "a ZIP of everything about an email address (JSON and .eml files)")
    export.add_argument("email")
    export.add_argument("--out", required=True, metavar="FILE", help="the ZIP file to write")
    erase = _subcommand(sub, "erase", "erase everything about an email address")
    erase.add_argument("email")
    erase.add_argument("--force", action="store_true", help="erase even while the customer has open tickets")
    erase.add_argument("--request", metavar="REFERENCE",
                       help="the ticket the erasure was asked on: it does not block the erasure")
    correct = _subcommand(sub, "correct", "correct a customer's name, postal address or contact email")
    correct.add_argument("email")
    correct.add_argument("--name", help="the corrected name")
    correct.add_argument("--address", help="the corrected postal address")
    correct.add_argument("--new-email", metavar="ADDRESS",
                         help="the corrected contact email (mail from the old one is still theirs)")


def privacy(args: argparse.Namespace, runtime: Runtime) -> int:
    """Data subject rights: export, erase or correct what we hold about an email address."""
    if args.privacy_command == "correct" and args.name is None and args.address is None and args.new_email is None:
        raise InputError("privacy correct needs --name, --address and/or --new-email")
    services = runtime.services
    store, now = services.store, services.clock.now()
    with services.sessions.begin() as session:
        if args.privacy_command == "export":
            result: dict[str, object] = {**subject_rights.export(session, store, args.email, Path(args.out), operator(),
                                                                 ORIGIN, now), "out": args.out}
        elif args.privacy_command == "erase":
            request = ticket_named(session, services.config, args.request) if args.request else None
            result = subject_rights.erase(session, store, args.email, operator(), ORIGIN, now, force=args.force,
                                          config=services.config, request=request)
        else:
            customer = subject_rights.find_customer(session, args.email)
            result = {"changed": subject_rights.correct(session, customer, operator(), now, name=args.name,
                                                        address=args.address, origin=ORIGIN, email=args.new_email)}
    if args.privacy_command == "erase":
        retention.scrub(services.engine)
    emit(result)
    return 0


def ticket_named(session: Session, config: Config, reference: str) -> Ticket:
    """The ticket named 'HD-12', '#hd-12' or '12', or NotFound."""
    wanted = reference.strip().lstrip("#").upper()
    wanted = f"{config.tickets.reference_prefix}-{wanted}" if wanted.isdigit() else wanted
    ticket = session.scalar(select(Ticket).where(Ticket.reference == wanted))
    if ticket is None:
        raise NotFound(f"no ticket {wanted}")
    return ticket


def _retention_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="retention_command", required=True, metavar="SUBCOMMAND")
    run = _subcommand(sub, "run", "anonymise every ticket past the retention period, whatever its status")
    run.add_argument("--dry-run", action="store_true", help="only count and list what would be anonymised")


def retention_run(args: argparse.Namespace, runtime: Runtime) -> int:
    """Anonymise every ticket past privacy.retention_days (default 60), whatever its status."""
    services = runtime.services
    with services.sessions.begin() as session:
        result = retention.run(session, services.config, services.clock.now(), dry_run=args.dry_run,
                               actor=operator(), address=ORIGIN)
    if not args.dry_run:
        retention.scrub(services.engine)
    emit(result)
    return 0


def parse_since(text: str) -> dt.datetime:
    """An ISO date or date-time; without an offset it is read as UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--since {text!r} is not an ISO 8601 date or date-time (e.g. 2026-11-01)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only events at or after this ISO date or date-time")
    parser.add_argument("--json", action="store_true", help="one JSON line per event")


def audit_log(args: argparse.Namespace, runtime: Runtime) -> int:
    """The audit log: sign-ins, views, exports, erasures, retention runs, oldest first."""
    since = parse_since(args.since) if args.since else None
    with runtime.services.readonly() as session:
        for event in audit.events(session, since):
            record = audit.as_record(event)
            if args.json:
                emit(record)
            else:
                detail = json.dumps(record["detail"], ensure_ascii=False, sort_keys=True)
                print(f"{record['at']}  {event.actor or '-'}  {event.action}  {event.target or '-'}  "
                      f"{event.address or '-'}  {detail}")
    return 0


def _keys_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="SUBCOMMAND")
    _subcommand(sub, "generate", "print a new encryption key")
    _subcommand(sub, "rotate", "re-encrypt every field and file with the newest key")


def keys_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Encryption keys: generate a new one, or re-encrypt everything with the newest."""
    if args.keys_command == "generate":
        print(crypto.generate_key())
        return 0
    services = runtime.services
    with services.sessions.begin() as session:
        counts = keys.rotate(session, services.store, operator(), services.clock.now(), ORIGIN)
    retention.scrub(services.engine)
    ring = services.keyring
    emit({**counts, "keys": len(ring.keys), "source": ring.source})
    return 0


COMMANDS = {
    "privacy": (_privacy_arguments, privacy),
    "retention": (_retention_arguments, retention_run),
    "audit": (_audit_arguments, audit_log),
    "keys": (_keys_arguments, keys_command),
}
