"""Commands that set up and inspect the installation: init, stats."""
from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ScalarSelect, Table, func, select

from cli.runtime import emit
from tickets.errors import InputError

if TYPE_CHECKING:
    from cli.runtime import Runtime


def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", metavar="EMAIL", help="also create this first admin user")


def init(args: argparse.Namespace, runtime: Runtime) -> int:
    """Create or upgrade the database schema."""
    from tickets.migrations import upgrade
    from tickets.models import Role
    from tickets.users import add_user, new_password

    services = runtime.services
    upgrade(services.engine)
    print(f"database ready: {services.engine.url.render_as_string(hide_password=True)}")
    if args.admin:
        password = new_password()
        with services.sessions.begin() as session:
            add_user(session, args.admin, Role.ADMIN.value, [], password, services.clock.now())
        print(f"admin {args.admin.lower()} created; password (shown once): {password}")
    return 0


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON line")


def stats(args: argparse.Namespace, runtime: Runtime) -> int:
    """Counts of tickets, messages, quarantine and outbox: one statement on a bare engine, over the
    tables (not the ORM classes, whose mapping need not be configured to count rows)."""
    from tickets.models import Direction, Message, Outbox, Quarantine, Ticket

    tickets, messages, quarantine, outbox = (Ticket.__table__, Message.__table__, Quarantine.__table__,
                                             Outbox.__table__)

    def count(table: Table, *where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    statement = select(
        count(tickets).label("tickets"),
        count(messages, messages.c.direction == Direction.INBOUND.value).label("messages"),
        count(quarantine, quarantine.c.status == "held").label("quarantined"),
        count(outbox, outbox.c.status.in_(("pending", "sending"))).label("outbox_pending"),
        count(outbox, outbox.c.status == "sent").label("outbox_sent"))
    with runtime.engine.connect() as connection:
        record = dict(connection.execute(statement).one()._mapping)
    if args.json:
        emit(record)
    else:
        for key, value in record.items():
            print(f"{key:15} {value}")
    return 0


def _user_arguments(parser: argparse.ArgumentParser) -> None:
    from tickets.users import ROLES

    sub = parser.add_subparsers(dest="user_command", required=True, metavar="SUBCOMMAND")
    add = sub.add_parser("add", help="create a staff account; its password is printed once")
    add.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--queues", default="", help="comma-separated queues an agent works (agents see only these)")
    add.add_argument("--name", default="")


def user(args: argparse.Namespace, runtime: Runtime) -> int:
    """Staff accounts."""
    from tickets import audit
    from tickets.users import add_user, new_password
    config = runtime.config
    queues = [q.strip() for q in args.queues.split(",") if q.strip()]
    unknown = [q for q in queues if q not in config.queues]
    if unknown:
        raise InputError(f"unknown queue {unknown[0]!r} (configured: {', '.join(sorted(config.queues))})")
    password = new_password()
    services = runtime.services
    with services.sessions.begin() as session:
        now = services.clock.now()
        created = add_user(session, args.email, args.role, queues, password, now, name=args.name)
        audit.record(session, f"cli:{getpass.getuser()}", "user_created", created.email, address="local", at=now,
                     role=created.role, queues=queues)
    print(f"{created.email} ({created.role}) created; password (shown once): {password}")
    return 0


COMMANDS = {"init": (_init_arguments, init), "stats": (_stats_arguments, stats), "user": (_user_arguments, user)}
