"""Data subject rights: export, erase and correct what we hold about an email address (docs/policies.md).

The Privacy Policy grants inquiry, revision and deletion rights; deletion comes "after clearing all
unfinished pending orders and unresolved aftersales disputes", so an erasure is refused while the
customer has a ticket that is new, open or pending, unless an admin forces it. The erasure request
itself (the ticket it came on, any open ticket in the privacy queue) does not count. Every use is
audited.

Correcting the contact email keeps the old address as the customer's alias (`CustomerAlias`): their
mail from it is still theirs. Given the config, an erasure first queues a confirmation to the
address; that outbox row is the one place the address stays, until it is delivered and emptied
(`inbox.sender`) or retention empties it.

Erasure anonymises the customer's tickets (`tickets.retention.anonymise`: bodies, raw copies,
attachments, participants, outgoing mail, index entries), blanks the messages they sent on other
tickets, strips their address from other messages' recipient lists and headers, drops quarantined
mail that mentions it, and replaces the customer record by an irreversible placeholder. Other
people's raw copies that merely cc'd the address stay (sealed), as does quoted text in their mail.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tickets import audit, search_feed
from tickets.config import Config
from tickets.errors import Conflict, InputError, NotFound
from tickets.models import (
    Customer,
    CustomerAlias,
    Direction,
    Message,
    Outbox,
    Participant,
    Quarantine,
    Status,
    Ticket,
)
from tickets.operations import OPEN_STATUSES, set_status
from tickets.outbox import ERASURE_KIND, Outgoing, queue_mail
from tickets.retention import anonymise, blank_messages, forget_mail
from tickets.storage import FileStore

MAX_NAME = 200
MAX_ADDRESS = 1000
MAX_EMAIL = 320
PRIVACY_QUEUE = "privacy"  # where requests about personal data are routed (tickets.config)
_CHUNK = 200
_EMAIL = re.compile(r"^[^@\s<>(),;:\\\"\[\]]+@[^@\s<>(),;:\\\"\[\]]+\.[^@\s<>(),;:\\\"\[\]]+$")


def find_customer(session: Session, email: str) -> Customer:
    """The customer whose contact email, or former address, this is."""
    wanted = email.strip().lower()
    customer = session.scalar(select(Customer).where(Customer.email == wanted)) or session.scalar(
        select(Customer).join(CustomerAlias, CustomerAlias.customer_id == Customer.id)
        .where(CustomerAlias.email == wanted))
    if customer is None:
        raise NotFound(f"no customer with the address {email.strip()!r}")
    return customer


def _tickets(session: Session, customer: Customer) -> tuple[list[Ticket], list[Ticket]]:
    """The customer's own tickets, and the others they took part in (From, To or Cc)."""
    own = list(session.scalars(select(Ticket).where(Ticket.customer_id == customer.id).order_by(Ticket.id)))
    mine = {t.id for t in own}
    joined = [t for t in session.scalars(select(Ticket).join(Participant, Participant.ticket_id == Ticket.id)
                                         .where(Participant.email == customer.email).order_by(Ticket.id))
              if t.id not in mine]
    return own, joined


def _mentions(message: Message, email: str) -> bool:
    return message.sender == email or any(email == a.lower() for v in message.recipients.values() for a in v)


def _message_record(message: Message, ticket: Ticket, eml: str | None) -> dict[str, Any]:
    return {"ticket": ticket.reference, "message_id": message.message_id, "direction": message.direction,
            "received_at": message.received_at.isoformat(), "from": message.sender, "from_name": message.sender_name,
            "to": message.recipients.get("to", []), "cc": message.recipients.get("cc", []),
            "subject": message.subject, "text": message.text,
            "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size}
                            for a in message.attachments],
            "eml": eml}


def _raw_copy(session: Session, store: FileStore, message: Message) -> bytes | None:
    """The message as it travelled: the kept raw copy, or for our replies the outbox's bytes."""
    if message.raw_sha256 and store.exists(message.raw_sha256):
        return store.get(message.raw_sha256)
    if message.direction == Direction.OUTBOUND.value:
        raw = session.scalar(select(Outbox.raw).where(Outbox.message_id == message.id))
        return raw or None
    return None


def _ticket_record(ticket: Ticket, role: str) -> dict[str, Any]:
    return {"reference": ticket.reference, "role": role, "subject": ticket.subject, "queue": ticket.queue,
            "status": ticket.status, "created_at": ticket.created_at.isoformat(),
            "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
            "order_numbers": ticket.order_numbers.split()}


