"""The `helpdesk` command: the one place that wires every package (DESIGN section 8).

Each subcommand is a small function taking the parsed arguments and a `Runtime`. Errors a user can
fix (bad config, bad input, an unreachable server) end with one line on stderr and exit 1.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from functools import cached_property
from typing import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sla import clocks
from tickets import config as config_module
from tickets import crypto
from tickets.config import Config
from tickets.db import check_connection, make_engine, session_factory
from tickets.errors import HelpdeskError
from tickets.migrations import upgrade

Command = Callable[[argparse.Namespace, "Runtime"], int]


class Runtime:
    """The config, engine and sessions of one command run, built on first use."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        return config_module.load(self.config_path)

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.config.database.url)
        check_connection(engine)
        if engine.dialect.name == "sqlite":  # the embedded default needs no separate `init`
            upgrade(engine)
        return engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions whose ticket events reach the SLA clocks of this config, with its encryption keys."""
        crypto.use(self.config)
        clocks.install(self.config)
        return session_factory(self.engine)


def emit(record: object) -> None:
    """One JSON line on stdout."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _registry() -> dict[str, tuple[Callable[[argparse._SubParsersAction], None], Command]]:  # type: ignore[type-arg]
    from web import commands_admin, commands_mail, commands_privacy, commands_report, commands_run, commands_sla

    table: dict[str, tuple[Callable[[argparse._SubParsersAction], None], Command]] = {}  # type: ignore[type-arg]
    for module in (commands_admin, commands_mail, commands_privacy, commands_report, commands_run, commands_sla):
        table.update(module.COMMANDS)
    return table


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help="config file (default: $HELPDESK_CONFIG, else ./config.toml, else defaults)")
    parser = argparse.ArgumentParser(prog="helpdesk", description="Customer-support ticketing and email triage.",
                                     parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    handlers: dict[str, Command] = {}
    for name, (add_arguments, handler) in _registry().items():
        add_arguments(sub.add_parser(name, parents=[common], help=(handler.__doc__ or "").splitlines()[0]))
        handlers[name] = handler
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    runtime = Runtime(getattr(args, "config", None))
    try:
        return handlers[args.command](args, runtime)
    except HelpdeskError as exc:
        sys.stderr.write(f"helpdesk: {exc}\n")
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        sys.stderr.write(f"helpdesk: database error: {reason}\n")
    except KeyboardInterrupt:
        sys.stderr.write("helpdesk: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
