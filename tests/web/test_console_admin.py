"""Admin pages: users and roles, mailbox health, the quarantine (retry, dismiss) and the outbox (retry now)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from flask import Flask
from mailfactory import make_mail
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from services import Services
from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import AuditEvent, MailboxState, Message, Outbox, Quarantine, Ticket, User


def test_admin_creates_a_user_who_can_then_sign_in(console: Console, reader: sessionmaker[Session],
                                                   staff: Staff, services: Services) -> None:
    # A new agent gets the queues ticked, a working password, and the creation is audited.
    console.sign_in(staff.admin)
    response = console.post("/admin/users", {"email": "Nia@aeropressmall.com", "name": "Nia", "role": "agent",
                                             "queues": ["returns", "refunds"], "password": "s3cret-pass"})
    assert response.location == "/admin/users"
    with reader() as s:
        user = s.scalar(select(User).where(User.email == "nia@aeropressmall.com"))
        assert user.queue_list == ["returns", "refunds"] and services.passwords.verify(user, "s3cret-pass")
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.target == user.email)) == "role_change"
    shown = console.post("/admin/users", {"email": "otto@aeropressmall.com", "role": "manager"})
    assert "Password (shown once):" in console.get(shown.location).text
    refused = console.post("/admin/users", {"email": "x@aeropressmall.com", "role": "agent", "queues": ["nope"]})
    assert "unknown queue" in console.get(refused.location).text


def test_changing_role_and_queues_and_deactivating_take_effect_at_once(
        app, console: Console, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    # The outsider gets order.tracking and sees the ticket; deactivated, their open session ends.
    outsider = Console(app.test_client()).sign_in(staff.outsider)
    assert outsider.get(f"/tickets/{desk.tracking.reference}").status_code == 403
    console.sign_in(staff.admin).post(f"/admin/users/{staff.outsider.id}",
                                      {"role": "agent", "queues": ["wholesale", "order.tracking"], "active": "1"})
    assert outsider.get(f"/tickets/{desk.tracking.reference}").status_code == 200
    console.post(f"/admin/users/{staff.outsider.id}", {"role": "agent", "queues": ["wholesale"]})
    assert outsider.get("/").status_code == 302
    with reader() as s:
        changes = s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "role_change")).all()
        assert changes[-1]["after"] == {"role": "agent", "queues": ["wholesale"], "active": False}


def test_the_last_active_admin_cannot_be_demoted(console: Console, reader: sessionmaker[Session],
                                                 staff: Staff) -> None:
    # Otherwise nobody could manage users any more.
    response = console.sign_in(staff.admin).post(f"/admin/users/{staff.admin.id}", {"role": "agent", "active": "1"})
    assert "is the last active admin" in console.get(response.location).text
    with reader() as s:
        assert s.get(User, staff.admin.id).role == "admin"


def test_mailbox_health_shows_each_pollers_last_success_and_error(console: Console, writer: sessionmaker[Session],
                                                                  staff: Staff) -> None:
    # A failing mailbox shows its error next to the healthy ones.
    with writer.begin() as s:
        s.add(MailboxState(mailbox="press", last_success_at=dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC),
                           last_error="LOGIN failed: authentication failed", backlog=3,
                           last_error_at=dt.datetime(2026, 11, 24, 14, 5, tzinfo=dt.UTC)))
    page = console.sign_in(staff.admin).get("/admin/mailboxes").text
    assert "LOGIN failed: authentication failed" in page and "Tue 24 Nov 2026 09:00" in page
    assert "support@aeropressmall.com" in page and "never" in page


def _held(writer: sessionmaker[Session], raw: bytes, at: dt.datetime) -> int:
    with writer.begin() as s:
        row = Quarantine(mailbox="support", source="upload.eml", stage="parse", error="old error", raw=raw,
                         created_at=at)
        s.add(row)
        s.flush()
        return row.id


def test_retrying_a_quarantined_message_that_now_stores_marks_it_retried(
        console: Console, writer: sessionmaker[Session], reader: sessionmaker[Session], staff: Staff,
        frozen_clock: FrozenClock) -> None:
    # Ingestion runs again on the stored bytes; the message becomes a ticket and the row is no longer held.
    row_id = _held(writer, make_mail(subject="Lost parcel AP-777777"), frozen_clock.now())
    console.sign_in(staff.admin)
    assert "old error" in console.get(f"/admin/quarantine/{row_id}").text
    response = console.post(f"/admin/quarantine/{row_id}/retry")
    assert 'Stored on <a href="/tickets/HD-1">HD-1</a> (created).' in console.get(response.location).text
    with reader() as s:
        assert s.get(Quarantine, row_id).status == "retried"
        assert s.scalar(select(Ticket.subject)) == "Lost parcel AP-777777"


def test_retrying_a_message_that_fails_again_keeps_it_held_with_the_new_error(
        app_for: Callable[[Config], Flask], writer: sessionmaker[Session], reader: sessionmaker[Session],
        web_config: Config, staff: Staff, frozen_clock: FrozenClock) -> None:
    # Still too big: the row stays held with the new error, and no second quarantine row appears.
    small = dataclasses.replace(web_config, storage=dataclasses.replace(web_config.storage, max_message_bytes=500))
    console = Console(app_for(small).test_client())
    row_id = _held(writer, make_mail(body="x" * 1000), frozen_clock.now())
    console.sign_in(staff.admin).post(f"/admin/quarantine/{row_id}/retry")
    with reader() as s:
        row = s.get(Quarantine, row_id)
        assert row.status == "held" and "over the" in row.error
        assert s.scalar(select(func.count()).select_from(Quarantine)) == 1
    console.post(f"/admin/quarantine/{row_id}/dismiss")
    with reader() as s:
        assert s.get(Quarantine, row_id).status == "dismissed"
    assert "Nothing held." in console.get("/admin/quarantine").text


def test_retry_now_requeues_a_failed_mail_with_fresh_attempts(console: Console, writer: sessionmaker[Session],
                                                              reader: sessionmaker[Session], web_config: Config,
                                                              desk: Desk, staff: Staff,
                                                              frozen_clock: FrozenClock) -> None:
    # A failed reply goes back to pending, due now, and its message shows as queued again.
    with writer.begin() as s:
        operations.reply(s, web_config, s.get(Ticket, desk.tracking.id), staff.agent, "Hello", frozen_clock.now())
        s.flush()
        row = s.scalar(select(Outbox))
        row.status, row.attempts, row.last_error = "failed", 8, "550 mailbox unavailable"
        s.get(Message, row.message_id).delivery = "failed"
    console.sign_in(staff.admin)
    assert "550 mailbox unavailable" in console.get("/admin/outbox?status=failed").text
    console.post(f"/admin/outbox/{row.id}/retry")
    with reader() as s:
        again = s.get(Outbox, row.id)
        assert (again.status, again.attempts) == ("pending", 0)
        assert s.get(Message, again.message_id).delivery == "queued"
    with writer.begin() as s:
        s.get(Outbox, row.id).status = "sent"
    refused = console.post(f"/admin/outbox/{row.id}/retry", headers={"Referer": "http://localhost/admin/outbox"})
    assert "only pending, failed or stranded mail can be retried" in console.get(refused.location).text


def test_mail_stranded_in_sending_can_be_retried_once_its_claim_expired(
        console: Console, writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config,
        desk: Desk, staff: Staff, frozen_clock: FrozenClock) -> None:
    # A sender killed mid-pass leaves its mail 'sending'. While its claim runs the page offers no retry;
    # once the claim expired (within a minute) the admin can send it again at once.
    with writer.begin() as s:
        operations.reply(s, web_config, s.get(Ticket, desk.tracking.id), staff.agent, "Hello", frozen_clock.now())
        s.flush()
        row = s.scalar(select(Outbox))
        row.status, row.claimed_by, row.attempts = "sending", "dead-host:4242:1", 1
        row.next_attempt_at = frozen_clock.now() + dt.timedelta(seconds=30)
    console.sign_in(staff.admin)
    assert "Retry now" not in console.get("/admin/outbox?status=sending").text
    frozen_clock.advance(dt.timedelta(minutes=1))
    assert "Retry now" in console.get("/admin/outbox?status=sending").text
    console.post(f"/admin/outbox/{row.id}/retry")
    with reader() as s:
        assert s.get(Outbox, row.id).status == "pending"
