"""The only writer of tickets: open, add mail, reply, note, assign, status, re-route, merge.

Each function takes the caller's session and changes nothing outside it; every change is recorded
as a ticket event (`tickets.events`), which is how the SLA clocks and the history learn of it.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tickets import events
from tickets.config import Config
from tickets.db import affected_rows
from tickets.decision import Decision
from tickets.errors import Conflict
from tickets.intake import Intake, ThreadIndex
from tickets.mail import ParsedMessage, stored_subject
from tickets.models import (
    AttachmentFile,
    Customer,
    Direction,
    Message,
    Outbox,
    Participant,
    RouteCorrection,
    Status,
    ThreadKey,
    Ticket,
    TicketEvent,
    User,
)
from tickets.outbox import Outgoing, OutgoingFile, queue_mail, reply_subject, thread_headers
from tickets.storage import FileStore

OPEN_STATUSES = (Status.NEW.value, Status.OPEN.value, Status.PENDING.value)
ALL_STATUSES = tuple(s.value for s in Status)
WHOLE_TEXT_CHARS = 200_000  # as inbox.quotes.MAX_SEPARATED_CHARS: past it, text is not told apart
RECIPIENT = "recipient"  # a participant copied (Cc) on every reply: the other customer of a merge


@dataclass(frozen=True)
class ReplyOptions:
    """What goes with a reply besides its text.

    `status` is set after sending ('' leaves it); `hold_seconds` keeps the mail in the outbox that
    long, the agent's window to undo it."""

    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    files: tuple[OutgoingFile, ...] = ()
    status: str = ""
    hold_seconds: int = 0


def _id(user: User | None) -> int | None:
    return user.id if user else None


def customer_for(intake: Intake, email: str, name: str, now: dt.datetime) -> Customer:
    """The customer with this address, created on first contact."""
    email = email.lower()
    intake.load_customers([email])
    customer = intake.customers.get(email)
    if customer is None:
        customer = intake.customers[email] = Customer(email=email, name=name, created_at=now)
        intake.session.add(customer)
    elif name and not customer.name and customer.erased_at is None:
        customer.name = name
    return customer


def open_ticket(intake: Intake, config: Config, parsed: ParsedMessage, mailbox: str, routed: Decision,
                now: dt.datetime, linked: Ticket | None = None) -> Ticket:
    """A new ticket for `parsed`, with its reference `HD-<id>` (the prefix is configurable)."""
    sender = parsed.sender
    number = intake.numbers.take()
    ticket = Ticket(id=number, reference=f"{config.tickets.reference_prefix}-{number}",
                    subject=stored_subject(parsed.subject),
                    queue=routed.queue, mailbox=mailbox, auto=parsed.auto, order_numbers=" ".join(routed.order_numbers),
                    routing_reasons=list(routed.reasons), unsure=routed.unsure,
                    linked_ticket_id=linked.id if linked else None, created_at=parsed.received, updated_at=now)
    if sender and sender.email:
        ticket.customer = customer_for(intake, sender.email, sender.name, now)
    intake.session.add(ticket)
    intake.tickets[number] = ticket
    intake.participants[number] = set()
    events.record(intake.session, ticket, events.Created(
        queue=routed.queue, message_id=parsed.message_id, reasons=list(routed.reasons),
        linked=linked.reference if linked else None, unsure=routed.unsure), parsed.received)
    if ticket.auto or routed.auto:  # automatic mail needs no answer: closed at once (tickets.lifecycle)
        set_status(intake.session, ticket, Status.CLOSED.value, now)
    return ticket


def _add_participants(intake: Intake, ticket: Ticket, addresses: Sequence[str], ours: frozenset[str]) -> None:
    known = intake.participants_of(ticket.id)
    for address in addresses:
        if address and address not in ours and address not in known:
            known.add(address)
            intake.session.add(Participant(ticket_id=ticket.id, email=address))


def _store_attachments(message: Message, parsed: ParsedMessage, store: FileStore, limit: int) -> None:
    for item in parsed.attachments:
        too_big = len(item.data) > limit
        digest = "" if too_big else store.put(item.data)
        message.attachments.append(AttachmentFile(
            filename=item.filename, content_type=item.content_type, size=len(item.data), sha256=digest,
            inline=item.inline, content_id=item.content_id,
            skipped=f"larger than the {limit}-byte limit" if too_big else ""))


