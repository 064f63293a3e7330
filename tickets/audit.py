"""The append-only audit log: who did what to whose data, when, and from where (docs/policies.md).

The Privacy Policy promises to trace "all internal user information query and export behaviors in
real time through system log": sign-ins, views and exports of customer data, role changes,
corrections, erasures and retention runs each add one `AuditEvent` in the caller's transaction, so
an action and its record commit together. The database refuses UPDATE and DELETE on the table
(migration 0004).

An append-only log cannot forget, and an erasure must: events name a customer by id
("customer:42"), never by address or name, and details carry counts and field names, not values.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tickets.models import AuditEvent, Customer

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
VIEW = "view"
SEARCH = "search"
EXPORT = "export"
ROLE_CHANGE = "role_change"
CORRECTION = "correction"
ERASURE = "erasure"
RETENTION = "retention_run"
KEY_ROTATION = "key_rotation"
REFUND_PAID = "refund_paid"
_CHUNK = 500


def record(session: Session, actor: str, action: str, target: str = "", address: str = "", *, at: dt.datetime,
           **detail: Any) -> AuditEvent:
    """Add one event, stamped `at`; `address` is where the actor came from (an IP, or "local")."""
    event = AuditEvent(at=at, actor=actor[:320], action=action[:64], target=target, detail=detail,
                       address=address[:64])
    session.add(event)
    return event


def customer_target(customer: Customer) -> str:
    """How events name a customer: by id, so the trail outlives an erasure without keeping the address."""
    return f"customer:{customer.id}"


def events(session: Session, since: dt.datetime | None = None) -> Iterator[AuditEvent]:
    """Every event at or after `since`, oldest first, read a few hundred rows at a time."""
    after = 0
    while True:
        query = select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id).limit(_CHUNK)
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        chunk = list(session.scalars(query))
        yield from chunk
        if len(chunk) < _CHUNK:
            return
        after = chunk[-1].id


def as_record(event: AuditEvent) -> dict[str, Any]:
    """An event as a JSON-ready dict (the `helpdesk audit --json` line)."""
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor, "action": event.action,
            "target": event.target, "address": event.address, "detail": event.detail}
