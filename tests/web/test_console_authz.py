"""Every route of the console refuses the people who may not use it, and every form needs its CSRF token."""
from __future__ import annotations

from typing import Any

import pytest
import webseed
from flask import Flask, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webseed import Desk, Staff
from werkzeug.routing import Rule

from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import AttachmentFile, Message, Outbox, Quarantine, Ticket, User

# Who may use each endpoint: everyone, anyone signed in, those who may open the ticket's queue, managers
# (and admins), admins.
POLICY = {
    "static": "public", "health.healthz": "public", "health.readyz": "public", "auth.login": "public",
    "auth.logout": "signed_in", "queues.overview": "signed_in", "queues.triage": "signed_in",
    "queues.ticket_list": "signed_in", "queues.bulk": "signed_in", "search.search": "signed_in",
    "tickets.show": "ticket", "tickets.message_html": "ticket", "tickets.attachment": "ticket",
    "presence.heartbeat": "ticket",
    **{f"actions.{name}": "ticket" for name in ("note", "assign", "claim", "status", "reroute",
                                                 "confirm_queue", "inspected", "merge", "correct_customer")},
    **{f"reply.{name}": "ticket" for name in ("send", "undo", "save_draft", "canned")}, "merging.plan": "ticket",
    **{f"admin.{name}": "admin" for name in ("dashboard", "users", "create_user", "update_user", "mailboxes",
                                             "quarantine", "quarantined", "retry_quarantined",
                                             "dismiss_quarantined", "outbox", "retry_outbox")},
    **{f"reports.{name}": "manager" for name in ("page", "as_csv", "as_json")},
}
ALLOWED = {  # role -> the levels it reaches (the outsider works wholesale; the ticket is in order.tracking)
    "anonymous": {"public"},
    "outsider": {"public", "signed_in"},
    "agent": {"public", "signed_in", "ticket"},
    "manager": {"public", "signed_in", "ticket", "manager"},
    "admin": {"public", "signed_in", "ticket", "manager", "admin"},
}


def _url_args(writer: sessionmaker[Session], config: Config, desk: Desk, staff: Staff,
              clock: FrozenClock) -> dict[str, dict[str, Any]]:
    """Values for every URL variable, per endpoint: real rows the routes can find."""
    with writer.begin() as s:
        ticket = s.get(Ticket, desk.tracking.id)
        message = s.scalar(select(Message).where(Message.ticket_id == ticket.id))
        attachment = s.scalar(select(AttachmentFile).where(AttachmentFile.message_id == message.id))
        operations.reply(s, config, ticket, staff.agent, "Looking into it.", clock.now())
        outbox = s.scalar(select(Outbox).order_by(Outbox.id.desc()).limit(1))
        held = Quarantine(mailbox="support", source="test", stage="parse", error="boom", raw=b"not mail",
                          created_at=clock.now())
        s.add(held)
        spare = webseed.user(s, "spare@aeropressmall.com", "agent", ["returns"])
        s.flush()
        ticket_args = {"reference": ticket.reference, "message_id": message.id, "attachment_id": attachment.id}
        return {"static": {"filename": "console.css"}, "admin.update_user": {"user_id": spare.id},
                "admin.quarantined": {"row_id": held.id}, "admin.retry_quarantined": {"row_id": held.id},
                "admin.dismiss_quarantined": {"row_id": held.id}, "admin.retry_outbox": {"row_id": outbox.id},
                "reply.canned": {"name": "tracking_verification"},
                "*": ticket_args}


def _refused(response: Any, method: str, signed_in: bool) -> bool:
    if not signed_in:
        if method == "GET":
            return response.status_code == 302 and "/login" in response.location
        return response.status_code == 401 and response.text == "sign in first\n"
    return response.status_code == 403


@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_route_refuses_roles_that_may_not_use_it(role: str, app: Flask, writer: sessionmaker[Session],
                                                        web_config: Config, desk: Desk, staff: Staff,
                                                        frozen_clock: FrozenClock) -> None:
    # Each URL rule, for each role, is answered (allowed) or refused exactly as the policy says.
    app.config["WTF_CSRF_ENABLED"] = False
    args = _url_args(writer, web_config, desk, staff, frozen_clock)
    user = {"anonymous": None, "outsider": staff.outsider, "agent": staff.agent, "manager": staff.manager,
            "admin": staff.admin}[role]
    rules = list(app.url_map.iter_rules())
    assert {r.endpoint for r in rules} == set(POLICY), "a route without an access policy"
    client = app.test_client()
    for rule in rules:
        url = _build(app, rule, args)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            with client.session_transaction() as session:
                session.clear()
                if user is not None:
                    session["uid"] = user.id
            response = client.open(url, method=method)
            expected_allowed = POLICY[rule.endpoint] in ALLOWED[role]
            refused = _refused(response, method, user is not None)
            assert refused != expected_allowed, f"{role} {method} {url}: {response.status_code}"
            assert response.status_code < 500, f"{role} {method} {url}: {response.status_code}"


def _build(app: Flask, rule: Rule, args: dict[str, dict[str, Any]]) -> str:
    """The rule's URL, filled with the rows `_url_args` made for it."""
    values = {k: v for k, v in {**args["*"], **args.get(rule.endpoint, {})}.items() if k in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _counts(reader: sessionmaker[Session]) -> tuple[int, int]:
    with reader() as s:
        return (s.scalar(select(func.count()).select_from(Message)) or 0,
                s.scalar(select(func.count()).select_from(Outbox)) or 0)


def test_every_post_without_a_csrf_token_fails(app: Flask, writer: sessionmaker[Session], reader: sessionmaker[Session],
                                               web_config: Config, desk: Desk, staff: Staff,
                                               frozen_clock: FrozenClock) -> None:
    # An admin (who may use every route) posting any form without its token gets 400, and nothing changes.
    args = _url_args(writer, web_config, desk, staff, frozen_clock)
    client = app.test_client()
    before = _counts(reader)
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) >= 15
    for rule in posts:
        with client.session_transaction() as session:
            session["uid"] = staff.admin.id
        url = _build(app, rule, args)
        response = client.post(url, data={"text": "sneaky", "email": "x@y.z", "status": "closed", "into": "HD-2"})
        assert response.status_code == 400, f"POST {url} without a token: {response.status_code}"
    assert _counts(reader) == before
    with reader() as s:
        assert s.get(Ticket, desk.tracking.id).status == "new"
        assert s.scalar(select(func.count()).select_from(User).where(User.email == "x@y.z")) == 0
