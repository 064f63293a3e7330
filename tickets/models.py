"""SQLAlchemy 2 models: every table the helpdesk keeps.

Datetimes are stored as naive UTC and returned timezone-aware (`UTCDateTime`), so SQLite and
PostgreSQL behave alike. Each index serves a named query; none is speculative.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tickets.crypto import EncryptedBytes, EncryptedJSON, EncryptedText


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, naive UTC in the column."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}
    # Every model maps a plain Table (none maps a join or subquery), so type it as one for
    # delete(), insert() and Table-taking helpers; the SQLAlchemy maintainers suggest this
    # (sqlalchemy/sqlalchemy#9130).
    __table__: ClassVar[Table]


class Status(str, enum.Enum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    CLOSED = "closed"


class Direction(str, enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class Role(str, enum.Enum):
    AGENT = "agent"
    MANAGER = "manager"
    ADMIN = "admin"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(EncryptedText, default="")
    address: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[dt.datetime]
    erased_at: Mapped[dt.datetime | None]


class CustomerAlias(Base):
    """An address a customer corrected away from: their mail from it is still theirs (Privacy Policy 000 s5)."""

    __tablename__ = "customer_aliases"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[dt.datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.AGENT.value)
    queues: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]

    @property
    def queue_list(self) -> list[str]:
        return [q for q in self.queues.split(",") if q]


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # The lists' keyset pages; with next_warn, the overview's counts from the index alone.
        Index("ix_tickets_queue_status_deadline", "queue", "status", "next_deadline", "id", "next_warn"),
        Index("ix_tickets_status_closed", "status", "closed_at"),
        # SLA reports (sla.reports.queries): received, first replied and resolved within a period.
        Index("ix_tickets_created", "created_at"),
        Index("ix_tickets_updated", "updated_at"),  # retention: tickets untouched for the period
        Index("ix_tickets_first_reply", "first_reply_at"),
        Index("ix_tickets_resolved", text("coalesce(solved_at, closed_at)")),
        # The console's triage view and its count: open tickets no agent has placed yet.
        Index("ix_tickets_unplaced", "queue_confirmed", "unsure", "status", "queue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    queue: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW.value)
    mailbox: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    order_numbers: Mapped[str] = mapped_column(Text, default="")
    routing_reasons: Mapped[list[Any]] = mapped_column(default=list)
    queue_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The router was unsure where the ticket belongs (routing/classify.py): it opened in its mailbox's
    # default queue for an agent to place, and its acknowledgement promised only what every queue of
    # that mailbox keeps. Stays set once the agent has placed it (queue_confirmed).
    unsure: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    linked_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    next_deadline: Mapped[dt.datetime | None]
    next_warn: Mapped[dt.datetime | None]  # the earliest warning of the running clocks (sla.clocks keeps both)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    last_customer_message_at: Mapped[dt.datetime | None]
    first_reply_at: Mapped[dt.datetime | None]
    solved_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    anonymised_at: Mapped[dt.datetime | None]

    customer: Mapped[Customer | None] = relationship()
    assignee: Mapped[User | None] = relationship()


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_ticket_received", "ticket_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    ticket: Mapped[Ticket] = relationship()  # orders the flush: the ticket row is written first
    direction: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    in_reply_to: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[str] = mapped_column(Text, default="")
    mailbox: Mapped[str] = mapped_column(String(64), default="")
    sender: Mapped[str] = mapped_column(Text, default="")
    sender_name: Mapped[str] = mapped_column(EncryptedText, default="")
    recipients: Mapped[dict[str, Any]] = mapped_column(default=dict)
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(EncryptedText, default="")
    new_text: Mapped[str] = mapped_column(EncryptedText, default="")
    quoted_text: Mapped[str] = mapped_column(EncryptedText, default="")
    signature: Mapped[str] = mapped_column(EncryptedText, default="")
    html: Mapped[str] = mapped_column(EncryptedText, default="")
    headers: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)
    raw_sha256: Mapped[str] = mapped_column(String(64), default="")
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delivery: Mapped[str] = mapped_column(String(16), default="")
    delivery_error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]

    attachments: Mapped[list[AttachmentFile]] = relationship(back_populates="message", order_by="AttachmentFile.id")


class ThreadKey(Base):
    """Every Message-ID we stored or saw referenced, pointing at its ticket.

    One indexed lookup threads a reply to a stored message, and also a message that an earlier
    reply already referenced (replies can arrive before their original, docs/architecture.md).
    """

    __tablename__ = "thread_keys"

    message_id: Mapped[str] = mapped_column(String(998), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    stored: Mapped[bool] = mapped_column(Boolean, default=False)

    ticket: Mapped[Ticket] = relationship()  # orders the flush: the ticket row is written first


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("ticket_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(16), default="cc")

    ticket: Mapped[Ticket] = relationship()  # orders the flush: the ticket row is written first


class AttachmentFile(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(255), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    content_id: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[str] = mapped_column(Text, default="")

    message: Mapped[Message] = relationship(back_populates="attachments")


class TicketEvent(Base):
    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    ticket: Mapped[Ticket] = relationship()  # orders the flush: the ticket row is written first


class Quarantine(Base):
    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(32))
    error: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(EncryptedBytes)  # masked; only the start of an oversize mail
    size: Mapped[int | None] = mapped_column(BigInteger)  # of the whole mail as it arrived
    status: Mapped[str] = mapped_column(String(16), default="held", index=True)
    created_at: Mapped[dt.datetime]


class MailboxState(Base):
    __tablename__ = "mailbox_state"

    mailbox: Mapped[str] = mapped_column(String(64), primary_key=True)
    uidvalidity: Mapped[int | None] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    last_success_at: Mapped[dt.datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[dt.datetime | None]
    backlog: Mapped[int] = mapped_column(Integer, default=0)


class Outbox(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_kind_rcpt_created", "kind", "rcpt", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    mail_from: Mapped[str] = mapped_column(String(320))
    rcpt: Mapped[str] = mapped_column(String(320))
    more_rcpts: Mapped[list[str]] = mapped_column(JSON, default=list)  # Cc and Bcc: the envelope's other addresses
    raw: Mapped[bytes] = mapped_column(EncryptedBytes)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str] = mapped_column(String(128), default="")
    sent_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]

    message: Mapped[Message | None] = relationship()
    ticket: Mapped[Ticket | None] = relationship()  # orders the flush: the ticket row is written first


class SlaClock(Base):
    __tablename__ = "sla_clocks"
    __table_args__ = (
        Index("ix_sla_clocks_running_warn", "running", "state", "warn_at"),
        Index("ix_sla_clocks_running_due", "running", "state", "due_at"),
        Index("ix_sla_clocks_ticket_kind", "ticket_id", "kind"),
        Index("ix_sla_clocks_state_stopped", "state", "stopped_at"),  # SLA reports: met or missed in a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(16))
    target_working_days: Mapped[float] = mapped_column(Float)
    started_at: Mapped[dt.datetime]
    warn_at: Mapped[dt.datetime | None]
    due_at: Mapped[dt.datetime | None]
    running: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(16), default="ok")
    paused_at: Mapped[dt.datetime | None]
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    stopped_at: Mapped[dt.datetime | None]

    ticket: Mapped[Ticket] = relationship()  # orders the flush: the ticket row is written first


class RouteCorrection(Base):
    """An agent's re-route: training data for the router (docs/policies.md)."""

    __tablename__ = "route_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    mailbox: Mapped[str] = mapped_column(String(64), default="")
    from_queue: Mapped[str] = mapped_column(String(64))
    to_queue: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(EncryptedText, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]


