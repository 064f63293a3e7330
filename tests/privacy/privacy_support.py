"""Helpers for the privacy tests: mail ingested through the services, and what a stored byte scan reads."""
from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from inbox.ingest import Ingestor, Outcome, RawMail
from services import Services
from tickets.config import Config
from tickets.models import Base

Ingest = Callable[..., Outcome]


def ingest_mail(services: Services, session: Session, raw: bytes, mailbox: str = "support",
                source: str = "x") -> Outcome:
    """One raw mail through the bare pipeline (mailbox default queues, no acknowledgement, no clocks)
    on the services' file store and clock, committed as a poller commits its batch."""
    [outcome] = Ingestor(services.config, services.store, services.clock).ingest_batch(
        session, [RawMail(raw, source)], mailbox)
    session.commit()
    return outcome


def stored_bytes(config: Config, engine: Engine) -> bytes:
    """Every byte the helpdesk keeps: the storage folder's files and, on SQLite, the database file
    with its WAL; on PostgreSQL (whose files are not ours to read) every table's rows as text."""
    parts = [p.read_bytes() for p in sorted(Path(config.storage.path).rglob("*")) if p.is_file()]
    if engine.dialect.name == "sqlite":
        database = Path(make_url(config.database.url).database or "")
        parts += [Path(f"{database}{suffix}").read_bytes() for suffix in ("", "-wal", "-journal")
                  if Path(f"{database}{suffix}").exists()]
        return b"\n".join(parts)
    tables = [t.name for t in Base.metadata.sorted_tables] + ["ticket_search"]
    with engine.connect() as conn:
        for table in tables:
            parts += [row[0].encode("utf-8") for row in conn.execute(text(f'SELECT t::text FROM "{table}" t'))]
    return b"\n".join(parts)


def mail_with_attachment(sender: str, subject: str, body: str, filename: str, data: bytes) -> bytes:
    """A customer's mail with one attached file."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "support@aeropressmall.com", subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg.set_content(body)
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes(policy=SMTP)
