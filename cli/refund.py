"""`helpdesk refund paid REFERENCE`: the refund of a return reached the customer (Customer Service
Policy section 4). Its refund clock stops, met or late, and the audit log records the operating
system user who ran it, from "local". One JSON line: `{"ticket","refund","paid_at","due_at"}`."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.privacy import ORIGIN, operator, ticket_named
from cli.runtime import emit
from tickets import refunds

if TYPE_CHECKING:
    from cli.runtime import Runtime


def _refund_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="refund_command", required=True, metavar="SUBCOMMAND")
    paid = sub.add_parser("paid", help="the refund was paid: stop the ticket's refund clock",
                          description="the refund was paid: stop the ticket's refund clock")
    paid.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    paid.add_argument("reference", help="the ticket, e.g. HD-42")


def refund(args: argparse.Namespace, runtime: Runtime) -> int:
    """Mark a ticket's refund paid."""
    services = runtime.services
    with services.sessions.begin() as session:
        ticket = ticket_named(session, services.config, args.reference)
        session.refresh(ticket, with_for_update=True)
        clock = refunds.mark_paid(session, ticket, None, operator(), ORIGIN, services.clock.now())
        result = {"ticket": ticket.reference, "refund": clock.state, "paid_at": clock.stopped_at,
                  "due_at": clock.due_at}
    emit(result)
    return 0


COMMANDS = {"refund": (_refund_arguments, refund)}
