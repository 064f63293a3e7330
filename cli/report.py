"""`helpdesk report sla --from DATE --to DATE [--queue Q] [--format table|json|csv]` ,
and `helpdesk report rebuild`.

The same report as the console's /reports page and its downloads (`sla.reports.export`): JSON with
`from`, `to`, `queues`, `agents` and `backlog`; CSV with one row per queue; or aligned text.
`rebuild` derives the stored figures the report adds up again (`sla.reports.figures`), with the
config's calendar; the scheduler does it by itself when the calendar changed.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

from sqlalchemy import select

from cli.runtime import emit
from sla.reports.export import report_csv, report_json, report_table
from sla.reports.figures import rebuild
from sla.reports.figures_job import vacuum_figures
from sla.reports.report import build_report
from tickets.errors import InputError
from tickets.models import User

if TYPE_CHECKING:
    from cli.runtime import Runtime

FORMATS = ("table", "json", "csv")


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="report_command", required=True, metavar="REPORT")
    sla = sub.add_parser("sla", help="SLA compliance by queue and agent over a period")
    sla.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sla.add_argument("--from", dest="start", required=True, metavar="DATE",
                     help="first day of the period (YYYY-MM-DD, the calendar's timezone)")
    sla.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day of the period, included")
    sla.add_argument("--queue", help="only this queue")
    sla.add_argument("--agent", metavar="EMAIL", help="only the tickets assigned to this user")
    sla.add_argument("--format", choices=FORMATS, default="table", help="table (default), json or csv")
    again = sub.add_parser("rebuild", help="derive the stored report figures again (after a calendar change)")
    again.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} must be a date like 2026-11-02, not {text!r}") from None


def report(args: argparse.Namespace, runtime: Runtime) -> int:
    """SLA reports for managers (report sla, report rebuild)."""
    if args.report_command == "rebuild":
        return _rebuild(runtime)
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    with runtime.services.readonly() as session:
        agent_id = None
        if args.agent:
            agent_id = session.scalar(select(User.id).where(User.email == args.agent.strip().lower()))
            if agent_id is None:
                raise InputError(f"no user with email {args.agent!r}")
        result = build_report(session, runtime.config, start, end, queue=args.queue, agent_id=agent_id,
                              now=runtime.services.clock.now())
    if args.format == "json":
        sys.stdout.write(json.dumps(report_json(result), ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(report_csv(result))
    else:
        sys.stdout.write(report_table(result))
    return 0


def _rebuild(runtime: Runtime) -> int:
    """One JSON line: how many tickets, stopped clocks and UTC days the stored figures now hold."""
    services = runtime.services
    with services.sessions.begin() as session:
        rebuilt = rebuild(session, services.config, services.clock.now())
    vacuum_figures(services.engine)
    emit(dataclasses.asdict(rebuilt))
    return 0


COMMANDS = {"report": (_report_arguments, report)}
