"""Loaders that fetch what a URL names and check the user may have it (flaskr's `get_post`)."""
from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tickets.access import require_ticket_access
from tickets.errors import NotFound
from tickets.models import Ticket
from web.context import READ_METHODS, config, db, me


def normalise_reference(text: str) -> str:
    """'HD-12', '#hd-12', '[#HD-12]' or '12' as the reference 'HD-12'."""
    cleaned = text.strip().strip("[]").lstrip("#").strip().upper()
    prefix = config().tickets.reference_prefix.upper()
    return f"{prefix}-{cleaned}" if cleaned.isdigit() else cleaned


def ticket_or_404(reference: str, with_customer: bool = False) -> Ticket:
    """The ticket with this reference, if the signed-in user may open its queue; `with_customer`
    reads its customer in the same query (the ticket page shows it).

    A request that changes something locks the ticket's row first (PostgreSQL; SQLite has one
    writer at a time): an ingestion batch also writes the ticket's row before its clocks and
    history, so the two take turns instead of each holding rows the other waits for (a deadlock).
    """
    wanted = normalise_reference(reference)
    query = select(Ticket).where(Ticket.reference == wanted)
    if request.method not in READ_METHODS:
        query = query.with_for_update(of=Ticket)
    ticket = db().scalar(query.options(joinedload(Ticket.customer)) if with_customer else query)
    if ticket is None:
        raise NotFound(f"no ticket {wanted}")
    require_ticket_access(me(), ticket)
    return ticket
