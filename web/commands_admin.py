"""Commands that set up and inspect the installation: init, stats."""
from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from tickets import audit, clock
from tickets.migrations import upgrade
from tickets.errors import InputError
from tickets.users import ROLES, add_user, new_password
from tickets.models import Direction, Message, Outbox, Quarantine, Role, Ticket

if TYPE_CHECKING:
    from web.cli import Runtime


def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", metavar="EMAIL", help="also create this first admin user")


def init(args: argparse.Namespace, runtime: Runtime) -> int:
    """Create or upgrade the database schema."""
    upgrade(runtime.engine)
    print(f"database ready: {runtime.engine.url.render_as_string(hide_password=True)}")
    if args.admin:
        password = new_password()
        with runtime.sessions.begin() as session:
            add_user(session, args.admin, Role.ADMIN.value, [], password, clock.now())
        print(f"admin {args.admin.lower()} created; password (shown once): {password}")
    return 0


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON line")


def stats(args: argparse.Namespace, runtime: Runtime) -> int:
    """Counts of tickets, messages, quarantine and outbox."""
    from web.cli import emit

    with runtime.sessions() as session:
        record = {
            "tickets": session.scalar(select(func.count()).select_from(Ticket)),
            "messages": session.scalar(select(func.count()).select_from(Message)
                                       .where(Message.direction == Direction.INBOUND.value)),
            "quarantined": session.scalar(select(func.count()).select_from(Quarantine)
                                          .where(Quarantine.status == "held")),
            "outbox_pending": session.scalar(select(func.count()).select_from(Outbox)
                                             .where(Outbox.status.in_(("pending", "sending")))),
            "outbox_sent": session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent")),
        }
    if args.json:
        emit(record)
    else:
        for key, value in record.items():
            print(f"{key:15} {value}")
    return 0


def _user_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="user_command", required=True, metavar="SUBCOMMAND")
    add = sub.add_parser("add", help="create a staff account; its password is printed once")
    add.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--queues", default="", help="comma-separated queues an agent works (agents see only these)")
    add.add_argument("--name", default="")


def user(args: argparse.Namespace, runtime: Runtime) -> int:
    """Staff accounts."""
    config = runtime.config
    queues = [q.strip() for q in args.queues.split(",") if q.strip()]
    unknown = [q for q in queues if q not in config.queues]
    if unknown:
        raise InputError(f"unknown queue {unknown[0]!r} (configured: {', '.join(sorted(config.queues))})")
    password = new_password()
    with runtime.sessions.begin() as session:
        created = add_user(session, args.email, args.role, queues, password, clock.now(), name=args.name)
        audit.record(session, f"cli:{getpass.getuser()}", "user_created", created.email, address="local",
                     role=created.role, queues=queues)
    print(f"{created.email} ({created.role}) created; password (shown once): {password}")
    return 0


COMMANDS = {"init": (_init_arguments, init), "stats": (_stats_arguments, stats), "user": (_user_arguments, user)}