class AuditEvent(Base):
    """Append-only: rows are inserted, never updated or deleted (Privacy Policy, trace every access)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_actor_action", "actor", "action"),  # sign-in: has this account come from here before
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    address: Mapped[str] = mapped_column(String(64), default="")


class SearchDocument(Base):
    """The text a ticket's search-index entry was built from, sealed (`tickets.search_feed`).

    SQLite's FTS5 keeps only terms (a contentless table) and can drop a document only when given
    the exact text it indexed; this is that text, encrypted like the columns it came from.
    """

    __tablename__ = "search_documents"

    ticket_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    fields: Mapped[list[Any]] = mapped_column(EncryptedJSON, default=list)


class Lease(Base):
    """Which process runs a singleton job (a mailbox poller, the scheduler) until `expires_at`."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[dt.datetime]


class Presence(Base):
    """Who has a ticket open in the console, and whether they are writing (collision detection).

    A table rather than process memory, so console workers under gunicorn see each other's agents.
    """

    __tablename__ = "presence"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    activity: Mapped[str] = mapped_column(String(16), default="viewing")
    seen_at: Mapped[dt.datetime]


class ConsoleSession(Base):
    """A signed-in console session. The browser's cookie holds a random token; only its SHA-256 is
    kept here, so a copy of the database signs nobody in. Deleting the rows of a user ends every
    session of that user at once (sign-out, new password, deactivation)."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime]
    seen_at: Mapped[dt.datetime]


class SignInCount(Base):
    """Sign-in attempts counted per key (an address, an account at an address, an account from
    unfamiliar addresses) in a window starting at the first attempt (`web.sign_in_limit`)."""

    __tablename__ = "sign_in_counts"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    window_start: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class ReplyDraft(Base):
    """What an agent has typed in a ticket's reply box and not sent: on the server, so it survives
    navigation, a closed tab and another computer. Sealed like the messages it becomes."""

    __tablename__ = "reply_drafts"
    __table_args__ = (UniqueConstraint("ticket_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # one column, as key rotation pages by it
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(EncryptedText, default="")
    cc: Mapped[str] = mapped_column(EncryptedText, default="")
    bcc: Mapped[str] = mapped_column(EncryptedText, default="")
    saved_at: Mapped[dt.datetime]


class ReportState(Base):
    """Which calendar the stored report figures (`report_hours`, `report_tickets`, `report_clocks`)
    were computed with, and the UTC days `report_hours` covers (`sla.reports.figures`)."""

    __tablename__ = "report_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    calendar: Mapped[str] = mapped_column(Text)
    first_day: Mapped[int] = mapped_column(Integer)
    last_day: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[dt.datetime]


class ReportHours(Base):
    """Business time per UTC day (`sla.reports.business_days`): business seconds since 2000-01-01 at the day's
    start, the day's business intervals (epoch seconds; empty ones pad to four) and the shop's
    local date before and after the local midnight inside the day."""

    __tablename__ = "report_hours"

    day: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    base: Mapped[float] = mapped_column(Float)
    lo0: Mapped[float] = mapped_column(Float)
    hi0: Mapped[float] = mapped_column(Float)
    lo1: Mapped[float] = mapped_column(Float)
    hi1: Mapped[float] = mapped_column(Float)
    lo2: Mapped[float] = mapped_column(Float)
    hi2: Mapped[float] = mapped_column(Float)
    lo3: Mapped[float] = mapped_column(Float)
    hi3: Mapped[float] = mapped_column(Float)
    date_before: Mapped[int] = mapped_column(Integer)
    date_split: Mapped[float] = mapped_column(Float)
    date_after: Mapped[int] = mapped_column(Integer)


class ReportTicket(Base):
    """A reported ticket's figures, derived from it (`sla.reports.figures`): its current queue and
    assignee, the shop's dates it arrived, was first answered and resolved, and those times in
    business minutes. Derived data: no foreign keys, rebuilt at will.

    Each duration has an index by date, for a short period, and two for a long one, read whole in
    GROUP BY order: by queue, then minutes, and by assignee, then minutes (`sla.reports.queries`).
    """

    __tablename__ = "report_tickets"
    __table_args__ = (
        Index("ix_report_tickets_replied", "replied_on"),
        Index("ix_report_tickets_resolved", "resolved_on"),
        Index("ix_report_tickets_replied_queue", "queue", "first_reply_minutes", "assignee_id", "replied_on"),
        Index("ix_report_tickets_replied_agent", "assignee_id", "first_reply_minutes", "queue", "replied_on"),
        Index("ix_report_tickets_resolved_queue", "queue", "resolution_minutes", "assignee_id", "resolved_on"),
        Index("ix_report_tickets_resolved_agent", "assignee_id", "resolution_minutes", "queue", "resolved_on"),
    )

    ticket_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    queue: Mapped[str] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    received_on: Mapped[int] = mapped_column(Integer)
    replied_on: Mapped[int | None] = mapped_column(Integer)
    first_reply_minutes: Mapped[int | None] = mapped_column(Integer)
    resolved_on: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)


class ReportClock(Base):
    """A stopped SLA clock of a reported ticket, with the ticket's current queue and assignee: met or
    missed, stopped by its warning or not, the shop's date it stopped, and by how many business
    seconds it missed its deadline (`sla.reports.figures`). Derived data, like `ReportTicket`."""

    __tablename__ = "report_clocks"
    __table_args__ = (
        Index("ix_report_clocks_ticket", "ticket_id"),
        Index("ix_report_clocks_stopped", "stopped_on"),
        Index("ix_report_clocks_late", "late_seconds"),
    )

    clock_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    ticket_id: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    early: Mapped[bool] = mapped_column(Boolean)
    stopped_on: Mapped[int] = mapped_column(Integer)
    late_seconds: Mapped[float | None] = mapped_column(Float)


class ReportDaily(Base):
    """Per shop date, queue and assignee: tickets received and clocks stopped, by kind and outcome
    (`sla.reports.daily_counts`). Writers append differences, so none waits on another's row; the
    `report-facts` job sums each date's rows into one per queue and assignee."""

    __tablename__ = "report_daily"
    __table_args__ = (Index("ix_report_daily_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer)
    reply_met: Mapped[int] = mapped_column(Integer)
    reply_missed: Mapped[int] = mapped_column(Integer)
    triage_met: Mapped[int] = mapped_column(Integer)
    triage_missed: Mapped[int] = mapped_column(Integer)
    resolution_met: Mapped[int] = mapped_column(Integer)
    resolution_missed: Mapped[int] = mapped_column(Integer)
    refund_early: Mapped[int] = mapped_column(Integer)
    refund_at_risk: Mapped[int] = mapped_column(Integer)
    refund_missed: Mapped[int] = mapped_column(Integer)
