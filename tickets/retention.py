"""Retention: every ticket past the retention period is anonymised irreversibly (docs/policies.md).

A ticket is past the period when it was closed longer ago than `[privacy] retention_days`, or,
whatever its status, when nothing happened on it for that long (`updated_at`): a ticket left open or
pending is not kept for ever. Quarantined mail and finished outgoing mail (sent or failed) older
than the period go too.

The Privacy Policy: order data "automatically carries out irreversible desensitization processing
after exceeding 60-day after-sales return and refund service cycle". Names, addresses, subjects,
bodies, headers, raw copies, attachments, participants, outgoing mail and search-index entries go;
the ticket row with its queue, status, timestamps, SLA clocks and events stays, so reports still
add up. A file shared with a message that is kept (the same attachment sent twice) stays.

`anonymise` is also the erasure's tool (`tickets.subject_rights`). After the commit, `scrub` makes
the database let go of the old bytes: SQLite's WAL is checkpointed and truncated (its pages are
zeroed on free by `secure_delete`); PostgreSQL's tables are vacuumed.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, delete, event, func, or_, select, text, update
from sqlalchemy.orm import Session

from tickets import audit, search_feed
from tickets.config import Config
from tickets.db import affected_rows
from tickets.models import (
    AttachmentFile,
    Customer,
    CustomerAlias,
    Message,
    Outbox,
    Participant,
    Quarantine,
    ReplyDraft,
    RouteCorrection,
    Status,
    Ticket,
)
from tickets.storage import FileStore

log = logging.getLogger(__name__)
_CHUNK = 500
_SCRUBBED_TABLES = ("customers", "customer_aliases", "messages", "attachments", "participants", "outbox",
                    "route_corrections", "quarantine", "tickets", "ticket_search")


@dataclass
class Counts:
    tickets: int = 0
    messages: int = 0
    files_deleted: int = 0


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def forget_mail(session: Session, *where: ColumnElement[bool]) -> None:
    """Empty the matching outgoing mail; what was not sent yet never will be."""
    unsent = Outbox.status.in_(("pending", "sending"))
    session.execute(update(Outbox).where(*where).values(
        rcpt="", raw=b"", status=case((unsent, "failed"), else_=Outbox.status),
        last_error=case((unsent, "recipient's data was erased"), else_=Outbox.last_error)))


def blank_messages(session: Session, store: FileStore, message_ids: Sequence[int]) -> int:
    """Empty these messages of everything personal and drop their files; returns files deleted.

    Kept: direction, Message-IDs (threading), timestamps, auto flags and delivery state.
    """
    digests: set[str] = set()
    for chunk in _chunks(message_ids):
        digests.update(d for d in session.scalars(select(Message.raw_sha256).where(Message.id.in_(chunk))) if d)
        digests.update(d for d in session.scalars(select(AttachmentFile.sha256)
                                                  .where(AttachmentFile.message_id.in_(chunk))) if d)
        session.execute(delete(AttachmentFile).where(AttachmentFile.message_id.in_(chunk)))
        session.execute(update(Message).where(Message.id.in_(chunk)).values(
            sender="", sender_name="", recipients={}, subject="", text="", new_text="", quoted_text="", signature="",
            html="", headers=[], raw_sha256=""))
        forget_mail(session, Outbox.message_id.in_(chunk))
    return _delete_unreferenced(session, store, digests)


def _delete_unreferenced(session: Session, store: FileStore, digests: set[str]) -> int:
    """Delete, once the transaction commits, the files no remaining row points at; returns how many.

    Deleting only after the commit means a rolled-back erasure never loses a raw copy.
    """
    session.flush()
    wanted = sorted(digests)
    kept: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        kept.update(session.scalars(select(Message.raw_sha256).where(Message.raw_sha256.in_(chunk))))
        kept.update(session.scalars(select(AttachmentFile.sha256).where(AttachmentFile.sha256.in_(chunk))))
    gone = [d for d in wanted if d not in kept]
    if gone:
        def delete_gone(_session: Session) -> None:
            for digest in gone:
                store.delete(digest)

        event.listen(session, "after_commit", delete_gone, once=True)
    return len(gone)


def anonymise(session: Session, store: FileStore, ticket_ids: Sequence[int], now: dt.datetime) -> Counts:
    """Anonymise these tickets irreversibly; their queue, timestamps and SLA history stay."""
    counts = Counts(tickets=len(ticket_ids))
    for chunk in _chunks(ticket_ids):
        message_ids = list(session.scalars(select(Message.id).where(Message.ticket_id.in_(chunk))))
        counts.messages += len(message_ids)
        counts.files_deleted += blank_messages(session, store, message_ids)
        session.execute(delete(Participant).where(Participant.ticket_id.in_(chunk)))
        session.execute(delete(ReplyDraft).where(ReplyDraft.ticket_id.in_(chunk)))
        forget_mail(session, Outbox.ticket_id.in_(chunk))
        session.execute(update(RouteCorrection).where(RouteCorrection.ticket_id.in_(chunk)).values(subject="", text=""))
        session.execute(update(Ticket).where(Ticket.id.in_(chunk)).values(
            subject="", order_numbers="", customer_id=None, anonymised_at=now))
    return counts


def due(session: Session, cutoff: dt.datetime) -> list[tuple[int, str]]:
    """(id, reference) of tickets closed before `cutoff` (`ix_tickets_status_closed`) or, whatever
    their status, untouched since before it (`ix_tickets_updated`), not yet anonymised."""
    past = or_(and_(Ticket.status == Status.CLOSED.value, Ticket.closed_at < cutoff), Ticket.updated_at < cutoff)
    return [(row.id, row.reference or "") for row in session.execute(
        select(Ticket.id, Ticket.reference).where(past, Ticket.anonymised_at.is_(None)).order_by(Ticket.id))]


def _forget_finished_mail(session: Session, cutoff: dt.datetime) -> int:
    """Empty outgoing mail sent (or given up on) before `cutoff`: notices and digests to staff too."""
    return affected_rows(session.execute(update(Outbox).where(
        Outbox.status.in_(("sent", "failed")), Outbox.created_at < cutoff, Outbox.rcpt != "").values(
        rcpt="", raw=b""))) or 0


def _messages_on(session: Session, ids: Sequence[int]) -> int:
    return sum(session.scalar(select(func.count()).select_from(Message).where(Message.ticket_id.in_(chunk))) or 0
               for chunk in _chunks(ids))


def run(session: Session, config: Config, now: dt.datetime, dry_run: bool = False, actor: str = "scheduler",
        address: str = "local", store: FileStore | None = None) -> dict[str, Any]:
    """Anonymise what is past retention (or, with `dry_run`, count it) and audit the run.

    Also deletes quarantined mail and empties finished outgoing mail, once as old.
    """
    cutoff = now - dt.timedelta(days=config.privacy.retention_days)
    found = due(session, cutoff)
    ids = [ticket_id for ticket_id, _ in found]
    if dry_run:
        return {"dry_run": True, "cutoff": cutoff.isoformat(), "tickets": len(ids),
                "messages": _messages_on(session, ids), "references": [reference for _, reference in found]}
    owners = {c for chunk in _chunks(ids)
              for c in session.scalars(select(Ticket.customer_id).where(Ticket.id.in_(chunk))) if c}
    counts = anonymise(session, store or FileStore(config.storage.path), ids, now)
    customers = _forget_customers(session, sorted(owners))
    quarantine = affected_rows(session.execute(delete(Quarantine).where(Quarantine.created_at < cutoff))) or 0
    outbox = _forget_finished_mail(session, cutoff)
    if ids or customers or quarantine:
        search_feed.purge(session.connection())
    summary = {"cutoff": cutoff.isoformat(), **asdict(counts), "customers_deleted": customers,
               "quarantine_deleted": quarantine, "outbox_emptied": outbox}
    audit.record(session, actor, audit.RETENTION, "tickets", address, at=now, **summary)
    log.info("retention run: %s", summary)
    return {"dry_run": False, **summary}


def _forget_customers(session: Session, customer_ids: list[int]) -> int:
    """Delete the customers who have no ticket left that is not anonymised."""
    session.flush()
    forgotten = 0
    for chunk in _chunks(customer_ids):
        still_used = set(session.scalars(select(Ticket.customer_id).where(Ticket.customer_id.in_(chunk))))
        orphans = [c for c in chunk if c not in still_used]
        if orphans:
            session.execute(delete(CustomerAlias).where(CustomerAlias.customer_id.in_(orphans)))
            forgotten += affected_rows(session.execute(delete(Customer).where(Customer.id.in_(orphans)))) or 0
    return forgotten


def scrub(engine: Engine) -> None:
    """After committing an erasure or a retention run, make the database drop the old bytes.

    SQLite: checkpoint the WAL into the database (freed pages are zeroed by `secure_delete`) and
    truncate it. PostgreSQL: VACUUM the tables that held the data, so dead row versions are
    reclaimed (their space is reused, not zeroed: disk-level encryption covers the rest).
    """
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                log.warning("WAL checkpoint blocked by a reader; erased pages leave the WAL at the next checkpoint")
        finally:
            raw.close()
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in _SCRUBBED_TABLES:
            conn.execute(text(f'VACUUM "{table}"'))
