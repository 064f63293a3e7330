"""A customer's privacy rights from the console and the command line (Privacy Policy 000 section 5,
003): correcting the contact email, export and erasure by admins, and every staff search audited."""
from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile

import webseed
from mailfactory import make_mail
from smtpsink import Sink, serving
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from inbox.ingest import RawMail
from inbox.sender import deliver_due
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import AuditEvent, Customer, Outbox, Ticket

NEW = "emily.carter@example.org"


def test_the_customers_contact_email_is_corrected_and_mail_from_the_old_one_is_still_theirs(
        console: Console, services: Services, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    # Emily moved to a new address: replies go there, her mail from the old one lands on her record,
    # the audit log names the field and not the value, and a malformed address is refused.
    console.sign_in(staff.agent)
    bad = console.post(f"/tickets/{desk.tracking.reference}/customer", {"email": "emily at example"})
    assert "email must be an address like name@example.com" in console.get(bad.location).text
    console.post(f"/tickets/{desk.tracking.reference}/customer", {"email": NEW.upper()})
    raw = make_mail(sender="Emily Carter <emily@example.com>", subject="Another question",
                    body="Do you sell paper filters?\n")
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(raw, "old")], "press")
    console.post(f"/tickets/{desk.tracking.reference}/reply", {"text": "On its way.", "seen": 10 ** 9})
    with reader() as s:
        customer = s.get(Ticket, desk.tracking.id).customer
        assert customer.email == NEW
        assert s.scalar(select(Ticket.customer_id).where(Ticket.reference == outcome.ticket)) == customer.id
        assert s.scalar(select(Outbox.rcpt).where(Outbox.ticket_id == desk.tracking.id, Outbox.kind == "reply")) == NEW
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "correction")).all()
        assert event.detail == {"fields": ["email"]} and "emily" not in json.dumps(event.detail)


def test_admins_export_and_erase_from_the_console_and_the_request_does_not_block_it(
        console: Console, writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config,
        desk: Desk, staff: Staff, frozen_clock: FrozenClock) -> None:
    # Zoe asks for erasure: her request ticket is open, yet the erasure goes ahead; she is sent a
    # confirmation before her address goes, and once delivered it leaves nothing of her behind.
    with writer.begin() as s:
        request = webseed.ticket(s, web_config, webseed.parsed("Delete my data", "Please erase everything.",
                                                               sender="zoe@example.com", name="Zoe Quill"),
                                 queue="privacy")
    assert console.sign_in(staff.agent).get("/admin/privacy").status_code == 403
    console.sign_in(staff.admin)
    assert "Export or erase this customer" in console.get(f"/tickets/{request.reference}").text
    export = console.post("/admin/privacy/export", {"email": "emily@example.com"})
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["email"] == "emily@example.com" and len(data["tickets"]) == 2
    refused = console.post("/admin/privacy/erase", {"email": "emily@example.com", "request": desk.tracking.reference})
    assert re.search(rf"customer has 1 open ticket\(s\) \(<a [^>]+>{desk.returns.reference}</a>\)",
                     console.get(refused.location).text)
    done = console.post("/admin/privacy/erase", {"email": "zoe@example.com"})
    assert "the confirmation to the customer is queued" in console.get(done.location).text
    with reader() as s:
        assert s.scalar(select(Customer).where(Customer.email == "zoe@example.com")) is None
        assert s.get(Ticket, request.id).anonymised_at is not None
        [row] = s.scalars(select(Outbox).where(Outbox.kind == "erasure")).all()
        assert (row.rcpt, row.status) == ("zoe@example.com", "pending")
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.actor == staff.admin.email))]
        assert "export" in actions and "erasure" in actions
    handler = Sink()
    with serving(handler) as port:
        smtp = dataclasses.replace(web_config, smtp=SmtpConfig(host="127.0.0.1", port=port, tls="none"))
        assert deliver_due(writer, smtp, frozen_clock.now())["sent"] == 1
    [confirmation] = handler.messages()
    assert confirmation["To"].addresses[0].addr_spec == "zoe@example.com"
    assert "we have erased the personal data" in confirmation.get_body(("plain",)).get_content()
    with reader() as s:
        assert [(r.rcpt, r.raw, r.status) for r in s.scalars(select(Outbox).where(Outbox.kind == "erasure"))] == \
            [("", b"", "sent")]


def test_every_staff_search_is_audited_without_its_words(console: Console, reader: sessionmaker[Session],
                                                         desk: Desk, staff: Staff) -> None:
    # Who searched, from where, and which tickets they were shown; not what they typed.
    console.sign_in(staff.agent).get("/search?q=parcel")
    with reader() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "search")).all()
    assert event.actor == staff.agent.email and event.address
    assert event.detail == {"terms": 1, "results": [desk.tracking.reference]}


def test_the_command_line_corrects_the_email_and_erases_despite_the_request(  # type: ignore[no-untyped-def]
        run_cli, reader: sessionmaker[Session], desk: Desk) -> None:
    # `privacy correct --new-email`; the old address still finds her; `privacy erase --request` ignores that ticket.
    code, out, _ = run_cli("privacy", "correct", "emily@example.com", "--new-email", NEW)
    assert code == 0 and json.loads(out) == {"changed": ["email"]}
    code, _, err = run_cli("privacy", "erase", "emily@example.com", "--request", desk.tracking.reference)
    assert code == 1 and f"({desk.returns.reference})" in err
    with reader() as s:
        assert s.scalar(select(Customer.email).where(Customer.id == desk.tracking.customer_id)) == NEW
