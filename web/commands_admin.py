"""Commands that set up and inspect the installation: init, stats."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from tickets import clock
from tickets.migrations import upgrade
from tickets.users import add_user, new_password
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


COMMANDS = {"init": (_init_arguments, init), "stats": (_stats_arguments, stats)}