def add_inbound(intake: Intake, config: Config, store: FileStore, ticket: Ticket, parsed: ParsedMessage,
                mailbox: str, raw_sha256: str, now: dt.datetime) -> Message:
    """Store a received mail on `ticket`, with its attachments, participants and thread keys."""
    session = intake.session
    message = Message(
        ticket_id=ticket.id, direction=Direction.INBOUND.value, message_id=parsed.message_id,
        in_reply_to=" ".join(parsed.in_reply_to), references=" ".join(parsed.references), mailbox=mailbox,
        sender=parsed.sender.email.lower() if parsed.sender else "",
        sender_name=parsed.sender.name if parsed.sender else "",
        recipients={"to": [a.email for a in parsed.to], "cc": [a.email for a in parsed.cc]},
        subject=stored_subject(parsed.subject), text=parsed.text, new_text=stored_new_text(parsed),
        quoted_text=parsed.quoted_text, signature=parsed.signature, html=parsed.html, headers=parsed.record_headers,
        raw_sha256=raw_sha256, auto=parsed.auto, auto_reason=parsed.auto_reason, delivery="",
        received_at=parsed.received, created_at=now)
    _store_attachments(message, parsed, store, config.storage.max_attachment_bytes)
    session.add(message)
    intake.threads.remember(ticket.id, parsed.message_id, [*parsed.in_reply_to, *reversed(parsed.references)])
    intake.stored_ids[parsed.message_id] = ticket.reference or ""
    _add_participants(intake, ticket, parsed.participants, config.our_addresses())
    ticket.updated_at = now
    if parsed.bounced_message_ids:  # the first is the returned mail's own Message-ID
        mark_bounced(session, parsed.bounced_message_ids[:1], parsed.auto_reason or "bounced")
    if not parsed.auto:
        ticket.last_customer_message_at = parsed.received
        if ticket.status in (Status.PENDING.value, Status.SOLVED.value, Status.CLOSED.value):
            set_status(session, ticket, Status.OPEN.value, now=parsed.received)
        events.record(session, ticket, events.CustomerMessage(parsed.message_id), parsed.received)
    return message


def stored_new_text(parsed: ParsedMessage) -> str:
    """The new text to store: '' when it is the whole of a text too long for quotes to be told
    apart (past WHOLE_TEXT_CHARS), as every reader shows `new_text or text`; a 40 MB mail is then
    not stored, sealed and written twice."""
    if len(parsed.text) > WHOLE_TEXT_CHARS and not parsed.quoted_text and not parsed.signature:
        return ""
    return parsed.new_text


def mark_bounced(session: Session, message_ids: Sequence[str], reason: str) -> int:
    """A bounce of our mail marks that outgoing message undelivered on its ticket."""
    result = session.execute(update(Message).where(Message.message_id.in_(list(message_ids)),
                                                   Message.direction == Direction.OUTBOUND.value)
                             .values(delivery="bounced", delivery_error=reason[:500]))
    return affected_rows(result) or 0


def recipients(session: Session, ticket: Ticket) -> list[str]:
    """Addresses copied on every reply to the ticket (the customer of a ticket merged into it)."""
    return list(session.scalars(select(Participant.email).where(Participant.ticket_id == ticket.id,
                                                                Participant.role == RECIPIENT)
                                .order_by(Participant.id)))


def reply(session: Session, config: Config, ticket: Ticket, author: User | None, text: str,
          now: dt.datetime, options: ReplyOptions = ReplyOptions(), store: FileStore | None = None) -> Message:
    """An agent's public reply, from the queue's mailbox: stored on the thread and queued for delivery
    in one transaction.

    The ticket's standing recipients are copied; its files are stored sealed in `store`; an
    unassigned ticket becomes the replying agent's."""
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    if customer is None or customer.erased_at is not None:
        raise Conflict(f"{ticket.reference} has no customer address to reply to")
    if options.files and store is None:
        raise Conflict("no file store to keep the reply's attachments in")
    named = {customer.email, *options.cc, *options.bcc}
    cc = (*options.cc, *(a for a in recipients(session, ticket) if a not in named))
    in_reply_to, references = thread_headers(session, ticket)
    from_name, from_address = config.sender(ticket.queue)
    out = Outgoing(kind="reply", mail_from=from_address, from_name=from_name, to=customer.email,
                   to_name=customer.name, subject=reply_subject(ticket.subject, ticket.reference or ""), text=text,
                   in_reply_to=in_reply_to, references=references, cc=cc, bcc=options.bcc, files=options.files)
    row = queue_mail(session, config, out, now, ticket=ticket, author_id=author.id if author else None,
                     hold_seconds=options.hold_seconds)
    message = row.message
    assert message is not None
    for item in options.files:
        message.attachments.append(AttachmentFile(
            filename=item.filename, content_type=item.content_type, size=len(item.data),
            sha256=store.put(item.data) if store else "", inline=False, content_id="", skipped=""))
    ThreadIndex(session).remember_own(ticket.id, message.message_id)
    ticket.first_reply_at = ticket.first_reply_at or now
    ticket.updated_at = now
    if author is not None and ticket.assignee_id is None:
        assign(session, ticket, author, author, now)
    events.record(session, ticket, events.PublicReply(message.message_id, ticket.status), now, _id(author))
    if options.status:
        set_status(session, ticket, options.status, now, author)
    return message


