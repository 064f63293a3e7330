"""Erasure: refused while the customer has open tickets; afterwards no byte of their address, name or
street is stored anywhere, while other customers are untouched."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from mailfactory import make_mail
from privacy_support import Ingest, mail_with_attachment, stored_bytes
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from services import Services
from tickets import audit, crypto, operations, subject_rights
from tickets.config import Config
from tickets.errors import Conflict
from tickets.models import AuditEvent, Customer, Message, Participant, Status, Ticket
from tickets.retention import scrub
from tickets.search import search_tickets

EMAIL, NAME, STREET = "t.brindlecombe@example.org", "Theodora Brindlecombe", "Wexmoorgate Lane"
OTHER_EMAIL, OTHER, OTHER_STREET = "oskar@example.net", "Oskar Fennimore", "Halberdine Row"
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def seeded(session: Session, config: Config, sealed: crypto.Keyring, ingest: Ingest) -> Ticket:
    """Our customer's ticket (mail with an attachment, a postal address, our reply) and another
    customer's ticket on which our customer was cc'd."""
    mine = ingest(mail_with_attachment(f"{NAME} <{EMAIL}>", "Return request",
                                       f"Please collect the AeroPress at 12 {STREET}, Leeds.\n", "label.txt",
                                       f"{NAME}\n12 {STREET}\n".encode()))
    ingest(make_mail(sender=f"{OTHER} <{OTHER_EMAIL}>", cc=f"{NAME} <{EMAIL}>", subject="Warranty question",
                     body=f"My grinder broke. Ship the spare to 3 {OTHER_STREET}.\n"))
    ticket = session.scalar(select(Ticket).where(Ticket.reference == mine.ticket))
    assert ticket is not None and ticket.customer is not None
    subject_rights.correct(session, ticket.customer, "cli:test", NOW, address=f"12 {STREET}, Leeds LS1 4AP")
    operations.reply(session, config, ticket, None, f"Dear {NAME}, a courier will call at {STREET} on Monday.", NOW)
    session.commit()
    return ticket


def test_erasure_is_refused_while_a_ticket_is_open(session: Session, services: Services, seeded: Ticket) -> None:
    # An open ticket blocks the erasure with a clear reason, and nothing is changed.
    with pytest.raises(Conflict, match=r"customer has 1 open ticket\(s\) \(HD-\d+\)"):
        subject_rights.erase(session, services.store, EMAIL, "cli:test", "local", NOW)
    session.rollback()
    assert session.scalar(select(Customer.name).where(Customer.email == EMAIL)) == NAME


def test_after_erasure_no_byte_of_the_customer_is_left(session: Session, config: Config, services: Services,
                                                       engine: Engine, seeded: Ticket) -> None:
    # Address, name and street are gone from the database, its WAL and the storage folder; the other customer stays.
    assert EMAIL.encode() in stored_bytes(config, engine).lower()
    operations.set_status(session, seeded, Status.CLOSED.value, NOW)
    tickets_before = session.scalar(select(func.count()).select_from(Ticket))
    result = subject_rights.erase(session, services.store, EMAIL, "cli:test", "local", NOW)
    session.commit()
    scrub(engine)
    on_disk = stored_bytes(config, engine).lower()
    for needle in (EMAIL, "brindlecombe", "theodora", "wexmoorgate"):
        assert needle.encode() not in on_disk, needle
    assert result["tickets"] == 1 and result["files_deleted"] == 2 and not result["forced"]
    assert session.scalar(select(func.count()).select_from(Ticket)) == tickets_before
    assert seeded.queue and seeded.anonymised_at is not None
    erased = session.scalar(select(Customer).where(Customer.erased_at.is_not(None)))
    assert erased is not None and erased.email == f"erased-{erased.id}@invalid" and erased.name == erased.address == ""
    assert session.scalar(select(Participant).where(Participant.email == EMAIL)) is None
    other = session.scalar(select(Message).where(Message.sender == OTHER_EMAIL))
    assert other is not None and OTHER_STREET in other.text and other.sender_name == OTHER
    assert EMAIL not in json.dumps(other.recipients) and EMAIL not in json.dumps(other.headers).lower()
    assert OTHER_STREET.encode() in services.store.get(other.raw_sha256)
    assert [t.id for t in search_tickets(session, OTHER_STREET, None).tickets] == [other.ticket_id]
    assert search_tickets(session, "Wexmoorgate", None).tickets == []
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.ERASURE))
    assert event is not None and event.target == f"customer:{erased.id}" and event.actor == "cli:test"


def test_erase_command_refuses_in_one_line_then_forces(run_cli, session: Session, seeded: Ticket) -> None:  # type: ignore[no-untyped-def]
    # `privacy erase` ends with one line naming the open ticket; `--force` erases and says it was forced.
    code, out, err = run_cli("privacy", "erase", EMAIL)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(f"helpdesk: customer has 1 open ticket(s) ({seeded.reference})")
    code, out, err = run_cli("privacy", "erase", EMAIL.upper(), "--force")
    assert code == 0 and json.loads(out)["forced"] is True
    session.expire_all()
    assert session.get(Ticket, seeded.id).status == Status.CLOSED.value  # type: ignore[union-attr]
    session.rollback()  # release SQLite's write lock for the next command
    code, _, err = run_cli("privacy", "erase", EMAIL)
    assert code == 1 and err == f"helpdesk: no customer with the address '{EMAIL}'\n"
