"""Retention: exactly the tickets closed longer than the retention period are anonymised; counts,
queues, timestamps and SLA clocks stay, and a file still used by a kept message stays."""
from __future__ import annotations

import datetime as dt
import json

from privacy_support import Ingest, mail_with_attachment
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services import Services
from services.scheduler import RETENTION_JOB, make_scheduler
from tickets import audit, crypto, drafts, operations, retention
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import AuditEvent, Customer, Message, ReplyDraft, SlaClock, Status, Ticket, User
from tickets.search import search_tickets

SHARED = b"the same warranty card, sent twice\n" * 20


def seed(session: Session, ingest: Ingest, now: dt.datetime) -> dict[str, Ticket]:
    """A: closed 61 days ago. B: closed 59 days ago. C: open for 100 days. D: closed 61 days ago,
    same customer as B and the same attachment as B."""
    made = {}
    for key, sender, word in (("A", "alma@example.com", "Quasimodal"), ("B", "bo@example.com", "Zephyrine"),
                              ("C", "cy@example.com", "Ottomanic"), ("D", "bo@example.com", "Vellichor")):
        attachment = SHARED if key in "BD" else word.encode() * 10
        outcome = ingest(mail_with_attachment(f"{key} Person <{sender}>", f"Question {word}", f"About {word}.\n",
                                              "card.txt", attachment))
        made[key] = session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
    for key, days in (("A", 61), ("B", 59), ("D", 61)):
        operations.set_status(session, made[key], Status.CLOSED.value, now - dt.timedelta(days=days))
    for ticket in made.values():
        session.add(SlaClock(ticket_id=ticket.id, kind="reply", target_working_days=2, started_at=ticket.created_at,
                             running=False, state="met", stopped_at=ticket.created_at))
    session.commit()
    return made


def texts(session: Session, ticket: Ticket) -> list[str]:
    return list(session.scalars(select(Message.text).where(Message.ticket_id == ticket.id)))


def test_retention_anonymises_exactly_the_tickets_past_the_period(
        session: Session, config: Config, services: Services, sealed: crypto.Keyring, ingest: Ingest,
        frozen_clock: FrozenClock) -> None:
    # A and D go; B (inside the period) and C (open) stay whole; counts, queues and clocks add up as before.
    now = frozen_clock.now()
    made = seed(session, ingest, now)
    store = services.store
    raw_a = session.scalar(select(Message.raw_sha256).where(Message.ticket_id == made["A"].id))
    queues = dict(session.execute(select(Ticket.queue, func.count()).group_by(Ticket.queue)).all())
    clocks = session.execute(select(SlaClock.id, SlaClock.ticket_id, SlaClock.state, SlaClock.stopped_at)
                             .order_by(SlaClock.id)).all()
    agent = User(email="sam@aeropressmall.com", created_at=now)
    session.add(agent)
    session.flush()
    for key in "AB":  # an agent's unsent words to a customer go with the ticket
        drafts.save(session, made[key].id, agent.id, drafts.DraftText(f"Dear {key} Person, about your"), now)
    dry = retention.run(session, config, now, dry_run=True)
    assert (dry["tickets"], dry["messages"]) == (2, 2) and all(texts(session, made[k]) != [""] for k in "ABCD")
    result = retention.run(session, config, now, actor="cli:test")
    session.commit()
    assert (result["tickets"], result["messages"], result["customers_deleted"]) == (2, 2, 1)
    session.expire_all()
    for key in "AD":
        ticket = made[key]
        assert ticket.anonymised_at == now and ticket.subject == "" and ticket.customer_id is None
        assert ticket.status == Status.CLOSED.value and ticket.closed_at == now - dt.timedelta(days=61)
        assert texts(session, ticket) == [""]
    assert all("About" in texts(session, made[k])[0] for k in "BC")
    assert session.scalars(select(ReplyDraft.ticket_id)).all() == [made["B"].id]
    assert not store.exists(raw_a) and store.get(_attachment_sha(session, made["B"])) == SHARED
    assert dict(session.execute(select(Ticket.queue, func.count()).group_by(Ticket.queue)).all()) == queues
    assert session.execute(select(SlaClock.id, SlaClock.ticket_id, SlaClock.state, SlaClock.stopped_at)
                           .order_by(SlaClock.id)).all() == clocks and len(clocks) >= 4
    assert session.scalar(select(Customer).where(Customer.email == "alma@example.com")) is None
    assert session.scalar(select(Customer).where(Customer.email == "bo@example.com")) is not None
    assert search_tickets(session, "Quasimodal", None).tickets == []
    assert [t.id for t in search_tickets(session, "Zephyrine", None).tickets] == [made["B"].id]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.RETENTION))
    assert event is not None and event.detail["tickets"] == 2 and event.actor == "cli:test"
    assert retention.run(session, config, now)["tickets"] == 0


def _attachment_sha(session: Session, ticket: Ticket) -> str:
    message = session.scalar(select(Message).where(Message.ticket_id == ticket.id))
    assert message is not None
    return message.attachments[0].sha256


def test_retention_command_and_daily_job(run_cli, session: Session, services: Services,  # type: ignore[no-untyped-def]
                                         sealed: crypto.Keyring, ingest: Ingest, frozen_clock: FrozenClock) -> None:
    # `retention run --dry-run` only counts; the scheduled daily job anonymises and is audited as the scheduler.
    made = seed(session, ingest, frozen_clock.now())
    code, out, _ = run_cli("retention", "run", "--dry-run")
    assert code == 0 and json.loads(out)["tickets"] == 2 and json.loads(out)["dry_run"] is True
    assert texts(session, made["A"]) != [""]
    session.rollback()
    scheduler = make_scheduler(services)
    job = scheduler.get_job(RETENTION_JOB)
    assert job is not None and "cron" in str(job.trigger) and "hour='3'" in str(job.trigger)
    job.func()
    session.expire_all()
    assert texts(session, made["A"]) == [""] and texts(session, made["B"]) != [""]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.RETENTION))
    assert event is not None and event.actor == "scheduler"
