"""Collision detection: who else has a ticket open, and who is writing a reply.

The ticket page's script reports every 20 seconds ("viewing", or "writing" while the reply box
holds text) and gets back the others seen in the last 45 seconds. Rows live in the `presence`
table, so every console worker sees every agent.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tickets.models import Presence, User
from web.context import db, me, now
from web.loaders import ticket_or_404

bp = Blueprint("presence", __name__)

FRESH = dt.timedelta(seconds=45)
STALE = dt.timedelta(hours=1)
ACTIVITIES = ("viewing", "writing")


@dataclass(frozen=True)
class Seen:
    name: str
    activity: str


def touch(session: Session, ticket_id: int, user_id: int, activity: str, now: dt.datetime) -> None:
    """Record that the user is on the ticket now (one upsert), and drop the ticket's stale rows."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Presence).values(ticket_id=ticket_id, user_id=user_id, activity=activity, seen_at=now)
    session.execute(statement.on_conflict_do_update(index_elements=["ticket_id", "user_id"],
                                                    set_={"activity": activity, "seen_at": now}))
    session.execute(delete(Presence).where(Presence.ticket_id == ticket_id, Presence.seen_at < now - STALE))


def others(session: Session, ticket_id: int, user_id: int, now: dt.datetime) -> list[Seen]:
    """Everyone else seen on the ticket lately, writers first."""
    rows = session.execute(select(User.name, User.email, Presence.activity).join(User, User.id == Presence.user_id)
                           .where(Presence.ticket_id == ticket_id, Presence.user_id != user_id,
                                  Presence.seen_at >= now - FRESH))
    seen = [Seen(name or email, activity) for name, email, activity in rows]
    return sorted(seen, key=lambda s: (s.activity != "writing", s.name))


@bp.post("/tickets/<reference>/presence")
def heartbeat(reference: str) -> Response:
    ticket = ticket_or_404(reference)
    activity = request.form.get("activity", "viewing")
    if activity not in ACTIVITIES:
        activity = "viewing"
    moment = now()
    touch(db(), ticket.id, me().id, activity, moment)
    db().commit()
    return jsonify(others=[{"name": s.name, "activity": s.activity} for s in others(db(), ticket.id, me().id, moment)])
