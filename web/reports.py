"""The managers' SLA report: /reports, and exactly its figures as /reports.csv and /reports.json.

Managers and admins only (they see every queue, `tickets.access.sees_all_queues`); agents get 403.
The page takes `from`, `to` (dates in the shop's timezone), `queue` and `agent` from the query
string; the downloads take the same arguments and export the report the page shows. Charts are
server-side SVG (`sla.reports.charts`), so the page needs no script.
"""
from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, render_template, request
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from sla.policy import NO_CLOCK_QUEUE
from sla.reports import charts
from sla.reports.export import report_json, report_tables_csv
from sla.reports.report import BACKLOG_LABELS, Report, build_report
from tickets.access import sees_all_queues
from tickets.errors import InputError, PermissionDenied
from tickets.models import User
from web.context import config, db, me, now, services
from web.inputs import id_named

bp = Blueprint("reports", __name__)

DEFAULT_WEEKS = 4
STAFF_LIST = 500


@bp.before_request
def managers_only() -> None:
    if not sees_all_queues(me()):
        raise PermissionDenied("the SLA reports are for managers and admins")


def _date(args: MultiDict[str, str], key: str, default: dt.date) -> dt.date:
    text = args.get(key, "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{key} must be a date like 2026-11-02, not {text!r}") from None


def _agent(args: MultiDict[str, str]) -> int | None:
    text = args.get("agent", "").strip()
    return id_named(text, "agent") if text else None


def requested_report(args: MultiDict[str, str]) -> Report:
    """The report the query string asks for; by default the last four weeks up to today."""
    moment = now()
    today = services().calendar.local(moment).date()
    start = _date(args, "from", today - dt.timedelta(days=today.weekday() + 7 * (DEFAULT_WEEKS - 1)))
    end = _date(args, "to", today)
    return build_report(db(), config(), start, end, queue=args.get("queue") or None, agent_id=_agent(args), now=moment)


def _query(report: Report) -> dict[str, str]:
    """The arguments that reproduce `report`: the downloads' links."""
    wanted = {"from": report.start.isoformat(), "to": report.end.isoformat()}
    if report.queue:
        wanted["queue"] = report.queue
    if report.agent_id is not None:
        wanted["agent"] = str(report.agent_id)
    return wanted


def _download(body: str, mimetype: str, report: Report, suffix: str) -> Response:
    name = f"sla-report-{report.start}-to-{report.end}{'-' + report.queue if report.queue else ''}.{suffix}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/reports")
def page() -> tuple[str, int]:
    """The report; arguments it cannot use (a malformed date, a period ending before it starts) are a
    message beside the form, which keeps what was typed so it can be corrected."""
    staff = db().scalars(select(User).where(User.active.is_(True)).order_by(User.name).limit(STAFF_LIST)).all()
    queues = [q for q in config().queues if q != NO_CLOCK_QUEUE]
    try:
        report = requested_report(request.args)
    except InputError as error:
        return render_template("web/reports/index.html", report=None, error=str(error), args=request.args,
                               staff=staff, queues=queues), 400
    return render_template(
        "web/reports/index.html", report=report, query=_query(report), staff=staff, queues=queues,
        age_labels=BACKLOG_LABELS, args={"from": report.start, "to": report.end, "queue": report.queue or "",
                                         "agent": str(report.agent_id or "")},
        charts=[charts.compliance_by_week(report), charts.first_reply_by_queue(report),
                charts.backlog_by_age(report)]), 200


@bp.get("/reports.csv")
def as_csv() -> Response:
    report = requested_report(request.args)
    return _download(report_tables_csv(report), "text/csv", report, "csv")


@bp.get("/reports.json")
def as_json() -> Response:
    report = requested_report(request.args)
    return _download(json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n", "application/json",
                     report, "json")