def export(session: Session, store: FileStore, email: str, out: Path, actor: str, origin: str,
           now: dt.datetime) -> dict[str, int]:
    """Write a ZIP of everything about `email`: `data.json` and each message as `messages/NNNN.eml`.

    Internal notes are staff records and stay out; messages on other people's tickets are included
    only where the address sent or received them.
    """
    customer = find_customer(session, email)
    own, joined = _tickets(session, customer)
    files: dict[str, bytes] = {}
    messages: list[dict[str, Any]] = []
    for ticket in own + joined:
        query = (select(Message).where(Message.ticket_id == ticket.id, Message.direction != Direction.NOTE.value)
                 .order_by(Message.received_at, Message.id))
        for message in session.scalars(query):
            if ticket.customer_id != customer.id and not _mentions(message, customer.email):
                continue
            raw = _raw_copy(session, store, message)
            name = f"messages/{len(messages) + 1:04d}.eml" if raw is not None else None
            if name and raw is not None:
                files[name] = raw
            messages.append(_message_record(message, ticket, name))
    participants = session.execute(select(Ticket.reference, Participant.role)
                                   .join(Ticket, Ticket.id == Participant.ticket_id)
                                   .where(Participant.email == customer.email).order_by(Ticket.id)).all()
    document = {
        "exported_at": now.isoformat(), "email": customer.email,
        "customer": {"email": customer.email, "name": customer.name, "address": customer.address,
                     "created_at": customer.created_at.isoformat()},
        "tickets": [_ticket_record(t, "customer") for t in own] + [_ticket_record(t, "participant") for t in joined],
        "messages": messages,
        "participants": [{"ticket": ref, "email": customer.email, "role": role} for ref, role in participants],
    }
    _write_zip(out, {"data.json": json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"), **files})
    counts = {"tickets": len(own) + len(joined), "messages": len(messages), "files": len(files)}
    audit.record(session, actor, audit.EXPORT, audit.customer_target(customer), origin, at=now, **counts)
    return counts


def _write_zip(out: Path, members: dict[str, bytes]) -> None:
    """Write the archive beside `out` and move it into place: readable by its owner only."""
    folder = out.resolve().parent
    if not folder.is_dir():
        raise InputError(f"{out}: folder does not exist")
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".export-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def erase(session: Session, store: FileStore, email: str, actor: str, origin: str, now: dt.datetime,
          force: bool = False, config: Config | None = None, request: Ticket | None = None) -> dict[str, Any]:
    """Erase everything about `email` (see the module's docstring); refused while tickets other than
    the request (`request`, or any in the privacy queue) are open. With `config`, the customer is
    sent a confirmation first."""
    customer = find_customer(session, email)
    own, joined = _tickets(session, customer)
    requests = [t for t in own if t.status in OPEN_STATUSES and (t.queue == PRIVACY_QUEUE or t is request)]
    still_open = [t for t in own if t.status in OPEN_STATUSES and t not in requests]
    if still_open and not force:
        refs = ", ".join(t.reference or str(t.id) for t in still_open[:5])
        raise Conflict(f"customer has {len(still_open)} open ticket(s) ({refs}): "
                       "solve them first, or erase with --force")
    for ticket in still_open + requests:
        set_status(session, ticket, Status.CLOSED.value, now)
    address, placeholder = customer.email, f"erased-{customer.id}@invalid"
    aliases = list(session.scalars(select(CustomerAlias.email).where(CustomerAlias.customer_id == customer.id)))
    counts = anonymise(session, store, [t.id for t in own], now)
    sent = list(session.scalars(select(Message.id).where(Message.sender == address)))
    counts.files_deleted += blank_messages(session, store, sent)
    _strip_address(session, [t.id for t in joined], address, placeholder)
    session.execute(delete(Participant).where(Participant.email == address))
    forget_mail(session, Outbox.rcpt == address)
    for old in aliases:
        forget_mail(session, Outbox.rcpt == old)
        session.execute(delete(Participant).where(Participant.email == old))
    session.execute(delete(CustomerAlias).where(CustomerAlias.customer_id == customer.id))
    held = _forget_quarantined(session, address)
    if config is not None:
        _confirm_erasure(session, config, address, customer.name, now)
    customer.email, customer.name, customer.address, customer.erased_at = placeholder, "", "", now
    session.flush()
    search_feed.purge(session.connection())
    result = {"tickets": counts.tickets, "messages": counts.messages + len(sent),
              "files_deleted": counts.files_deleted, "quarantine_deleted": held, "forced": bool(still_open),
              "confirmation_queued": config is not None}
    audit.record(session, actor, audit.ERASURE, audit.customer_target(customer), origin, at=now, **result)
    return result


def _confirm_erasure(session: Session, config: Config, address: str, name: str, now: dt.datetime) -> None:
    """Tell the customer their data is gone, queued before their address is (Privacy Policy 000 s5)."""
    greeting = f"Dear {name}," if name else "Hello,"
    text = (f"{greeting}\n\nAs you asked, we have erased the personal data {config.shop.name} held about you: "
            "your messages, their attachments, your name, postal address and this email address. "
            "This is the last email we send to this address about it.\n\n"
            f"Kind regards,\n{config.shop.signature}\n")
    sender = config.mailboxes.get(config.queue(PRIVACY_QUEUE).mailbox)
    queue_mail(session, config, Outgoing(kind=ERASURE_KIND, mail_from=sender.address if sender else "", to=address,
                                         to_name=name, subject="Your personal data has been erased", text=text), now)


def _strip_address(session: Session, ticket_ids: list[int], address: str, placeholder: str) -> None:
    """Other people's messages keep their content but lose the address from recipients and headers."""
    for start in range(0, len(ticket_ids), _CHUNK):
        for message in session.scalars(select(Message).where(Message.ticket_id.in_(ticket_ids[start:start + _CHUNK]))):
            recipients = {k: [a for a in v if a.lower() != address] for k, v in message.recipients.items()}
            if recipients != message.recipients:
                message.recipients = recipients
            headers = [[name, _replace_ci(value, address, placeholder)] for name, value in message.headers]
            if headers != message.headers:
                message.headers = headers


def _replace_ci(value: str, needle: str, replacement: str) -> str:
    at, lowered = 0, value.lower()
    parts: list[str] = []
    while (found := lowered.find(needle, at)) >= 0:
        parts += [value[at:found], replacement]
        at = found + len(needle)
    return "".join(parts) + value[at:]


def _forget_quarantined(session: Session, address: str) -> int:
    """Delete quarantined mail that names the address (it never became a ticket to anonymise)."""
    needle, after, doomed = address.encode("utf-8"), 0, []
    while True:
        rows = session.execute(select(Quarantine.id, Quarantine.raw).where(Quarantine.id > after)
                               .order_by(Quarantine.id).limit(_CHUNK)).all()
        doomed += [row_id for row_id, raw in rows if needle in raw.lower()]
        if len(rows) < _CHUNK:
            break
        after = rows[-1][0]
    for start in range(0, len(doomed), _CHUNK):
        session.execute(delete(Quarantine).where(Quarantine.id.in_(doomed[start:start + _CHUNK])))
    return len(doomed)


def correct(session: Session, customer: Customer, actor: str, now: dt.datetime, name: str | None = None,
            address: str | None = None, origin: str = "", email: str | None = None) -> list[str]:
    """Correct a customer's name, postal address and/or contact email; returns the fields that
    changed (audited by name). The old email stays theirs as an alias."""
    if customer.erased_at is not None:
        raise Conflict("this customer was erased; there is nothing to correct")
    changes = _checked({"name": (name, MAX_NAME), "address": (address, MAX_ADDRESS), "email": (email, MAX_EMAIL)})
    if "email" in changes:
        changes["email"] = changes["email"].lower()
    changed = [field for field, value in changes.items() if getattr(customer, field) != value]
    if "email" in changed:
        _move_email(session, customer, changes["email"], now)
    for field in changed:
        setattr(customer, field, changes[field])
    if changed:
        audit.record(session, actor, audit.CORRECTION, audit.customer_target(customer), origin, at=now, fields=changed)
    return changed


def _move_email(session: Session, customer: Customer, new: str, now: dt.datetime) -> None:
    """Keep the customer's current email as an alias before it changes to `new`, which must be free."""
    if not _EMAIL.match(new):
        raise InputError(f"email must be an address like name@example.com, not {new!r}")
    if session.scalar(select(Customer.id).where(Customer.email == new)) is not None:
        raise Conflict("another customer has that email address")
    taken = session.get(CustomerAlias, new)
    if taken is not None and taken.customer_id != customer.id:
        raise Conflict("that email address was another customer's")
    if taken is not None:
        session.delete(taken)
    session.add(CustomerAlias(email=customer.email, customer_id=customer.id, created_at=now))
    session.flush()


def _checked(values: dict[str, tuple[str | None, int]]) -> dict[str, str]:
    checked = {}
    for field, (value, limit) in values.items():
        if value is None:
            continue
        value = value.strip()
        if len(value) > limit or "\0" in value:
            raise InputError(f"{field} must be at most {limit} characters of text")
        checked[field] = value
    return checked

