"""Export: a ZIP with everything about an address (JSON and the messages as .eml), audited; and no
full card number reaches the database, the storage folder or an export."""
from __future__ import annotations

import datetime as dt
import email
import json
import logging
import re
import stat
import zipfile
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import make_msgid
from pathlib import Path

import pytest
from mailfactory import make_mail
from privacy_support import Ingest, mail_with_attachment, stored_bytes
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services import Services
from tickets import audit, crypto, operations, subject_rights
from tickets.config import Config
from tickets.models import AuditEvent, Message, Ticket

EMAIL, NAME = "ines.okafor@example.com", "Ines Okafor"
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
PHOTO = b"\xff\xd8 not really a jpeg"
CARDS = ("4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "6011000990139424")


def test_export_holds_the_record_tickets_messages_and_eml_copies(run_cli, session: Session, config: Config,  # type: ignore[no-untyped-def]
                                                                 services: Services, sealed: crypto.Keyring,
                                                                 ingest: Ingest, tmp_path: Path) -> None:
    # The ZIP's JSON names the customer, their tickets, messages and participations; each message comes as .eml.
    mine = ingest(mail_with_attachment(f"{NAME} <{EMAIL}>", "Broken filter cap", "The cap cracked.\n", "photo.jpg",
                                       PHOTO))
    ingest(make_mail(sender="Pat Other <pat@example.net>", cc=EMAIL, subject="Group order",
                     body="Adding Ines in copy.\n"))
    ingest(make_mail(sender="Lee Third <lee@example.net>", subject="Unrelated", body="Nothing to do with Ines.\n"))
    ticket = session.scalar(select(Ticket).where(Ticket.reference == mine.ticket))
    assert ticket is not None and ticket.customer is not None
    subject_rights.correct(session, ticket.customer, "cli:test", NOW, address="4 Kiln Yard, Bristol")
    operations.reply(session, config, ticket, None, "A new cap is on its way.", NOW)
    session.commit()
    out = tmp_path / "ines.zip"
    code, stdout, _ = run_cli("privacy", "export", EMAIL, "--out", str(out))
    assert code == 0 and json.loads(stdout) == {"tickets": 2, "messages": 3, "files": 3, "out": str(out)}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as archive:
        data = json.loads(archive.read("data.json"))
        emls = {name: archive.read(name) for name in archive.namelist() if name.endswith(".eml")}
    assert data["customer"] == {"email": EMAIL, "name": NAME, "address": "4 Kiln Yard, Bristol",
                                "created_at": data["customer"]["created_at"]}
    assert [(t["reference"], t["role"]) for t in data["tickets"]] == [(mine.ticket, "customer"),
                                                                      (data["tickets"][1]["reference"], "participant")]
    texts = [m["text"] for m in data["messages"]]
    assert texts[0].startswith("The cap cracked.") and texts[1] == "A new cap is on its way." and "in copy" in texts[2]
    assert data["messages"][0]["attachments"] == [{"filename": "photo.jpg", "content_type": "application/octet-stream",
                                                   "size": len(PHOTO)}]
    assert [p["ticket"] for p in data["participants"]] == [t["reference"] for t in data["tickets"]]
    first = session.scalar(select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id))
    assert first is not None and emls[data["messages"][0]["eml"]] == services.store.get(first.raw_sha256)
    reply = email.message_from_bytes(emls[data["messages"][1]["eml"]], policy=default)
    assert reply["To"] == f"{NAME} <{EMAIL}>" and "A new cap is on its way." in reply.get_body(("plain",)).get_content()
    assert "Nothing to do" not in json.dumps(data)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == audit.EXPORT))
    assert event is not None and event.target == f"customer:{ticket.customer_id}" and event.address == "local"


def _card_digits(data: bytes) -> set[str]:
    """Full card numbers found in `data`, separators ignored."""
    flat = data.replace(b" ", b"").replace(b"-", b"")
    return {card for card in CARDS if card.replace(" ", "").replace("-", "").encode() in flat}


def _html_mail(html: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Card Holder <holder@example.com>", "support@aeropressmall.com", "HTML"
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg.set_content(html, subtype="html", cte="quoted-printable")
    return msg.as_bytes(policy=SMTP)


def test_no_full_card_number_is_stored_logged_or_exported(session: Session, config: Config, services: Services,
                                                          engine: Engine, ingest: Ingest, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    # Card numbers in an encoded subject, a plain body, a QP-encoded HTML part end as their last four digits:
    # in the database and its search index, the stored files, the log and the export.
    caplog.set_level(logging.DEBUG)
    ingest(mail_with_attachment("Card Holder <holder@example.com>", f"Doppelt belastet über {CARDS[0]}",
                                "My cards: " + ", ".join(CARDS) + "\n", "notes.txt", b"no digits here"))
    ingest(_html_mail("<p>" + "x" * 70 + "".join(f" card {c}," for c in CARDS) + "</p>"))
    store = services.store
    plain_files = b"".join(store.get(d) for d in store.digests())
    assert _card_digits(stored_bytes(config, engine)) == set() and _card_digits(plain_files) == set()
    assert re.search(rb"\*{4}[ -]?\*{4}[ -]?\*{4}[ -]?1111", plain_files)
    out = tmp_path / "holder.zip"
    subject_rights.export(session, store, "holder@example.com", out, "cli:test", "local", NOW)
    with zipfile.ZipFile(out) as archive:
        exported = b"".join(archive.read(name) for name in archive.namelist())
    assert b"1111" in exported and _card_digits(exported) == set()
    assert _card_digits(caplog.text.encode()) == set() and "holder@example.com" not in caplog.text
