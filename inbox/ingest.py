"""The ingestion pipeline: raw bytes in, each message stored whole or quarantined.

The steps, in order, are the two tuples below (Mailman's pipelines): `BEFORE_DATABASE` runs for a
whole batch first (size, mask, parse: no database needed), then `IN_DATABASE` for each message in
the batch's transaction (dedupe, thread, route, store, start clocks, acknowledge). The batch is
then flushed once, and the flush runs the two steps every writer shares, which `services` attaches
to its sessionmakers: index for search (`tickets.search_feed`) and report figures
(`sla.reports.figures_feed`). docs/architecture.md tells the life of a message through them.

A step that fails raises, and the message is quarantined with its raw (masked) bytes and the name
of the step, never lost; the batch goes on. Acknowledging is the exception: the customer's mail
is stored whatever happens to the acknowledgement, and a failed one is kept as a failed outbox row
with its error. The caller owns the transaction: a batch and its checkpoint (an IMAP UID, an LMTP
answer) commit together, so nothing read is ever lost or stored twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from inbox.cardsafe import Unmaskable, mask_bytes_as_text, mask_raw_safely, parse_masked
from inbox.threadkeys import find_tags
from tickets.clock import Clock
from tickets.config import Config
from tickets.decision import Decision
from tickets.errors import ConfigError
from tickets.intake import Intake, claim_threads, register_customers
from tickets.mail import ParsedMessage
from tickets.models import Outbox, Quarantine, Status, Ticket
from tickets.notify import notify_staff
from tickets.operations import add_inbound, open_ticket
from tickets.storage import FileStore
from tickets.thread_match import ThreadMatch, find_thread

log = logging.getLogger(__name__)

OVERSIZE_PREFIX = 64 * 1024  # of an oversize mail's body (and header block), kept masked in the quarantine
STATUSES = ("created", "threaded", "duplicate", "auto", "quarantined")


@dataclass(frozen=True)
class RawMail:
    """Bytes as they arrived, where from, the server's receipt time if it gave one, and the SMTP
    envelope sender if the mail came with one ('' for the null sender `<>`: LMTP, an mbox line)."""

    data: bytes
    source: str
    received: dt.datetime | None = None
    envelope_sender: str | None = None
    size: int | None = None  # the whole mail's size when `data` is only its start (oversize IMAP mail)


@dataclass(frozen=True)
class Outcome:
    """What became of one message: `ticket` is the reference it is on (None if quarantined)."""

    source: str
    message_id: str | None
    ticket: str | None
    status: str
    error: str = ""


class Router(Protocol):
    def decide(self, parsed: ParsedMessage, mailbox: str, earlier: tuple[str, ...] = ()) -> Decision: ...


class Clocks(Protocol):
    def start_for_mail(self, session: Session, ticket: Ticket, created: bool, at: dt.datetime) -> None: ...


Acknowledge = Callable[[Session, Ticket, ParsedMessage, dt.datetime], None]


class MailboxDefaults:
    """Routing without a classifier: auto mail to `auto`, the rest to the mailbox's queue."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def decide(self, parsed: ParsedMessage, mailbox: str, earlier: tuple[str, ...] = ()) -> Decision:
        if parsed.auto:
            return Decision("auto", auto=True, reasons=(f"auto mail: {parsed.auto_reason}",))
        queue = self.config.mailbox(mailbox).default_queue
        return Decision(queue, reasons=(f"mailbox {mailbox} default",))


@dataclass
class InFlight:
    """One message on its way through the steps; a step that settles it sets `outcome`."""

    mail: RawMail
    mailbox: str
    masked: bytes = b""
    parsed: ParsedMessage | None = None
    failed: StepFailed | None = None
    match: ThreadMatch | None = None
    decision: Decision | None = None
    ticket: Ticket | None = None
    created: bool = False
    reopened: bool = False
    outcome: Outcome | None = None

    @property
    def message(self) -> ParsedMessage:
        assert self.parsed is not None
        return self.parsed


class StepFailed(Exception):
    """A step raised; `step` names it in the quarantine record."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.step = step


@dataclass
class Batch:
    """What the database steps share: the batch's read caches and its moment."""

    intake: Intake
    now: dt.datetime
    acknowledge: bool = True  # False for `helpdesk ingest --no-ack`: an archive's customers are not mailed
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = self.intake.session


