"""`helpdesk check`: the config, the database, every mailbox's IMAP server and the SMTP server, tried
with the configured settings before going live; each line says what works or what to change."""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from cli.runtime import emit
from tickets.config import Config
from tickets.errors import HelpdeskError

if TYPE_CHECKING:
    from cli.runtime import Runtime
    from inbox.server_check import Finding


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON line per item: {item, status, detail}")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="how long to wait for each server (default 10)")


def check_config(config: Config) -> Finding:
    from inbox.server_check import Finding
    from services import check_config as check_settings

    try:
        check_settings(config)
    except HelpdeskError as exc:
        return Finding("config", "fail", str(exc))
    return Finding("config", "ok", f"{config.source}: every setting valid")


def check_database(config: Config) -> Finding:
    """Connect and compare the schema with the code's; a SQLite file not yet created is no error
    (the first command creates it), and nothing is created here."""
    from inbox.server_check import Finding
    from tickets.db import check_connection, check_url, make_engine
    from tickets.migrations import database_revision, head_revision

    try:
        url = check_url(config.database.url)
        shown = url.render_as_string(hide_password=True)
        if url.drivername == "sqlite" and url.database and not Path(url.database).exists():
            return Finding("database", "ok", f"{shown}: no database yet; the first helpdesk command creates it")
        engine = make_engine(config.database.url)
    except HelpdeskError as exc:
        return Finding("database", "fail", str(exc))
    try:
        check_connection(engine)
        have, want = database_revision(engine), head_revision()
    except HelpdeskError as exc:
        return Finding("database", "fail", str(exc))
    finally:
        engine.dispose()
    if have != want:
        state = "has no schema" if have is None else f"has schema {have}, this version needs {want}"
        return Finding("database", "fail", f"{shown} {state}: run `helpdesk init`")
    return Finding("database", "ok", f"{shown}: reachable, schema {have} is current")


def check(args: argparse.Namespace, runtime: Runtime) -> int:
    """Try every configured part; exit 1 when any failed."""
    from inbox.imap import imap_mailboxes
    from inbox.server_check import Finding, check_imap, check_smtp

    config = runtime.config
    findings = [check_config(config), check_database(config)]
    mailboxes = imap_mailboxes(config)
    findings += [check_imap(name, config.mailbox(name), args.timeout) for name in mailboxes]
    if not mailboxes:
        findings.append(Finding("imap", "skip", "no mailbox has imap_host: mail arrives by LMTP or files alone"))
    findings.append(check_smtp(config.smtp, args.timeout))
    for finding in findings:
        if args.json:
            emit(dataclasses.asdict(finding))
        else:
            print(f"{finding.status:4}  {finding.item:18} {finding.detail}")
    return 1 if any(f.status == "fail" for f in findings) else 0


COMMANDS = {"check": (_arguments, check)}
