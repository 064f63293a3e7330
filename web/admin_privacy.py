"""Admin pages for a data subject's rights (Privacy Policy 000 section 5): export and erase.

Routes of the admin blueprint (`web.admin`), behind its admins-only gate, doing what `helpdesk
privacy export` and `privacy erase` do: the export is audited and downloaded as a ZIP; the erasure
queues the customer's confirmation before their address goes, does not count the ticket it was asked
on (`request`) as an open one, and is scrubbed from the database once committed.
"""
from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from flask import flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tickets import retention, subject_rights
from tickets.errors import InputError, NotFound
from tickets.models import Ticket
from web.admin import bp
from web.context import client_address, config, db, me, now, services
from web.loaders import normalise_reference


def _email() -> str:
    email = request.form.get("email", "").strip()
    if not email:
        raise InputError("give the customer's email address")
    return email


@bp.get("/privacy")
def privacy() -> str:
    return render_template("web/admin/privacy.html", request_reference=request.args.get("request", ""),
                           email=request.args.get("email", ""))


@bp.post("/privacy/export")
def privacy_export() -> Response:
    """Everything about the address, as the ZIP `helpdesk privacy export` writes."""
    email = _email()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.zip"
        subject_rights.export(db(), services().store, email, out, me().email, client_address(), now())
        data = out.read_bytes()
    db().commit()
    return send_file(BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name="customer-data.zip", max_age=0)


def _request_ticket() -> Ticket | None:
    """The ticket the erasure was asked on, if named."""
    text = request.form.get("request", "").strip()
    if not text:
        return None
    reference = normalise_reference(text)
    ticket = db().scalar(select(Ticket).where(Ticket.reference == reference))
    if ticket is None:
        raise NotFound(f"no ticket {reference}")
    return ticket


@bp.post("/privacy/erase")
def privacy_erase() -> Response:
    """Erase everything about the address; a confirmation is queued to it first."""
    email = _email()
    result = subject_rights.erase(db(), services().store, email, me().email, client_address(), now(),
                                  force=request.form.get("force") == "1", config=config(), request=_request_ticket())
    db().commit()
    retention.scrub(services().engine)
    flash(f"Erased: {result['tickets']} ticket(s), {result['messages']} message(s); "
          "the confirmation to the customer is queued.", "ok")
    return redirect(url_for("admin.privacy"))