def undo_reply(session: Session, ticket: Ticket, message_id: int, actor: User | None, now: dt.datetime) -> str:
    """Take back a reply still inside its undo window: its mail never leaves, it leaves the thread,
    the reply clock runs again and the status it changed is put back. Returns its text."""
    message = session.scalar(select(Message).where(Message.id == message_id, Message.ticket_id == ticket.id,
                                                   Message.direction == Direction.OUTBOUND.value))
    if message is None:
        raise Conflict(f"no reply {message_id} on {ticket.reference} to undo")
    taken = session.execute(delete(Outbox).where(Outbox.message_id == message.id, Outbox.status == "pending",
                                                 Outbox.next_attempt_at > now))
    if not affected_rows(taken):
        raise Conflict("too late to undo: the reply has been handed to the mail server")
    sent = session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                    TicketEvent.kind == events.EventKind.PUBLIC_REPLY.value)
                          .order_by(TicketEvent.id.desc()).limit(1))
    before = sent.data.get("status_before", "") if sent and sent.data.get("message_id") == message.message_id else ""
    text = message.text
    session.execute(delete(ThreadKey).where(ThreadKey.message_id == message.message_id))
    for item in message.attachments:
        session.delete(item)
    session.delete(message)
    if ticket.first_reply_at == message.created_at:
        ticket.first_reply_at = session.scalar(
            select(Message.created_at).where(Message.ticket_id == ticket.id, Message.id != message.id,
                                             Message.direction == Direction.OUTBOUND.value,
                                             Message.auto.is_(False)).order_by(Message.created_at).limit(1))
    ticket.updated_at = now
    undone = events.ReplyUndone(message.message_id, message.created_at.isoformat())
    events.record(session, ticket, undone, now, _id(actor))
    if before in ALL_STATUSES:
        set_status(session, ticket, before, now, actor)
    return text


def add_note(session: Session, ticket: Ticket, author: User | None, text: str, now: dt.datetime) -> Message:
    """An internal note: on the thread for agents, never mailed."""
    note = Message(ticket_id=ticket.id, direction=Direction.NOTE.value,
                   message_id=f"<note-{uuid.uuid4().hex}@helpdesk.invalid>", sender=author.email if author else "",
                   text=text, new_text=text,
                   author_id=author.id if author else None, received_at=now, created_at=now)
    session.add(note)
    ticket.updated_at = now
    events.record(session, ticket, events.NoteAdded(), now, _id(author))
    return note


def assign(session: Session, ticket: Ticket, assignee: User | None, actor: User | None, now: dt.datetime) -> None:
    old = ticket.assignee_id
    ticket.assignee_id = assignee.id if assignee else None
    ticket.updated_at = now
    events.record(session, ticket, events.Assigned(old=old, new=ticket.assignee_id), now, _id(actor))


def set_status(session: Session, ticket: Ticket, status: str, now: dt.datetime, actor: User | None = None) -> None:
    """Change the status; solved and closed stamp their time, reopening clears it."""
    if status not in ALL_STATUSES:
        raise Conflict(f"unknown status {status!r}")
    old = ticket.status
    if old == status:
        return
    ticket.status = status
    ticket.updated_at = now
    kept = ticket.solved_at if status == Status.CLOSED.value else None
    ticket.solved_at = now if status == Status.SOLVED.value else kept
    ticket.closed_at = now if status == Status.CLOSED.value else None
    events.record(session, ticket, events.StatusChanged(old=old, new=status), now, _id(actor))


def _training_text(session: Session, ticket: Ticket) -> Message | None:
    return session.scalar(select(Message)
                          .where(Message.ticket_id == ticket.id, Message.direction == Direction.INBOUND.value)
                          .order_by(Message.received_at, Message.id).limit(1))


def _teach(session: Session, ticket: Ticket, queue: str, actor: User | None, now: dt.datetime) -> None:
    """Keep the ticket's first mail with the queue an agent chose, as training data for the router."""
    first = _training_text(session, ticket)
    session.add(RouteCorrection(ticket_id=ticket.id, mailbox=ticket.mailbox, from_queue=ticket.queue, to_queue=queue,
                                subject=ticket.subject, text=first.new_text or first.text if first else "",
                                user_id=actor.id if actor else None, created_at=now))


