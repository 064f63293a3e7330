"""The reply box: send (with the status chosen on the button, files, Cc and Bcc), undo inside the
window, "send and next", drafts saved as the agent types, canned replies filled for insertion.

A refused reply (an empty text, a bad address, too long, too large) comes back to the ticket
page with its one-line reason and the text kept as the agent's draft: nothing typed is lost.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from tickets import drafts, operations, refunds
from tickets.errors import Conflict, InputError
from tickets.models import Direction, Message, Status, Ticket
from tickets.outbox import OutgoingFile
from web.canned import check_for, render_canned
from web.context import config, db, me, now, services
from web.inputs import row_id
from web.listing import Cursor, ticket_page
from web.loaders import normalise_reference, ticket_or_404
from web.queues import list_filter
from web.reply_box import list_args
from web.ticket_page import newest_inbound_id
from web.tickets import HeldReply, render_ticket

bp = Blueprint("reply", __name__)

# The button pressed says what becomes of the ticket: "send" keeps it open with its clocks running;
# only "waiting" (on the customer for information only they can give) pauses the resolution clock.
THEN = {"send": Status.OPEN.value, "waiting": Status.PENDING.value, "solved": Status.SOLVED.value,
        "next": Status.OPEN.value}
_ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_FORM_SLACK = 256 * 1024  # the form's other fields and multipart framing


def allow_large_replies() -> None:
    """The app's body limit fits its small forms; a reply (and its draft) may carry the configured
    text and files. Runs before the CSRF check reads the form."""
    if request.endpoint in ("reply.send", "reply.save_draft"):
        web = config().web
        text_bytes = web.reply_max_characters * 4 + _FORM_SLACK  # UTF-8 needs at most 4 bytes a character
        request.max_form_memory_size = text_bytes
        request.max_content_length = text_bytes * 2 + web.reply_attachments_max_bytes


def too_large(error: RequestEntityTooLarge) -> Response:
    """A body over the limit is refused inside the console: on the ticket page, with the reason.
    The browser checks first; what was typed is in the draft saved as the agent typed."""
    web = config().web
    match = re.fullmatch(r"/tickets/([^/]+)/(reply|draft)", request.path)
    if match is None:
        flash("The form was too large to accept; nothing was changed.", "error")
        return redirect(url_for("queues.overview"))
    flash(f"The reply was too large to accept: at most {web.reply_max_characters:,} characters and "
          f"{web.reply_attachments_max_bytes // (1024 * 1024)} MB of files. Nothing was sent.", "error")
    return redirect(url_for("tickets.show", reference=match.group(1)))


@bp.errorhandler(Conflict)
@bp.errorhandler(InputError)
def refused(error: Exception) -> Response:
    db().rollback()
    reference = (request.view_args or {}).get("reference", "")
    if request.endpoint == "reply.send":
        _keep_draft(reference)
    flash(str(error), "error")
    return redirect(url_for("tickets.show", reference=reference))


def _keep_draft(reference: str) -> None:
    ticket = db().scalar(select(Ticket).where(Ticket.reference == normalise_reference(reference)))
    if ticket is not None:
        drafts.save(db(), ticket.id, me().id, _draft_from_form(), now())
        db().commit()


def _draft_from_form() -> drafts.DraftText:
    form = request.form
    return drafts.DraftText(form.get("text", "").replace("\r\n", "\n"), form.get("cc", ""), form.get("bcc", ""))


def addresses(field: str, what: str) -> tuple[str, ...]:
    """The addresses typed in a Cc or Bcc field, separated by commas, semicolons or spaces."""
    found = tuple(a for a in re.split(r"[\s,;]+", request.form.get(field, "")) if a)
    bad = next((a for a in found if not _ADDRESS.match(a)), None)
    if bad:
        raise InputError(f"{what}: {bad!r} is not an email address")
    return found


def reply_text() -> str:
    text = request.form.get("text", "").replace("\r\n", "\n").strip()
    if not text:
        raise InputError("the reply is empty")
    limit = config().web.reply_max_characters
    if len(text) > limit:
        raise InputError(f"the reply is {len(text):,} characters long; at most {limit:,} can be sent")
    return text


def attached_files() -> tuple[OutgoingFile, ...]:
    files = tuple(OutgoingFile(f.filename or "attachment", f.mimetype or "application/octet-stream", f.read())
                  for f in request.files.getlist("files") if f.filename)
    limit = config().web.reply_attachments_max_bytes
    total = sum(len(f.data) for f in files)
    if total > limit:
        raise InputError(f"the attached files come to {total:,} bytes; at most {limit:,} can be sent")
    return files


@bp.post("/tickets/<reference>/reply")
def send(reference: str) -> Response:
    """Queue the reply, unless the customer wrote again since the agent opened the ticket.

    The form carries the newest customer message the agent saw; a newer one holds the reply and
    shows it. The held form carries the new newest id, so sending again confirms.
    """
    ticket = ticket_or_404(reference)
    text = reply_text()
    then = request.form.get("then", "send")
    if then not in THEN:
        raise InputError(f"unknown way to send {then!r}")
    options = operations.ReplyOptions(cc=addresses("cc", "Cc"), bcc=addresses("bcc", "Bcc"), files=attached_files(),
                                      status=THEN[then], hold_seconds=config().web.reply_undo_seconds)
    check = check_for(request.form.get("canned", ""), config())
    if check and request.form.get("confirmed") != "1":
        flash(f"Not sent: confirm first ({check}).", "error")
        return render_ticket(ticket, text, status=400)
    refunds.check_finish(db(), ticket, THEN[then], request.form.get("refund_owed") == "1")
    seen = request.form.get("seen", type=row_id) or 0
    newest = newest_inbound_id(db(), ticket.id)
    if newest > seen:
        newer = list(db().scalars(select(Message).where(Message.ticket_id == ticket.id, Message.id > seen,
                                                        Message.direction == Direction.INBOUND.value)
                                  .order_by(Message.id)))
        return render_ticket(ticket, text, HeldReply(text, newer, newest), status=409)
    place = Cursor(ticket.next_deadline, ticket.id)
    operations.reply(db(), config(), ticket, me(), text, now(), options, services().store)
    drafts.discard(db(), ticket.id, me().id)
    query = request.form.get("list", "")
    db().commit()
    if then == "next":
        flash(f"Reply to {ticket.reference} queued for delivery.", "ok")
        return redirect(_next_ticket(ticket, place, query))
    flash("Reply queued for delivery.", "ok")
    return redirect(url_for("tickets.show", reference=ticket.reference, list=query or None))


def _next_ticket(ticket: Ticket, place: Cursor, query: str) -> str:
    """The ticket after this one in the list the agent came from, or that list when none is left."""
    args = list_args(query, ticket)
    after = ticket_page(db(), list_filter(args), place, size=2).tickets
    following = next((t for t in after if t.id != ticket.id), None)
    if following is None:
        flash("That was the last ticket of the list.", "ok")
        return url_for("queues.ticket_list") + "?" + urlencode(list(args.items(multi=True)))
    return url_for("tickets.show", reference=following.reference, list=query or None)


@bp.post("/tickets/<reference>/replies/<int:message_id>/undo")
def undo(reference: str, message_id: int) -> Response:
    """Take the reply back while it waits in the outbox; its text goes back into the box."""
    ticket = ticket_or_404(reference)
    text = operations.undo_reply(db(), ticket, message_id, me(), now())
    drafts.save(db(), ticket.id, me().id, drafts.DraftText(text), now())
    db().commit()
    flash("Reply taken back: it was not sent, and its text is in the reply box again.", "ok")
    return redirect(url_for("tickets.show", reference=ticket.reference, _anchor="reply"))


@bp.post("/tickets/<reference>/draft")
def save_draft(reference: str) -> Response:
    """Keep what the agent has typed (called by the page as they type)."""
    ticket = ticket_or_404(reference)
    moment = now()
    drafts.save(db(), ticket.id, me().id, _draft_from_form(), moment)
    db().commit()
    return jsonify(saved=moment.isoformat())


@bp.get("/tickets/<reference>/canned/<name>")
def canned(reference: str, name: str) -> Response:
    """A canned reply filled from the ticket, for the page to insert where the cursor is."""
    ticket = ticket_or_404(reference, with_customer=True)
    reasons = request.args.get("reasons", "").splitlines()
    return jsonify(text=render_canned(name, config(), ticket, ticket.customer, me(), reasons), name=name,
                   check=check_for(name, config()))
