"""The ingestion pipeline: raw bytes in, each message stored whole or quarantined.

Steps, in order (Mailman's pipeline style): check size, mask card numbers, keep the raw copy,
parse, drop duplicates, thread, route a new ticket, store. Any step may fail; the message's
savepoint is rolled back and the raw bytes go to quarantine with the stage and the error, and the
batch goes on. The caller owns the transaction: a batch and its checkpoint (an IMAP UID, an LMTP
answer) commit together, so nothing read is ever lost or stored twice.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol, Sequence, TypeVar

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from inbox.parse import parse_message
from inbox.threadkeys import find_tags
from tickets import clock
from tickets.cards import mask_raw, mask_text
from tickets.config import Config
from tickets.errors import ConfigError
from tickets.intake import Intake, claim_threads, register_customers
from tickets.mail import ParsedMessage
from tickets.models import Quarantine, Ticket
from tickets.operations import Routed, add_inbound, open_ticket
from tickets.storage import FileStore
from tickets.threading import find_thread

log = logging.getLogger(__name__)

STATUSES = ("created", "threaded", "duplicate", "auto", "quarantined")


@dataclass(frozen=True)
class RawMail:
    """Bytes as they arrived, where from, and the server's receipt time if it gave one."""

    data: bytes
    source: str
    received: dt.datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one message: `ticket` is the reference it is on (None if quarantined)."""

    source: str
    message_id: str | None
    ticket: str | None
    status: str
    error: str = ""


class Router(Protocol):
    def decide(self, parsed: ParsedMessage, mailbox: str, earlier: tuple[str, ...] = ()) -> Routed: ...


class MailboxDefaults:
    """Routing before (or without) a classifier: auto mail to `auto`, the rest to the mailbox's queue."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def decide(self, parsed: ParsedMessage, mailbox: str, earlier: tuple[str, ...] = ()) -> Routed:
        if parsed.auto:
            return Routed("auto", reasons=(f"auto mail: {parsed.auto_reason}",))
        queue = self.config.mailbox(mailbox).default_queue
        return Routed(queue, reasons=(f"mailbox {mailbox} default",))


@dataclass(frozen=True)
class Prepared:
    """A mail after the steps that need no database: masked, and parsed or failed."""

    mail: RawMail
    masked: bytes
    parsed: ParsedMessage | None
    error: StageError | None = None


