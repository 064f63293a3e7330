"""What a batch of incoming mail needs from the database, fetched once per batch.

Ingestion stores a batch of messages with one flush: the Message-IDs already stored, the thread
keys they name and the customers who sent them are read in three queries up front, and every message
stored later in the batch is added to these maps as it goes, so a reply in the same batch as its
original still finds it. New tickets get their ids from `TicketNumbers` before they are written, so
their references (`HD-<id>`) exist at once, for the acknowledgement, without a flush per ticket.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from tickets import row_ids
from tickets.models import Customer, CustomerAlias, Message, Participant, ThreadKey, Ticket

EARLIER_TICKETS = 3  # how many of a sender's latest tickets the router is told about


def register_customers(session: Session, senders: Iterable[tuple[str, str]], now: dt.datetime) -> None:
    """On PostgreSQL, create a batch's new senders (email, name) as customers up front: sorted, and
    committed at once in a short transaction of their own (a customer row outlives a failed batch).

    Otherwise two processes ingesting at once (pollers on several hosts, LMTP) that both meet a new
    customer collide on the unique email: the second waits until the first's whole batch commits,
    then fails its batch, or they deadlock. SQLite has one writer at a time and needs none of this.
    """
    bind = session.get_bind()
    names: dict[str, str] = {}
    for email, name in senders:
        if email:
            names[email.lower()] = names.get(email.lower()) or name
    if bind.dialect.name != "postgresql" or not names:
        return
    with bind.engine.begin() as connection:
        known = set(connection.scalars(select(Customer.email).where(Customer.email.in_(list(names)))))
        known |= set(connection.scalars(select(CustomerAlias.email).where(CustomerAlias.email.in_(list(names)))))
        new = sorted(set(names) - known)
        if new:
            connection.execute(pg_insert(Customer).values([{"email": e, "name": names[e], "created_at": now}
                                                           for e in new])
                               .on_conflict_do_nothing(index_elements=[Customer.email]))


def claim_threads(session: Session, message_ids: Iterable[str]) -> None:
    """On PostgreSQL, hold a transaction lock on every Message-ID a batch names (its own and those it
    replies to) before reading what is stored under them.

    Two processes whose batches share a conversation then take turns: the second waits for the first
    to commit and reads its tickets and thread keys, instead of both inserting the same key, failing,
    and retrying, or deadlocking. The locks are taken in one sorted order, so batches cannot wait on
    each other in a circle. SQLite has one writer at a time and needs none of this.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({int.from_bytes(hashlib.blake2b(i.encode(), digest_size=8).digest(), "big", signed=True)
                   for i in message_ids if i})
    if keys:
        session.execute(text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"),
                        {"keys": keys})


class TicketNumbers:
    """Ticket ids handed out before insert: PostgreSQL's sequence, or SQLite's next rowid (`row_ids`)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def take(self) -> int:
        if self.dialect == "postgresql":
            next_id = text("SELECT nextval(pg_get_serial_sequence('tickets', 'id'))")
            return int(self.session.execute(next_id).scalar_one())
        return row_ids.take(self.session, Ticket.__table__)


@dataclass
class ThreadIndex:
    """Thread keys (Message-ID -> ticket id, stored?) for a batch, read once and kept current."""

    session: Session
    keys: dict[str, tuple[int, bool]] = field(default_factory=dict)
    loaded: set[str] = field(default_factory=set)

    def load(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i and i not in self.loaded]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.session.execute(select(ThreadKey.message_id, ThreadKey.ticket_id, ThreadKey.stored)
                                        .where(ThreadKey.message_id.in_(chunk)))
            self.keys.update({key: (ticket_id, stored) for key, ticket_id, stored in rows})
            self.loaded.update(chunk)

    def ticket_for(self, own_id: str, referenced: Iterable[str]) -> int | None:
        """The nearest stored reference wins; or an earlier message referenced this one's own ID."""
        wanted = [own_id, *referenced]
        self.load(wanted)
        for key in wanted:
            found = self.keys.get(key)
            if found is not None and (found[1] or key == own_id):
                return found[0]
        return None

    def remember(self, ticket_id: int, own_id: str, referenced: Iterable[str]) -> None:
        """Record this message's ID as stored and the IDs it names, in the session and the index."""
        wanted = list(dict.fromkeys([own_id, *referenced]))
        self.load(wanted)
        for key in wanted:
            if key == own_id and key in self.keys:
                row = self.session.get(ThreadKey, key)
                if row is not None:
                    row.stored, row.ticket_id = True, ticket_id
                self.keys[key] = (ticket_id, True)
            elif key not in self.keys:
                self.session.add(ThreadKey(message_id=key, ticket_id=ticket_id, stored=key == own_id))
                self.keys[key] = (ticket_id, key == own_id)

    def remember_own(self, ticket_id: int, own_id: str) -> None:
        """Record a Message-ID this helpdesk has just made up: it names no earlier mail, so no lookup
        (whose autoflush would flush the half-made reply once more before the request's own flush)."""
        self.session.add(ThreadKey(message_id=own_id, ticket_id=ticket_id, stored=True))
        self.keys[own_id] = (ticket_id, True)
        self.loaded.add(own_id)

    def forward(self, old_ticket: int, new_ticket: int) -> None:
        """After a merge the old ticket's keys lead to the survivor."""
        self.keys = {k: ((new_ticket, s) if t == old_ticket else (t, s)) for k, (t, s) in self.keys.items()}


