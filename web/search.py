"""Full-text search over the tickets the user may open (`tickets.search`), newest first; every
search is audited.

A query that is exactly a ticket reference ("HD-12") goes straight to that ticket.
"""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from tickets.access import can_view, sees_all_queues, visible_queues
from tickets.audit import SEARCH
from tickets.models import Ticket
from tickets.search import search_tickets
from web import audit
from web.actions import STATUS_LABELS
from web.context import config, db, me
from web.inputs import row_id
from web.listing import previews
from web.sanitize import reference_pattern

bp = Blueprint("search", __name__)

MAX_QUERY = 200


@bp.get("/search")
def search() -> Response | str:
    text = request.args.get("q", "").strip()[:MAX_QUERY]
    user = me()
    if reference_pattern(config().tickets.reference_prefix).fullmatch(text.upper()):
        ticket = db().scalar(select(Ticket).where(Ticket.reference == text.upper()))
        if ticket is not None and can_view(user, ticket):
            return redirect(url_for("tickets.show", reference=ticket.reference))
    queues = None if sees_all_queues(user) else visible_queues(user, config())
    page = search_tickets(db(), text, queues, before=request.args.get("before", type=row_id))
    # Policy 003 traces "all queries": who searched, from where, and which tickets it showed. The
    # words are not kept: they often name a customer, and the audit log cannot forget.
    audit.record_read(SEARCH, "tickets", terms=len(text.split()), results=[t.reference for t in page.tickets])
    return render_template("web/search/results.html", q=text, page=page, labels=STATUS_LABELS,
                           previews=previews(db(), [t.id for t in page.tickets]),
                           first_page=not request.args.get("before"))