class StageError(Exception):
    """A step failed; `stage` names it for the quarantine record."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.stage = stage


AfterCreate = Callable[[Session, Ticket, ParsedMessage, dt.datetime], None]


class Ingestor:
    """Stores mail for one configuration; `after_create` hooks run for each new human ticket."""

    def __init__(self, config: Config, router: Router | None = None,
                 after_create: Sequence[AfterCreate] = ()) -> None:
        self.config = config
        self.router = router or MailboxDefaults(config)
        self.store = FileStore(config.storage.path)
        try:
            self.store.make_folders()
        except OSError as exc:
            raise ConfigError(f"{config.source}: storage.path {config.storage.path!r} cannot be written "
                              f"({exc.strerror or exc})") from None
        self.after_create = tuple(after_create)
        self.ours = config.our_addresses()

    def ingest_batch(self, session: Session, mails: Iterable[RawMail], mailbox: str) -> list[Outcome]:
        """Ingest `mails` inside the caller's transaction.

        Fast path: the whole batch in one savepoint with one flush. If another process's batch got
        to a row first (the same Message-ID or thread key, a deadlock), this one waited for it to
        commit: the fast path runs once more and now sees those rows. If anything else fails, the
        savepoint is rolled back and the batch is stored again one savepoint per message, so the
        one bad message is quarantined and the rest are stored.
        """
        self.config.mailbox(mailbox)
        with collector_paused():
            return self._ingest(session, list(mails), mailbox, clock.now())

    def _ingest(self, session: Session, mails: list[RawMail], mailbox: str, now: dt.datetime) -> list[Outcome]:
        prepared = [self._prepare(mail, now) for mail in mails]
        register_customers(session, [(p.parsed.sender.email, p.parsed.sender.name) for p in prepared
                                     if p.parsed is not None and p.parsed.sender is not None], now)
        for attempt in ("first", "after a race"):
            try:
                with session.begin_nested(), session.no_autoflush:
                    intake = self._intake(session, prepared)
                    outcomes = [self._store(intake, item, mailbox, now) for item in prepared]
                    session.flush()
                return outcomes
            except (IntegrityError, OperationalError) as exc:
                log.info("batch of %d raced another writer (%s attempt): %s", len(prepared), attempt, exc.orig)
            except Exception as exc:  # one message spoiled the batch: redo it message by message
                log.info("batch of %d fell back to one savepoint per message: %s", len(prepared), exc)
                break
        return [self._store_alone(session, item, mailbox, now) for item in prepared]

    def _prepare(self, mail: RawMail, now: dt.datetime) -> Prepared:
        """The database-free steps: size check, card masking, parsing."""
        masked = mail.data
        try:
            masked = self._mask(mail.data)
            parsed = _step("parse", lambda: parse_message(masked, now=now, our_addresses=self.ours,
                                                          received=mail.received))
            return Prepared(mail, masked, parsed)
        except StageError as exc:
            return Prepared(mail, masked, None, exc)

    def _intake(self, session: Session, prepared: Sequence[Prepared]) -> Intake:
        """The batch's read caches, filled with three queries once its conversations are claimed."""
        intake = Intake.start(session)
        parsed = [p.parsed for p in prepared if p.parsed is not None]
        named = [i for p in parsed for i in (p.message_id, *p.in_reply_to, *p.references)]
        claim_threads(session, named)
        intake.load_stored(p.message_id for p in parsed)
        intake.threads.load(named)
        intake.load_customers(p.sender.email for p in parsed if p.sender)
        intake.load_earlier(p.sender.email for p in parsed if p.sender and not p.auto)
        return intake

    def _store_alone(self, session: Session, item: Prepared, mailbox: str, now: dt.datetime,
                     after_race: bool = False) -> Outcome:
        try:
            with session.begin_nested(), session.no_autoflush:
                outcome = self._store(Intake.start(session), item, mailbox, now)
                session.flush()
            return outcome
        except StageError as exc:
            return self._quarantine(session, item.mail, item.masked, mailbox, exc.stage, str(exc), now)
        except IntegrityError as exc:  # another process stored this Message-ID, or a key it names, meanwhile
            if after_race:
                return self._quarantine(session, item.mail, item.masked, mailbox, "store", str(exc.orig), now)
            return self._store_alone(session, item, mailbox, now, after_race=True)
        except DataError as exc:  # this message's data will not fit a column (PostgreSQL refuses NUL in text)
            return self._quarantine(session, item.mail, item.masked, mailbox, "store", str(exc.orig), now)

    def _mask(self, data: bytes) -> bytes:
        if len(data) > self.config.storage.max_message_bytes:
            raise StageError("size", ValueError(f"message of {len(data)} bytes is over the "
                                                f"{self.config.storage.max_message_bytes}-byte limit"))
        try:
            return mask_raw(data)
        except Exception:  # never keep a card number: fall back to masking the bytes as Latin-1 text
            log.exception("card masking failed; masking the raw bytes as text")
            return mask_text(data.decode("latin-1")).encode("latin-1")

    def _store(self, intake: Intake, item: Prepared, mailbox: str, now: dt.datetime) -> Outcome:
        if item.parsed is None:
            assert item.error is not None
            return self._quarantine(intake.session, item.mail, item.masked, mailbox, item.error.stage,
                                    str(item.error), now)
        parsed, mail = item.parsed, item.mail
        intake.load_stored([parsed.message_id])
        known = intake.stored_ids.get(parsed.message_id)
        if known is not None:
            return Outcome(mail.source, parsed.message_id, known, "duplicate")
        raw_sha = _step("store", lambda: self.store.put(item.masked))
        referenced = [*parsed.in_reply_to, *reversed(parsed.references), *parsed.bounced_message_ids]
        tags = find_tags(parsed.subject, self.config.tickets.reference_prefix)
        sender = parsed.sender.email if parsed.sender else ""
        match = _step("thread", lambda: find_thread(intake, parsed.message_id, referenced, tags, sender))
        ticket, status = match.ticket, "threaded"
        if ticket is None:
            earlier = intake.earlier_queues(sender) if not parsed.auto else ()  # the sender's latest tickets
            routed = _step("route", lambda: self.router.decide(parsed, mailbox, earlier))
            ticket = _step("store", lambda: open_ticket(intake, self.config, parsed, mailbox, routed, now, match.linked))
            status = "created"
        _step("store", lambda: add_inbound(intake, self.config, self.store, ticket, parsed, mailbox, raw_sha, now))
        if status == "created" and not parsed.auto:
            for hook in self.after_create:
                _step("store", lambda: hook(intake.session, ticket, parsed, now))
        log.info("%s %s on %s", parsed.message_id, status, ticket.reference)
        return Outcome(mail.source, parsed.message_id, ticket.reference, "auto" if parsed.auto else status)

    def _quarantine(self, session: Session, mail: RawMail, masked: bytes, mailbox: str, stage: str, error: str,
                    now: dt.datetime) -> Outcome:
        log.warning("quarantined %s at %s: %s", mail.source, stage, error)
        session.add(Quarantine(mailbox=mailbox, source=mail.source, stage=stage, error=error[:2000], raw=masked,
                               created_at=now))
        return Outcome(mail.source, None, None, "quarantined", error)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is stored.

    A batch allocates a great many objects (parsed mail, ORM rows) and keeps nearly all of them
    until it is flushed, so the collector's passes during it free nothing, and each pass over a
    heap grown this large costs more: about a tenth of ingestion's time went to them. Reference
    counting still frees everything else at once; collection resumes when the batch is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


T = TypeVar("T")


def _step(stage: str, action: Callable[[], T]) -> T:
    """Run one pipeline step; a failure becomes a StageError naming it.

    Database errors pass through: a lost connection or a lock timeout is the caller's to retry
    (IMAP keeps its checkpoint, LMTP answers 451), not a reason to quarantine the mail.
    """
    try:
        return action()
    except (DBAPIError, StageError):
        raise
    except Exception as exc:  # the pipeline must quarantine whatever a step raises
        raise StageError(stage, exc) from exc


def summarize(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """The `helpdesk ingest` summary: {"read","tickets_created","messages_added","duplicates","auto","quarantined"}."""
    counts = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        counts[outcome.status] += 1
    return {"read": sum(counts.values()), "tickets_created": counts["created"],
            "messages_added": counts["created"] + counts["threaded"] + counts["auto"],
            "duplicates": counts["duplicate"], "auto": counts["auto"], "quarantined": counts["quarantined"]}
