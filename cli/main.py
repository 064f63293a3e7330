"""The `helpdesk` command (docs/architecture.md, "Command line"; the names, flags and outputs are a
fixed contract that other tools depend on).

`COMMANDS` names each command, the module that implements it and its one-line help. Only the
module of the command being run is imported (Mailman's `Subcommands._load`), so `helpdesk --help`
loads neither the database layer, nor Flask, nor scikit-learn, and `helpdesk sla due` loads the
calendar alone. Errors a user can fix (bad config, bad input, an unreachable server) end with one
line on stderr and exit 1.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from cli.runtime import Runtime
from tickets.clock import Clock
from tickets.config import LOG_LEVELS
from tickets.errors import HelpdeskError

Command = Callable[[argparse.Namespace, Runtime], int]
Arguments = Callable[[argparse.ArgumentParser], None]

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("cli.run", "everything embedded: IMAP server with sample mail, SMTP sink, pollers, scheduler, console"),
    "run": ("cli.run", "production: pollers, LMTP listener if configured, outbox sender, scheduler, console"),
    "init": ("cli.admin", "create or upgrade the database schema"),
    "check": ("cli.check", "try the database, every mailbox's IMAP server and the SMTP server; say what to change"),
    "user": ("cli.admin", "staff accounts"),
    "stats": ("cli.admin", "counts of tickets, messages, quarantine and outbox"),
    "poll": ("cli.mail", "poll the IMAP mailboxes (until interrupted, or once with --once)"),
    "lmtp": ("cli.mail", "run the LMTP listener alone, until interrupted"),
    "ingest": ("cli.mail", "import .eml files, Maildir folders or mbox files as if they arrived in a mailbox"),
    "parse": ("cli.mail", "parse mail files without storing them"),
    "route": ("cli.mail", "classify mail files into queues without storing them, or retrain the router"),
    "sla": ("cli.sla", "working-day deadlines from the configured calendar"),
    "report": ("cli.report", "SLA reports for managers (report sla, report rebuild)"),
    "refund": ("cli.refund", "mark a return's refund paid, stopping its refund clock (refund paid HD-42)"),
    "privacy": ("cli.privacy", "data subject rights: export, erase or correct what we hold about an email address"),
    "retention": ("cli.privacy", "anonymise every ticket past privacy.retention_days (60), whatever its status"),
    "audit": ("cli.privacy", "the audit log: sign-ins, views, exports, erasures, retention runs, oldest first"),
    "suggestions": ("cli.suggestions", "suggested answers: rebuild the index of solved tickets and their replies"),
    "keys": ("cli.privacy", "encryption keys: generate a new one, or re-encrypt everything with the newest"),
}


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named in `argv`, skipping `--config PATH` and `--log-level LEVEL` wherever they stand."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in ("--config", "--log-level"):
            skip = True
        elif token in COMMANDS:
            return token
        elif not token.startswith("-"):
            return None
    return None


def build_parser(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, Command | None]:
    """The parser, with the arguments of the chosen command only; and that command's handler."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS,
                        help="config file (default: $HELPDESK_CONFIG, else ./config.toml, else defaults)")
    common.add_argument("--log-level", default=argparse.SUPPRESS, type=str.upper, choices=LOG_LEVELS,
                        help="log this level and above to stderr (default: [logging] level, INFO)")
    parser = argparse.ArgumentParser(prog="helpdesk", description="Customer-support ticketing and email triage.",
                                     parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen, handler = chosen_command(argv), None
    for name, (module, text) in COMMANDS.items():
        command_parser = sub.add_parser(name, parents=[common], help=text, description=text)
        if name == chosen:
            add_arguments, handler = importlib.import_module(module).COMMANDS[name]
            add_arguments(command_parser)
    return parser, handler


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run one command; `clock` lets a test run it at a moment of its choosing."""
    owns_process = argv is None  # the console script, not a test calling main() in its own process
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, handler = build_parser(argv)
    args = parser.parse_args(argv)
    assert handler is not None  # argparse refused a missing or unknown command already
    runtime = Runtime(getattr(args, "config", None), clock, owns_process)
    try:
        runtime.configure_logging(getattr(args, "log_level", None))
        return handler(args, runtime)
    except HelpdeskError as exc:
        sys.stderr.write(f"helpdesk: {exc}\n")
    except KeyboardInterrupt:
        sys.stderr.write("helpdesk: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        reason = database_error(exc)
        if reason is None:
            raise
        sys.stderr.write(f"helpdesk: database error: {reason}\n")
    finally:
        runtime.close()
    return 1


def database_error(exc: Exception) -> str | None:
    """The first line of a database's refusal, or None when `exc` is something else (a bug); a
    missing table means the schema was never created. The check imports nothing: if SQLAlchemy was
    never loaded, this cannot be one of its errors."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, (errors.OperationalError, errors.ProgrammingError)):
        return None
    line = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
    if "does not exist" in line or "no such table" in line:
        return f"{line} (no schema yet? run `helpdesk init`)"
    return line if isinstance(exc, errors.OperationalError) else None


if __name__ == "__main__":
    sys.exit(main())
