"""Commands that set up and inspect the installation: init, user, stats."""
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
            add_user(session, services.passwords, args.admin, Role.ADMIN.value, [], password, services.clock.now())
        print(f"admin {args.admin.lower()} created; password (shown once): {password}")
    return 0


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON line")


def stats(args: argparse.Namespace, runtime: Runtime) -> int:
    """Counts of tickets, messages, quarantine and outbox: one statement on a bare engine, over the
    tables (not the ORM classes, whose mapping need not be configured to count rows). `messages` is
    the inbound count, as it always was; `messages_inbound` and `messages_outbound` count each
    direction apart (outbound: replies and acknowledgements on tickets' threads)."""
    from tickets.models import Direction, Message, Outbox, Quarantine, Ticket

    tickets, messages, quarantine, outbox = (Ticket.__table__, Message.__table__, Quarantine.__table__,
                                             Outbox.__table__)

    def count(table: Table, *where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    inbound = count(messages, messages.c.direction == Direction.INBOUND.value)
    statement = select(
        count(tickets).label("tickets"),
        inbound.label("messages"),
        count(quarantine, quarantine.c.status == "held").label("quarantined"),
        count(outbox, outbox.c.status.in_(("pending", "sending"))).label("outbox_pending"),
        count(outbox, outbox.c.status == "sent").label("outbox_sent"),
        inbound.label("messages_inbound"),
        count(messages, messages.c.direction == Direction.OUTBOUND.value).label("messages_outbound"),
        count(outbox, outbox.c.status == "failed").label("outbox_failed"))
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
    listing = sub.add_parser("list", help="every staff account: email, role, queues, whether it may sign in")
    listing.add_argument("--json", action="store_true", help="one JSON line per account")
    passwd = sub.add_parser("passwd", help="give an account a new password, printed once (a locked-out admin too)")
    passwd.add_argument("email")
    deactivate = sub.add_parser("deactivate", help="the account may no longer sign in (its history stays)")
    deactivate.add_argument("email")
    for command in (listing, passwd, deactivate):
        command.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def user(args: argparse.Namespace, runtime: Runtime) -> int:
    """Staff accounts: add, list, passwd, deactivate."""
    commands = {"add": user_add, "list": user_list, "passwd": user_passwd, "deactivate": user_deactivate}
    return commands[args.user_command](args, runtime)


def _operator() -> str:
    return f"cli:{getpass.getuser()}"


def user_add(args: argparse.Namespace, runtime: Runtime) -> int:
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
        created = add_user(session, services.passwords, args.email, args.role, queues, password, now, name=args.name)
        audit.record(session, _operator(), "user_created", created.email, address="local", at=now,
                     role=created.role, queues=queues)
    print(f"{created.email} ({created.role}) created; password (shown once): {password}")
    return 0


def user_list(args: argparse.Namespace, runtime: Runtime) -> int:
    from tickets.models import User

    with runtime.services.readonly() as session:
        users = session.scalars(select(User).order_by(User.email)).all()
    for account in users:
        record = {"email": account.email, "name": account.name, "role": account.role, "queues": account.queue_list,
                  "active": account.active}
        if args.json:
            emit(record)
        else:
            state = "active" if account.active else "inactive"
            print(f"{account.email:40} {account.role:8} {state:9} {','.join(account.queue_list) or '-'}")
    return 0


def user_passwd(args: argparse.Namespace, runtime: Runtime) -> int:
    """A new password, shown once; the old one stops working, and every console session of the
    account ends, at once."""
    from tickets import audit
    from tickets.users import new_password, set_password, user_by_email

    password, services = new_password(), runtime.services
    with services.sessions.begin() as session:
        account = user_by_email(session, args.email)
        set_password(session, services.passwords, account, password)
        audit.record(session, _operator(), "password_reset", account.email, address="local", at=services.clock.now())
    print(f"{account.email}: new password (shown once): {password}")
    return 0


def user_deactivate(args: argparse.Namespace, runtime: Runtime) -> int:
    """The account may no longer sign in; refused for the last active admin."""
    from tickets import audit
    from tickets.audit import ROLE_CHANGE
    from tickets.users import deactivate, user_by_email

    services = runtime.services
    with services.sessions.begin() as session:
        account = user_by_email(session, args.email)
        before = {"role": account.role, "queues": account.queue_list, "active": account.active}
        deactivate(session, account)
        audit.record(session, _operator(), ROLE_CHANGE, account.email, address="local", at=services.clock.now(),
                     before=before, after={**before, "active": False})
    print(f"{account.email} deactivated: it can no longer sign in")
    return 0


COMMANDS = {"init": (_init_arguments, init), "stats": (_stats_arguments, stats), "user": (_user_arguments, user)}
