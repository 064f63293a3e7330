"""`helpdesk suggestions rebuild`: fit the suggested answers' index of solved tickets now.

The scheduler does it every `[routing] suggestions_rebuild_minutes` and when it starts; this is for
right after an import or a bulk change. Prints one JSON line: `{"queues", "tickets"}` indexed.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.runtime import emit

if TYPE_CHECKING:
    from cli.runtime import Runtime


def _arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="suggestions_command", required=True, metavar="ACTION")
    again = sub.add_parser("rebuild", help="fit the index of solved tickets and the replies that solved them")
    again.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def suggestions(args: argparse.Namespace, runtime: Runtime) -> int:
    """Suggested answers: rebuild their index."""
    from services.scheduler import rebuild_suggestions

    emit(rebuild_suggestions(runtime.services))
    return 0


COMMANDS = {"suggestions": (_arguments, suggestions)}
