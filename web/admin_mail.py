"""Admin pages for mail that did not go through: the quarantine and the outbox.

Both are routes of the admin blueprint (`web.admin`), behind its admins-only gate. A quarantined
message is retried by running ingestion again on its stored raw bytes inside a savepoint: when
it stores, the row is marked 'retried'; when it fails again, the savepoint (and the second
quarantine row ingestion wrote) is rolled back and the row stays 'held' with the new error.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from inbox.ingest import RawMail
from tickets import operations
from tickets.errors import Conflict, InputError, NotFound
from tickets.models import Outbox, Quarantine, Ticket
from web import audit
from web.admin import bp
from web.context import db, me, now, services
from web.inputs import row_id

PAGE = 50
QUARANTINE_STATUSES = ("held", "retried", "dismissed")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")
PREVIEW_BYTES = 64 * 1024


def _status(allowed: tuple[str, ...]) -> str:
    status = request.args.get("status", allowed[0])
    if status not in allowed:
        raise InputError(f"unknown status {status!r}")
    return status


@bp.get("/quarantine")
def quarantine() -> str:
    status, before = _status(QUARANTINE_STATUSES), request.args.get("before", type=row_id)
    query = select(Quarantine).where(Quarantine.status == status).order_by(Quarantine.id.desc()).limit(PAGE + 1)
    rows = list(db().scalars(query.where(Quarantine.id < before) if before else query))
    return render_template("web/admin/quarantine.html", rows=rows[:PAGE], status=status, statuses=QUARANTINE_STATUSES,
                           next_before=rows[PAGE - 1].id if len(rows) > PAGE else None)


def _held(row_id: int) -> Quarantine:
    row = db().get(Quarantine, row_id)
    if row is None:
        raise NotFound(f"no quarantined message {row_id}")
    return row


@bp.get("/quarantine/<int:row_id>")
def quarantined(row_id: int) -> str:
    """One quarantined message: its error, and the start of its raw bytes (audited: it is mail)."""
    row = _held(row_id)
    audit.record_view(f"quarantine:{row.id}")
    preview = row.raw[:PREVIEW_BYTES].decode("utf-8", errors="replace")
    return render_template("web/admin/quarantined.html", row=row, preview=preview, size=len(row.raw),
                           truncated=len(row.raw) > PREVIEW_BYTES)


@bp.post("/quarantine/<int:row_id>/retry")
def retry_quarantined(row_id: int) -> Response:
    row = _held(row_id)
    if row.status != "held":
        raise Conflict(f"quarantined message {row.id} is already {row.status}")
    savepoint = db().begin_nested()
    whole = row.size if row.size and row.size > len(row.raw) else None  # only an oversize mail's start is kept
    mail = RawMail(row.raw, row.source or f"quarantine {row.id}", size=whole)
    [outcome] = services().ingestor.ingest_batch(db(), [mail], row.mailbox)
    if outcome.status == "quarantined":
        savepoint.rollback()
        row.error = outcome.error[:2000]
        flash(f"Still failing: {outcome.error}", "error")
    else:
        savepoint.commit()
        row.status = "retried"
        flash(f"Stored on {outcome.ticket} ({outcome.status}).", "ok")
    audit.record(db(), "quarantine_retry", str(row.id), outcome=outcome.status, ticket=outcome.ticket)
    db().commit()
    return redirect(url_for("admin.quarantined", row_id=row.id))


@bp.post("/quarantine/<int:row_id>/dismiss")
def dismiss_quarantined(row_id: int) -> Response:
    """Keep the bytes but stop showing the message as held (spam, a test mail)."""
    row = _held(row_id)
    row.status = "dismissed"
    audit.record(db(), "quarantine_dismiss", str(row.id))
    db().commit()
    flash(f"Quarantined message {row.id} dismissed.", "ok")
    return redirect(url_for("admin.quarantine"))


@bp.get("/outbox")
def outbox() -> str:
    status, before = _status(OUTBOX_STATUSES), request.args.get("before", type=row_id)
    query = select(Outbox).where(Outbox.status == status).order_by(Outbox.id.desc()).limit(PAGE + 1)
    rows = list(db().scalars(query.where(Outbox.id < before) if before else query))
    ticket_ids = {r.ticket_id for r in rows if r.ticket_id}
    references = dict(db().execute(select(Ticket.id, Ticket.reference).where(Ticket.id.in_(ticket_ids))).all())
    return render_template("web/admin/outbox.html", rows=rows[:PAGE], status=status, statuses=OUTBOX_STATUSES,
                           references=references, next_before=rows[PAGE - 1].id if len(rows) > PAGE else None,
                           retryable={r.id for r in rows if operations.retryable(r, now())})


@bp.post("/outbox/<int:row_id>/retry")
def retry_outbox(row_id: int) -> Response:
    row = db().get(Outbox, row_id)
    if row is None:
        raise NotFound(f"no outbox mail {row_id}")
    status = row.status
    operations.retry_delivery(db(), row, me(), now())
    audit.record(db(), "outbox_retry", str(row.id))
    db().commit()
    flash(f"Mail {row.id} to {row.rcpt} will be sent at the next pass.", "ok")
    return redirect(url_for("admin.outbox", status=status))
