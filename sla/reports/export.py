"""The report as JSON, CSV and aligned text: one shape for the command line, the page's downloads
and the digest (the README's command table: `helpdesk report sla --format table|json|csv`).

The JSON has `from`, `to`, `queues` (one object per queue), `agents`, `backlog`, `weeks`,
`breaches` and `total`; the CSV (`report_csv`, the command line's) has one row per queue with the
queue objects' fields as columns; the console's CSV download (`report_tables_csv`) holds every table
of the page, one after another.
Hours are business hours, rounded to 0.01; percentages to 0.1.
"""
from __future__ import annotations

import csv
import io
from typing import Any
from zoneinfo import ZoneInfo

from sla.reports.report import BACKLOG_LABELS, AgentLine, Breach, Figures, Report, Times

BACKLOG_KEYS = ("under_1", "from_1_to_2", "from_2_to_5", "over_5")


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _times(prefix: str, times: Times, count_name: str) -> dict[str, Any]:
    return {f"{prefix}_hours_median": _hours(times.median), f"{prefix}_hours_p90": _hours(times.p90),
            count_name: times.count}


def figures_fields(figures: Figures) -> dict[str, Any]:
    """The scalar fields of one queue's, agent's or the total's figures, in column order."""
    return {
        "received": figures.received, "replied_on_time": figures.replied_on_time,
        "replied_late": figures.replied_late, "awaiting_reply": figures.awaiting_reply,
        "breached_open": figures.breached_open,
        **_times("first_reply", figures.first_reply, "first_replies"),
        "reply_on_time_percent": _percent(figures.reply_on_time_percent),
        **_times("resolution", figures.resolution, "resolved"),
        "triage_on_time": figures.triage_on_time, "triage_late": figures.triage_late,
        "resolution_on_time": figures.resolution_on_time, "resolution_late": figures.resolution_late,
        "refunds_early": figures.refunds_early, "refunds_at_risk": figures.refunds_at_risk,
        "refunds_late": figures.refunds_late, "refunds_open": figures.refunds_open,
    }


def queue_rows(report: Report) -> list[dict[str, Any]]:
    return [{"queue": line.queue, "title": line.title, **figures_fields(line.figures)} for line in report.queues]


def _agent(line: AgentLine) -> dict[str, Any]:
    return {"agent_id": line.agent_id, "agent": line.name, **figures_fields(line.figures)}


def _breach(breach: Breach) -> dict[str, Any]:
    return {"reference": breach.reference, "ticket_id": breach.ticket_id, "url": f"/tickets/{breach.reference}",
            "queue": breach.queue, "clock": breach.clock, "due_at": breach.due_at.isoformat(),
            "stopped_at": breach.stopped_at.isoformat() if breach.stopped_at else None, "open": breach.open,
            "late_hours": _hours(breach.late_hours)}


def report_json(report: Report) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready values."""
    return {
        "from": report.start.isoformat(), "to": report.end.isoformat(), "queue": report.queue,
        "agent_id": report.agent_id, "timezone": report.timezone, "generated_at": report.generated_at.isoformat(),
        "refund_window_working_days": [report.refund_warn_days, report.refund_breach_days],
        "queues": queue_rows(report),
        "agents": [_agent(line) for line in report.agents],
        "total": figures_fields(report.total),
        "backlog": {"unit": "working days since receipt", "buckets": list(BACKLOG_LABELS),
                    "queues": [{"queue": line.queue, **dict(zip(BACKLOG_KEYS, line.counts)), "open": line.total}
                               for line in report.backlog]},
        "weeks": [{"week": week.monday.isoformat(), "replied_on_time": week.on_time, "replied_late": week.late,
                   "on_time_percent": _percent(week.percent)} for week in report.weeks],
        "breach_count": report.breach_count,
        "breaches": [_breach(breach) for breach in report.breaches],
    }


def _write_rows(out: io.StringIO, rows: list[dict[str, Any]]) -> None:
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["queue"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def report_csv(report: Report) -> str:
    """One row per queue; the columns are the queue objects' fields of the JSON."""
    out = io.StringIO()
    _write_rows(out, queue_rows(report))
    return out.getvalue()


def report_tables_csv(report: Report) -> str:
    """Every table the report page shows: first the per-queue table exactly as `report_csv` has it,
    then, each after an empty line and a line with its title, the total, the agents, the backlog,
    the weeks of the compliance chart and the breaches, each with its own header (the JSON's fields)."""
    data = report_json(report)
    out = io.StringIO()
    _write_rows(out, data["queues"])
    sections = (("Total", [data["total"]]), ("By agent", data["agents"]),
                ("Backlog now: open tickets by working days since receipt", data["backlog"]["queues"]),
                ("Replies on time by week", data["weeks"]),
                (f"Breaches: {data['breach_count']} (the worst {len(data['breaches'])})", data["breaches"]))
    for title, rows in sections:
        out.write("\r\n")
        csv.writer(out, lineterminator="\r\n").writerow([title])
        if rows:
            _write_rows(out, rows)
        else:
            out.write("none\r\n")
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def aligned(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Text columns: the first left-aligned, the others right-aligned."""
    cells = [headers] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
            for row in cells]


_COLUMNS = ["received", "on time", "late", "on time %", "awaiting", "past due", "1st reply h", "p90",
            "resolution h", "p90"]


def _figure_cells(figures: Figures) -> list[Any]:
    return [figures.received, figures.replied_on_time, figures.replied_late,
            _percent(figures.reply_on_time_percent), figures.awaiting_reply, figures.breached_open,
            _hours(figures.first_reply.median), _hours(figures.first_reply.p90),
            _hours(figures.resolution.median), _hours(figures.resolution.p90)]


def report_table(report: Report) -> str:
    """The report as aligned text for a terminal."""
    warn, breach = (f"{d:g}" for d in (report.refund_warn_days, report.refund_breach_days))
    zone = ZoneInfo(report.timezone)
    lines = [f"SLA report {report.start} to {report.end} ({report.timezone}); times in business hours;"
             f" awaiting, past due and backlog as of {report.generated_at:%Y-%m-%d %H:%M} UTC", ""]
    rows = [[line.queue, *_figure_cells(line.figures)] for line in report.queues]
    lines += aligned(["queue", *_COLUMNS], rows + [["total", *_figure_cells(report.total)]]) + [""]
    lines += aligned(["agent", *_COLUMNS], [[line.name, *_figure_cells(line.figures)] for line in report.agents])
    lines += ["", "Complaints and refunds"]
    lines += aligned(["queue", "triage on time", "late", "resolved on time", "late", f"refunds <= {warn} wd",
                       f"<= {breach} wd", "later", "open"],
                      [[line.queue, f.triage_on_time, f.triage_late, f.resolution_on_time, f.resolution_late,
                        f.refunds_early, f.refunds_at_risk, f.refunds_late, f.refunds_open]
                       for line in report.queues for f in [line.figures]])
    lines += ["", "Backlog: open tickets by working days since receipt"]
    lines += aligned(["queue", *BACKLOG_LABELS, "open"],
                      [[line.queue, *line.counts, line.total] for line in report.backlog])
    lines += ["", f"Breaches: {report.breach_count} (the worst {len(report.breaches)})"]
    lines += aligned(["ticket", "queue", "clock", "due", "late h", "state"],
                      [[b.reference, b.queue, b.clock, f"{b.due_at.astimezone(zone):%Y-%m-%d %H:%M}",
                        _hours(b.late_hours), "open" if b.open else "stopped"] for b in report.breaches])
    return "\n".join(lines) + "\n"