FileStep = tuple[str, Callable[["Ingestor", InFlight, dt.datetime], None]]
DatabaseStep = tuple[str, Callable[["Ingestor", InFlight, Batch], None]]


class Ingestor:
    """Stores mail for one configuration, through the steps below."""

    def __init__(self, config: Config, store: FileStore, clock: Clock, router: Router | None = None,
                 clocks: Clocks | None = None, acknowledge: Acknowledge | None = None) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.router: Router = router or MailboxDefaults(config)
        self.clocks = clocks
        self.acknowledge = acknowledge
        try:
            self.store.make_folders()
        except OSError as exc:
            raise ConfigError(f"{config.source}: storage.path {config.storage.path!r} cannot be written "
                              f"({exc.strerror or exc})") from None
        self.ours = config.our_addresses()

    # The steps before the database, for the whole batch.

    def check_size(self, item: InFlight, _now: dt.datetime) -> None:
        limit, size = self.config.storage.max_message_bytes, item.mail.size or len(item.mail.data)
        if size > limit:
            item.masked = oversize_copy(item.mail.data)
            kept = f" (kept: its header and first {len(item.masked)} bytes, masked)"
            raise ValueError(f"message of {size} bytes is over the {limit}-byte limit{kept}")

    def mask(self, item: InFlight, _now: dt.datetime) -> None:
        """No full card number is ever written: the raw copy is masked before anything else."""
        item.masked = mask_raw_safely(item.mail.data)

    def parse(self, item: InFlight, now: dt.datetime) -> None:
        """Parse the masked copy; a card the byte masker missed in a decoded form is masked there
        (inbox.cardsafe), and a mail that cannot be masked with certainty is quarantined masked."""
        try:
            item.masked, item.parsed = parse_masked(item.masked, now=now, our_addresses=self.ours,
                                                    received=item.mail.received,
                                                    envelope_sender=item.mail.envelope_sender)
        except Unmaskable as exc:
            item.masked = exc.masked
            raise

    # The steps in the database, message by message.

    def dedupe(self, item: InFlight, batch: Batch) -> None:
        """A Message-ID stored already (the same mail in two mailboxes, a re-import) is not stored twice."""
        message_id = item.message.message_id
        batch.intake.load_stored([message_id])
        known = batch.intake.stored_ids.get(message_id)
        if known is not None:
            item.outcome = Outcome(item.mail.source, message_id, known, "duplicate")

    def thread(self, item: InFlight, batch: Batch) -> None:
        parsed = item.message
        referenced = [*parsed.in_reply_to, *reversed(parsed.references), *parsed.bounced_message_ids]
        tags = find_tags(parsed.subject, self.config.tickets.reference_prefix)
        sender = parsed.sender.email if parsed.sender else ""
        match = find_thread(batch.intake, parsed.message_id, referenced, tags, sender)
        if match.ticket is not None and not parsed.auto and self._closed_long_ago(match.ticket, parsed.received):
            match = ThreadMatch(None, linked=match.ticket, how="after-close")
        item.match, item.ticket = match, match.ticket

    def _closed_long_ago(self, ticket: Ticket, received: dt.datetime) -> bool:
        """Closed more than `[tickets] reopen_within_days` before this mail: it opens a follow-up ticket."""
        closed = ticket.closed_at
        if ticket.status != Status.CLOSED.value or closed is None:
            return False
        return received - closed > dt.timedelta(days=self.config.tickets.reopen_within_days)

    def route(self, item: InFlight, batch: Batch) -> None:
        """A mail that opens a ticket gets its queue; the sender's earlier tickets are a signal."""
        if item.ticket is None and item.match is not None and item.match.how == "after-close":
            closed = item.match.linked
            assert closed is not None
            item.decision = Decision(closed.queue, reasons=(f"follow-up to {closed.reference}, closed",))
        elif item.ticket is None:
            sender = item.message.sender.email if item.message.sender and not item.message.auto else ""
            earlier = batch.intake.earlier_queues(sender) if sender else ()
            item.decision = self.router.decide(item.message, item.mailbox, earlier)

    def store_mail(self, item: InFlight, batch: Batch) -> None:
        """The raw copy (sealed) to the file store; a new ticket if threading found none; the message."""
        raw_sha = self.store.put(item.masked)
        if item.ticket is None:
            assert item.decision is not None and item.match is not None
            item.ticket = open_ticket(batch.intake, self.config, item.message, item.mailbox, item.decision,
                                      batch.now, item.match.linked)
            item.created = True
        item.reopened = item.ticket.status == Status.CLOSED.value and not item.message.auto
        add_inbound(batch.intake, self.config, self.store, item.ticket, item.message, item.mailbox, raw_sha,
                    batch.now)

    def start_clocks(self, item: InFlight, batch: Batch) -> None:
        """A new ticket's triage and resolution clocks, and a reply clock for each customer mail."""
        if self.clocks is not None and item.ticket is not None and not item.message.auto:
            self.clocks.start_for_mail(batch.session, item.ticket, item.created, item.message.received)

    def notify_staff(self, item: InFlight, batch: Batch) -> None:
        """A customer writing again after a ticket was closed is news to its people: tell them."""
        ticket, match = item.ticket, item.match
        if ticket is None or match is None or not (item.reopened or match.how == "after-close"):
            return
        closed = match.linked if match.how == "after-close" else ticket
        assert closed is not None
        what = "reopened it" if item.reopened else f"opened {ticket.reference}, linked to it"
        subject = f"[{ticket.reference}] the customer wrote again after {closed.reference} was closed"
        body = (f"Ticket {closed.reference} ({closed.subject}) was closed; a new mail from "
                f"{item.message.sender.email if item.message.sender else 'the customer'} {what}.\n"
                f"Queue: {ticket.queue}. Subject: {item.message.subject}\n")
        notify_staff(batch.session, self.config, ticket, subject, body, batch.now)

    def acknowledge_mail(self, item: InFlight, batch: Batch) -> None:
        """The acknowledgement of a new human ticket; its failure never costs the customer's mail."""
        if (self.acknowledge is None or not batch.acknowledge or not item.created or item.message.auto
                or item.ticket is None):
            return
        try:
            self.acknowledge(batch.session, item.ticket, item.message, batch.now)
        except Exception as exc:  # kept as a failed outbox row, shown to admins with its error
            log.warning("%s: acknowledgement failed: %s", item.message.message_id, exc)
            sender = item.message.sender.email if item.message.sender else ""
            error = f"{type(exc).__name__}: {exc}"[:2000]
            batch.session.add(Outbox(ticket_id=item.ticket.id, kind="ack", mail_from="", rcpt=sender.lower(), raw=b"",
                                     status="failed", attempts=0, last_error=error, next_attempt_at=batch.now,
                                     created_at=batch.now))

    BEFORE_DATABASE: tuple[FileStep, ...] = (("size", check_size), ("mask", mask), ("parse", parse))
    IN_DATABASE: tuple[DatabaseStep, ...] = (("dedupe", dedupe), ("thread", thread), ("route", route),
                                     ("store", store_mail), ("start clocks", start_clocks),
                                     ("notify", notify_staff), ("acknowledge", acknowledge_mail))

    def ingest_batch(self, session: Session, mails: Iterable[RawMail], mailbox: str,
                     acknowledge: bool = True) -> list[Outcome]:
        """Ingest `mails` inside the caller's transaction; `acknowledge=False` queues no acknowledgement.

        Fast path: the whole batch in one savepoint with one flush. If another process's batch got
        to a row first (the same Message-ID or thread key, a deadlock), this one waited for it to
        commit: the fast path runs once more and now sees those rows. If anything else fails, the
        savepoint is rolled back and the batch is stored again one savepoint per message, so the
        one bad message is quarantined and the rest are stored.
        """
        self.config.mailbox(mailbox)
        now = self.clock.now()
        items = [self._before_database(mail, mailbox, now) for mail in mails]
        register_customers(session, [(i.parsed.sender.email, i.parsed.sender.name) for i in items
                                     if i.parsed is not None and i.parsed.sender is not None], now)
        for attempt in ("first", "after a race"):
            try:
                with session.begin_nested(), session.no_autoflush:
                    batch = Batch(self._intake(session, items), now, acknowledge)
                    outcomes = [self._in_database(item, batch) for item in items]
                    session.flush()
                return outcomes
            except (IntegrityError, OperationalError) as exc:
                log.info("batch of %d raced another writer (%s attempt): %s", len(items), attempt, exc.orig)
            except Exception as exc:  # one message spoiled the batch: redo it message by message
                log.info("batch of %d fell back to one savepoint per message: %s", len(items), exc)
                break
        return [self._alone(session, item, now, acknowledge) for item in items]

    def _before_database(self, mail: RawMail, mailbox: str, now: dt.datetime) -> InFlight:
        item = InFlight(mail, mailbox, masked=mail.data)
        for name, step in self.BEFORE_DATABASE:
            try:
                step(self, item, now)
            except Exception as exc:  # the pipeline must quarantine whatever a step raises
                item.failed = StepFailed(name, exc)
                break
        return item

    def _in_database(self, item: InFlight, batch: Batch) -> Outcome:
        item.ticket, item.match, item.decision, item.created, item.outcome = None, None, None, False, None
        item.reopened = False
        if item.failed is not None:
            return self._quarantine(batch.session, item, item.failed.step, str(item.failed), batch.now)
        for name, step in self.IN_DATABASE:
            try:
                step(self, item, batch)
            except (DBAPIError, StepFailed):
                raise
            except Exception as exc:  # a lost connection passes; anything else names its step
                raise StepFailed(name, exc) from exc
            if item.outcome is not None:
                return item.outcome
        assert item.ticket is not None
        status = "auto" if item.message.auto else "created" if item.created else "threaded"
        log.debug("%s %s on %s", item.message.message_id, status, item.ticket.reference)
        return Outcome(item.mail.source, item.message.message_id, item.ticket.reference, status)

    def _intake(self, session: Session, items: Sequence[InFlight]) -> Intake:
        """The batch's read caches, filled with three queries once its conversations are claimed."""
        intake = Intake.start(session)
        parsed = [i.parsed for i in items if i.parsed is not None]
        named = [i for p in parsed for i in (p.message_id, *p.in_reply_to, *p.references)]
        claim_threads(session, named)
        intake.load_stored(p.message_id for p in parsed)
        intake.threads.load(named)
        intake.load_customers(p.sender.email for p in parsed if p.sender)
        intake.load_earlier(p.sender.email for p in parsed if p.sender and not p.auto)
        return intake

    def _alone(self, session: Session, item: InFlight, now: dt.datetime, acknowledge: bool,
               after_race: bool = False) -> Outcome:
        try:
            with session.begin_nested(), session.no_autoflush:
                outcome = self._in_database(item, Batch(Intake.start(session), now, acknowledge))
                session.flush()
            return outcome
        except StepFailed as exc:
            return self._quarantine(session, item, exc.step, str(exc), now)
        except IntegrityError as exc:  # another process stored this Message-ID, or a key it names, meanwhile
            if after_race:
                return self._quarantine(session, item, "store", str(exc.orig), now)
            return self._alone(session, item, now, acknowledge, after_race=True)
        except DataError as exc:  # this message's data will not fit a column (PostgreSQL refuses NUL in text)
            return self._quarantine(session, item, "store", str(exc.orig), now)

    def _quarantine(self, session: Session, item: InFlight, step: str, error: str, now: dt.datetime) -> Outcome:
        log.warning("quarantined %s at %s: %s", item.mail.source, step, error)
        session.add(Quarantine(mailbox=item.mailbox, source=item.mail.source, stage=step, error=error[:2000],
                               raw=item.masked, size=item.mail.size or len(item.mail.data), created_at=now))
        return Outcome(item.mail.source, None, None, "quarantined", error)


def oversize_copy(data: bytes) -> bytes:
    """What is kept of a mail over the size limit: its header block and the first OVERSIZE_PREFIX
    bytes of its body (each at most that long), masked as structure allows and then as text."""
    end = data.find(b"\n\n")
    end = len(data) if end < 0 else end + 2
    crlf = data.find(b"\r\n\r\n", 0, end)
    end = crlf + 4 if crlf >= 0 else end
    kept = data[:min(end, OVERSIZE_PREFIX)] + data[end:end + OVERSIZE_PREFIX]
    return mask_bytes_as_text(mask_raw_safely(kept))


def summarize(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """The `helpdesk ingest` summary: {"read","tickets_created","messages_added","duplicates","auto","quarantined"}."""
    counts = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        counts[outcome.status] += 1
    return {"read": sum(counts.values()), "tickets_created": counts["created"],
            "messages_added": counts["created"] + counts["threaded"] + counts["auto"],
            "duplicates": counts["duplicate"], "auto": counts["auto"], "quarantined": counts["quarantined"]}