def reroute(session: Session, config: Config, ticket: Ticket, queue: str, actor: User | None, now: dt.datetime) -> None:
    """Move the ticket to another queue; the correction is kept to teach the router."""
    if queue not in config.queues:
        raise Conflict(f"unknown queue {queue!r}")
    old = ticket.queue
    if old == queue:
        return confirm_queue(session, ticket, actor, now)
    _teach(session, ticket, queue, actor, now)
    ticket.queue, ticket.queue_confirmed, ticket.updated_at = queue, True, now
    events.record(session, ticket, events.Rerouted(old=old, new=queue), now, _id(actor))


def confirm_queue(session: Session, ticket: Ticket, actor: User | None, now: dt.datetime) -> None:
    """An agent agrees with the queue: a complaint's triage is done (policy section 5). For a ticket
    the router was unsure of, that agreement is a label too, and teaches it."""
    if ticket.queue_confirmed:
        return
    if ticket.unsure:
        _teach(session, ticket, ticket.queue, actor, now)
    ticket.queue_confirmed, ticket.updated_at = True, now
    events.record(session, ticket, events.QueueConfirmed(ticket.queue), now, _id(actor))


def mark_return_inspected(session: Session, ticket: Ticket, passed: bool, actor: User | None, now: dt.datetime) -> None:
    """Returned goods passed (or failed) inspection: a pass starts the 5-10 working-day refund clock."""
    events.record(session, ticket, events.ReturnInspected(passed), now, _id(actor))


def mark_refund_completed(session: Session, ticket: Ticket, actor: User | None, now: dt.datetime) -> None:
    events.record(session, ticket, events.RefundCompleted(), now, _id(actor))


def merge(session: Session, source: Ticket, target: Ticket, actor: User | None, now: dt.datetime) -> None:
    """Move every message of `source` onto `target`; `source` is closed and forwards future mail."""
    if source.id == target.id:
        raise Conflict("a ticket cannot be merged into itself")
    if target.merged_into_id is not None:
        raise Conflict(f"{target.reference} was itself merged; merge into {target.merged_into_id} instead")
    session.execute(update(Message).where(Message.ticket_id == source.id).values(ticket_id=target.id))
    session.execute(update(ThreadKey).where(ThreadKey.ticket_id == source.id).values(ticket_id=target.id))
    known = set(session.scalars(select(Participant.email).where(Participant.ticket_id == target.id)))
    for participant in session.scalars(select(Participant).where(Participant.ticket_id == source.id)):
        if participant.email not in known:
            session.add(Participant(ticket_id=target.id, email=participant.email, role=participant.role))
    extra = [n for n in source.order_numbers.split() if n not in target.order_numbers.split()]
    target.order_numbers = " ".join(target.order_numbers.split() + extra)
    _keep_other_customer(session, source, target)
    source.merged_into_id = target.id
    target.updated_at = now
    set_status(session, source, Status.CLOSED.value, now, actor)
    events.record(session, source, events.Merged(target.reference or ""), now, _id(actor))
    events.record(session, target, events.MergedFrom(source.reference or ""), now, _id(actor))


def _keep_other_customer(session: Session, source: Ticket, target: Ticket) -> None:
    """A merged-away ticket's customer, if not the target's own, is copied on the target's replies."""
    if source.customer_id is None or source.customer_id == target.customer_id:
        return
    email = session.scalar(select(Customer.email).where(Customer.id == source.customer_id,
                                                        Customer.erased_at.is_(None)))
    if not email:
        return
    session.flush()
    known = session.scalar(select(Participant).where(Participant.ticket_id == target.id, Participant.email == email))
    if known is None:
        session.add(Participant(ticket_id=target.id, email=email, role=RECIPIENT))
    else:
        known.role = RECIPIENT


def retryable(row: Outbox, now: dt.datetime) -> bool:
    """Pending or failed mail, or mail whose sender's claim expired before it recorded an outcome."""
    return row.status in ("pending", "failed") or (row.status == "sending" and row.next_attempt_at <= now)


def retry_delivery(session: Session, row: Outbox, actor: User | None, now: dt.datetime) -> None:
    """Send a pending or failed mail at the sender's next pass; a failed one gets fresh attempts. A mail
    left 'sending' by a sender that died (its claim expired) may be retried too."""
    if not retryable(row, now):
        raise Conflict(f"outbox mail {row.id} is {row.status}; only pending, failed or stranded mail can be retried")
    if row.status == "failed":
        row.attempts = 0
    row.status, row.next_attempt_at = "pending", now
    message = session.get(Message, row.message_id) if row.message_id else None
    if message is not None:
        message.delivery, message.delivery_error = "queued", ""
    ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
    if ticket is not None:
        events.record(session, ticket, events.DeliveryRetried(row.id), now, _id(actor))
