"""Commands about deadlines: `helpdesk sla due` (a fixed contract: docs/architecture.md, "Command line")."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sla.due import due_batch, due_for_queue
from tickets.errors import InputError

if TYPE_CHECKING:
    from cli.runtime import Runtime


def _sla_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sla_command", required=True, metavar="SUBCOMMAND")
    due = sub.add_parser("due", help="the reply deadline of a message, or a batch of deadlines")
    due.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    due.add_argument("--queue", help="the queue whose reply target applies")
    due.add_argument("--received", metavar="ISO8601", help="when the message was received")
    due.add_argument("--batch", action="store_true",
                     help='JSON lines {"received", "working_days"} on stdin, one {"due"} line each on stdout')


def sla(args: argparse.Namespace, runtime: Runtime) -> int:
    """Working-day deadlines from the configured calendar."""
    config = runtime.config
    if args.batch:
        for line in due_batch(config, sys.stdin):
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        return 0
    if not args.queue or not args.received:
        raise InputError("sla due needs --queue and --received, or --batch")
    print(due_for_queue(config, args.queue, args.received))
    return 0


COMMANDS = {"sla": (_sla_arguments, sla)}