@dataclass
class Intake:
    """The per-batch read caches of ingestion, shared by the domain operations it calls."""

    session: Session
    threads: ThreadIndex
    numbers: TicketNumbers
    stored_ids: dict[str, str] = field(default_factory=dict)
    checked_ids: set[str] = field(default_factory=set)
    customers: dict[str, Customer] = field(default_factory=dict)
    loaded_customers: set[str] = field(default_factory=set)
    participants: dict[int, set[str]] = field(default_factory=dict)
    tickets: dict[int, Ticket] = field(default_factory=dict)
    earlier: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def start(cls, session: Session) -> Intake:
        return cls(session, ThreadIndex(session), TicketNumbers(session))

    def load_stored(self, message_ids: Iterable[str]) -> None:
        """Which of these Message-IDs are stored already, and on which ticket (by reference)."""
        wanted = [i for i in dict.fromkeys(message_ids) if i not in self.checked_ids]
        self.checked_ids.update(wanted)
        for start in range(0, len(wanted), 500):
            rows = self.session.execute(select(Message.message_id, Ticket.reference)
                                        .join(Ticket, Message.ticket_id == Ticket.id)
                                        .where(Message.message_id.in_(wanted[start:start + 500])))
            self.stored_ids.update({mid: ref or "" for mid, ref in rows})

    def ticket(self, ticket_id: int) -> Ticket | None:
        """A ticket by id, including one opened earlier in this batch and not yet flushed."""
        if ticket_id not in self.tickets:
            found = self.session.get(Ticket, ticket_id)
            if found is None:
                return None
            self.tickets[ticket_id] = found
        return self.tickets[ticket_id]

    def participants_of(self, ticket_id: int) -> set[str]:
        """The addresses that took part in a ticket (read once; kept current by `add_inbound`)."""
        if ticket_id not in self.participants:
            self.participants[ticket_id] = set(self.session.scalars(
                select(Participant.email).where(Participant.ticket_id == ticket_id)))
        return self.participants[ticket_id]

    def load_customers(self, emails: Iterable[str]) -> None:
        """The customers of these addresses, by their contact email or an address they corrected away from."""
        wanted = [e for e in dict.fromkeys(e.lower() for e in emails if e) if e not in self.loaded_customers]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            self.customers.update({c.email: c for c in self.session.scalars(select(Customer)
                                                                         .where(Customer.email.in_(chunk)))})
            self.customers.update({email: customer for email, customer in self.session.execute(
                select(CustomerAlias.email, Customer).join(Customer, Customer.id == CustomerAlias.customer_id)
                .where(CustomerAlias.email.in_(chunk)))})
            self.loaded_customers.update(chunk)

    def load_earlier(self, emails: Iterable[str]) -> None:
        """The queues of each sender's latest human tickets, newest first: the router reads them."""
        wanted = [e for e in dict.fromkeys(e.lower() for e in emails if e) if e not in self.earlier]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            newest = func.row_number().over(partition_by=Ticket.customer_id, order_by=Ticket.id.desc())
            ranked = (select(Customer.email, Ticket.queue, newest.label("rank"))
                      .join(Ticket, Ticket.customer_id == Customer.id)
                      .where(Customer.email.in_(chunk), Ticket.auto.is_(False), Ticket.merged_into_id.is_(None))
                      .subquery())
            found: dict[str, list[str]] = {email: [] for email in chunk}
            for email, queue, _rank in self.session.execute(select(ranked).where(ranked.c.rank <= EARLIER_TICKETS)
                                                            .order_by(ranked.c.email, ranked.c.rank)):
                found[email].append(queue)
            self.earlier.update({email: tuple(queues) for email, queues in found.items()})

    def earlier_queues(self, email: str) -> tuple[str, ...]:
        """The queues of this sender's latest tickets (read once per batch)."""
        if not email:
            return ()
        self.load_earlier([email])
        return self.earlier.get(email.lower(), ())
