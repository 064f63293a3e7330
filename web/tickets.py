"""The ticket page, a message's HTML in its sandbox, and attachment downloads.

A mail's HTML is never part of the console page: it is served by its own route into an
`<iframe sandbox>`, under a Content-Security-Policy of its own that allows no script at all,
inline styles only, and images only from `data:` URLs, until the agent asks for the remote
images of that one message (a tracking pixel then loads, but without a Referer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from io import BytesIO

from flask import Blueprint, Response, flash, make_response, render_template, request, send_file, url_for
from markupsafe import Markup
from sqlalchemy import select

from tickets.errors import Conflict, NotFound
from tickets.models import AttachmentFile, Message, Ticket
from web import audit
from web.canned import canned_replies, check_for, render_canned
from web.clockview import wall_clock
from web.context import config, db, me, now, services
from web.inputs import row_id
from web.loaders import ticket_or_404
from web.reply_box import list_query, reply_box
from web.sanitize import reference_pattern, safe_mail_html
from web.suggestions import suggested_answers
from web.ticket_page import ticket_page

bp = Blueprint("tickets", __name__)

SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain",
                        "text/csv", "application/zip"})
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def frame_policy(remote_images: bool) -> str:
    images = "data: https: http:" if remote_images else "data:"
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src {images}; form-action 'none'; "
            "base-uri 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox")


@dataclass(frozen=True)
class HeldReply:
    """A reply held because the customer wrote again after the agent opened the ticket."""

    text: str
    newer: list[Message]
    newest_id: int


def render_ticket(ticket: Ticket, reply_text: str = "", held: HeldReply | None = None, status: int = 200) -> Response:
    """The ticket page; a canned reply chosen (or being sent) brings what the agent must confirm."""
    calendar = services().calendar
    page = ticket_page(db(), ticket, me(), config(), calendar, now(), partial(wall_clock, calendar))
    chosen = request.values.get("canned", "") if reply_text else ""
    query = request.form.get("list") or request.args.get("list") or list_query(request.referrer or "",
                                                                                url_for("queues.ticket_list"))
    box = reply_box(db(), ticket, me(), config().web, now(), query)
    suggested = suggested_answers(db(), services().suggestions, page, me())
    html = render_template("web/tickets/show.html", page=page, reply_text=reply_text, held=held, box=box,
                           suggested=suggested,
                           canned=canned_replies(), images=request.args.get("images", type=row_id),
                           chosen=chosen, canned_check=check_for(chosen, config()))
    return make_response(html, status)


@bp.get("/tickets/<reference>")
def show(reference: str) -> Response:
    ticket = ticket_or_404(reference, with_customer=True)
    reply_text = ""
    if request.args.get("canned"):
        reasons = request.args.get("reasons", "").splitlines()
        try:
            reply_text = render_canned(request.args["canned"], config(), ticket, ticket.customer, me(), reasons)
        except Conflict as refused:  # a setting the reply needs is missing: say which
            flash(str(refused), "error")
    audit.record_view(audit.ticket_target(ticket), ticket=ticket.reference)
    return render_ticket(ticket, reply_text)


def _message(ticket: Ticket, message_id: int) -> Message:
    message = db().scalar(select(Message).where(Message.id == message_id, Message.ticket_id == ticket.id))
    if message is None:
        raise NotFound(f"no message {message_id} on {ticket.reference}")
    return message


@bp.get("/tickets/<reference>/messages/<int:message_id>/html")
def message_html(reference: str, message_id: int) -> Response:
    """The sanitised HTML of one message, for the sandboxed frame on the ticket page."""
    ticket = ticket_or_404(reference)
    message = _message(ticket, message_id)
    pattern = reference_pattern(config().tickets.reference_prefix)
    body = safe_mail_html(message.html, pattern, lambda ref: url_for("tickets.show", reference=ref))
    response = make_response(render_template("web/tickets/mail_frame.html", body=Markup(body)))
    response.headers["Content-Security-Policy"] = frame_policy(request.args.get("images") == "1")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def download_name(filename: str) -> str:
    """The sender's file name without paths or control characters."""
    return _UNSAFE_NAME.sub("_", filename).strip(" ._") or "attachment"


@bp.get("/tickets/<reference>/attachments/<int:attachment_id>")
def attachment(reference: str, attachment_id: int) -> Response:
    """Always a download, with a type from a safe list: a hostile file never renders in the console."""
    ticket = ticket_or_404(reference)
    item = db().scalar(select(AttachmentFile).join(Message, Message.id == AttachmentFile.message_id)
                       .where(AttachmentFile.id == attachment_id, Message.ticket_id == ticket.id))
    store = services().store
    if item is None or not item.sha256 or not store.exists(item.sha256):
        raise NotFound(f"attachment {attachment_id} is not stored on {ticket.reference}")
    audit.record_view(audit.ticket_target(ticket), ticket=ticket.reference, attachment=item.id)
    kind = item.content_type.lower() if item.content_type.lower() in SAFE_TYPES else "application/octet-stream"
    response = send_file(BytesIO(store.get(item.sha256)), mimetype=kind, as_attachment=True,
                         download_name=download_name(item.filename), max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
