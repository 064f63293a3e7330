"""The console's side of the audit log (`tickets.audit`): who is acting, and from which address.

Sign-ins, views of customer data and admin changes are recorded with the signed-in user and the
client's address filled in. A view comes from a read-only request, so its event is committed at
once, whatever the request does next.
"""
from __future__ import annotations

from typing import Any

from flask import g, request
from sqlalchemy.orm import Session

from tickets import audit
from tickets.models import Ticket
from web.context import READ_METHODS, client_address, db, now, services


def record(session: Session, action: str, target: str = "", actor: str | None = None, **detail: Any) -> None:
    """Add one event in the caller's transaction; the actor defaults to the signed-in user."""
    user = g.get("user")
    who = actor if actor is not None else (user.email if user is not None else "")
    audit.record(session, who, action, target, client_address(), at=now(), **detail)


def ticket_target(ticket: Ticket) -> str:
    """A ticket's data names its customer by id (never by address), as the audit log does."""
    return f"customer:{ticket.customer_id}" if ticket.customer_id else f"ticket:{ticket.reference}"


def record_view(target: str, **detail: Any) -> None:
    """A read of customer data from a read-only request, committed at once."""
    record_read(audit.VIEW, target, **detail)


def record_read(action: str, target: str, **detail: Any) -> None:
    """A read (a view, a search) from a read-only request, committed at once. On PostgreSQL the
    request's session runs in autocommit (`services.Services.readonly`): the flushed INSERT commits
    as it runs, one round trip instead of a transaction's four on a second connection."""
    if request.method in READ_METHODS and services().engine.dialect.name == "postgresql":
        record(db(), action, target, **detail)
        db().flush()
        return
    with services().sessions.begin() as session:
        record(session, action, target, **detail)
