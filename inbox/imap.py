"""IMAP pollers: one per mailbox, a UIDVALIDITY + UID checkpoint, new mail fetched in batches.

Each batch is fetched with `BODY.PEEK[]` (the server's \\Seen flags stay untouched) and stored by
`Ingestor.ingest_batch` in the same transaction that advances the mailbox's checkpoint, so a crash
at any point loses nothing and stores nothing twice: what was committed is past the checkpoint,
what was not is fetched again. A changed UIDVALIDITY (RFC 3501 section 2.3.1.1) means the UIDs
were renumbered: the folder is read again from UID 1 and Message-ID dedupe drops the doubles.

The folder is selected once per connection (a SELECT of a big folder costs the server a scan);
an idle poll on an open connection is a NOOP (so the server shows mail that arrived since) and
one `UID SEARCH` of the range above the checkpoint, whatever the folder holds. When the NOOP
reports trouble (Dovecot answers NO for a folder recreated under the session) the poller
reconnects and selects the folder afresh. Between polls it waits in IDLE (RFC 2177) where the
server has it, or sleeps. Failures are recorded as the mailbox's health, one line, and retried
with backoff and jitter.

When several processes (hosts) run pollers for the same mailboxes, each mailbox is polled by the
holder of its lease ("poller:<mailbox>", `tickets.leases`) alone: a poller checks the lease before
each poll, between batches and between IDLE rounds (every ttl/3), logs out when it lost it and
stands by, trying again every ttl/3, so it takes over within about 1.3 ttl when the holder dies.
"""
from __future__ import annotations

import datetime as dt
import logging
import ssl
import threading
import time
from collections.abc import Sequence

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from inbox.backoff import Backoff
from inbox.ingest import Ingestor, Outcome, RawMail
from tickets.config import Config, MailboxConfig
from tickets.errors import TemporaryFailure
from tickets.leases import LeaseKeeper, holder_id, poller_lease
from tickets.models import MailboxState

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60.0
IDLE_TICK_SECONDS = 1.0  # how soon a stop request ends an IDLE wait
IDLE_RENEW_SECONDS = 29 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
SEEN = b"\\Seen"


class MailboxError(TemporaryFailure):
    """A mailbox could not be polled; the message is the one line shown in its health."""


def imap_mailboxes(config: Config) -> list[str]:
    """The mailboxes that have an IMAP server to poll."""
    return sorted(name for name, box in config.mailboxes.items() if box.imap_host)


def _tls_context(box: MailboxConfig) -> ssl.SSLContext:
    """Certificates are verified against the system CAs, or `imap_ca_file` for a private CA."""
    return ssl.create_default_context(cafile=box.imap_ca_file or None)


def _describe(box: MailboxConfig, exc: BaseException) -> str:
    """One line a mailbox admin can act on, without a traceback."""
    where = f"{box.imap_host}:{box.imap_port}"
    if isinstance(exc, LoginError):
        return f"login as {box.imap_user} at {where} failed: {_text(exc)}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate of {where} rejected: {exc.verify_message}"
    if isinstance(exc, OSError):  # refused, reset, timed out, TLS handshake
        return f"connection to {where} failed: {exc.strerror or exc}"
    if isinstance(exc, IMAPClientError):
        return f"IMAP error from {where}: {_text(exc)}"
    return f"{type(exc).__name__}: {exc}"


def _text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split()) or type(exc).__name__


def _still_valid(client: IMAPClient) -> bool:
    """NOOP: False when the server answers with NO, BAD or BYE, or announces a new UIDVALIDITY."""
    for response in client.noop()[1]:
        kind = response[0] if isinstance(response, tuple) and response else b""
        text = response[1] if isinstance(response, tuple) and len(response) > 1 else b""
        if kind in (b"NO", b"BAD", b"BYE") or (isinstance(text, bytes) and b"UIDVALIDITY" in text.upper()):
            return False
    return True


def _announces_change(responses: Sequence[object]) -> bool:
    """Untagged IDLE responses other than OK: EXISTS, EXPUNGE, FETCH, BYE..."""
    return any(not (isinstance(r, tuple) and len(r) > 1 and r[0] == b"OK") for r in responses)


def _drop(client: IMAPClient) -> None:
    """Close the socket of a connection that may already be broken."""
    try:
        client.shutdown()
    except OSError:
        pass


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class Poller:
    """Polls one mailbox's folder; `poll_once` for one round, `run` until stopped.

    With a `lease`, `run` polls only while it holds it (`poll_once` ignores it: a one-off poll is
    safe beside a running poller, whose checkpoint row it waits for).
    """

    def __init__(self, config: Config, mailbox_name: str, session_factory: sessionmaker[Session],
                 ingestor: Ingestor, backoff: Backoff | None = None, lease: LeaseKeeper | None = None) -> None:
        self.name = mailbox_name
        self.box = config.mailbox(mailbox_name)
        self.sessions = session_factory
        self.ingestor = ingestor
        self.backoff = backoff or Backoff(base=2.0, cap=300.0)
        self.lease = lease
        self.client: IMAPClient | None = None
        self.uidvalidity: int | None = None  # of the folder selected on this connection

    def poll_once(self) -> list[Outcome]:
        """Ingest everything above the checkpoint; a failure is recorded and raised as MailboxError."""
        try:
            return self._drain()
        except MailboxError as exc:
            self._fail(str(exc))
            raise
        except (IMAPClientError, OSError) as exc:
            message = f"{self.name}: {_describe(self.box, exc)}"
            self._fail(message)
            raise MailboxError(message) from None
        except SQLAlchemyError as exc:
            self.close()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise MailboxError(f"{self.name}: database error: {reason}") from None

    def run(self, stop: threading.Event) -> None:
        """Poll, wait (IDLE or sleep), repeat until `stop`; failures back off with jitter."""
        failures = 0
        while not stop.is_set():
            if self.lease is not None and not self.lease.check(self.ingestor.clock.now()):
                self.close()  # standing by: another process polls this mailbox
                stop.wait(self.lease.interval)
                continue
            try:
                self.poll_once()
                failures = 0
                self._wait(stop)
            except Exception as exc:  # one mailbox's trouble must neither end its poller nor the others
                failures += 1
                if not isinstance(exc, MailboxError):
                    log.exception("%s: poller failed", self.name)
                    self._fail(f"{self.name}: {_describe(self.box, exc)}")
                stop.wait(self.backoff.delay(failures))
        self.close()
        if self.lease is not None:
            self.lease.give_up()

    def _holding(self) -> bool:
        """True without a lease, else whether this process (still) holds the mailbox's lease."""
        return self.lease is None or self.lease.check(self.ingestor.clock.now())

    def close(self) -> None:
        """Log out, or drop a connection that is already broken."""
        client, self.client, self.uidvalidity = self.client, None, None
        if client is None:
            return
        try:
            client.logout()
        except (IMAPClientError, OSError):
            _drop(client)

    def _connect(self) -> IMAPClient:
        """Log in (TLS as configured); create move_folder when mail is to be moved there."""
        box = self.box
        if box.after_ingest == "move" and not box.move_folder:
            raise MailboxError(f"{self.name}: after_ingest = \"move\" needs move_folder")
        password = box.password()
        if not password:
            where = f"${box.imap_password_env}" if box.imap_password_env else "imap_password"
            raise MailboxError(f"{self.name}: no IMAP password (set {where})")
        context = _tls_context(box)
        client = IMAPClient(box.imap_host, port=box.imap_port, ssl=box.imap_tls == "ssl", ssl_context=context,
                            timeout=TIMEOUT_SECONDS)
        try:
            if box.imap_tls == "starttls":
                client.starttls(context)
            client.login(box.imap_user, password)
            client.normalise_times = False
            if box.after_ingest == "move" and not client.folder_exists(box.move_folder):
                client.create_folder(box.move_folder)
        except BaseException:
            _drop(client)
            raise
        self.client = client
        return client

    def _open(self) -> tuple[IMAPClient, int]:
        """The connection with the folder selected, and its UIDVALIDITY.

        A connection kept from the last poll is checked with a NOOP, which also makes the server show
        mail that arrived since; if it timed out, or the server reports trouble (a folder recreated
        under it), a new connection selects the folder afresh.
        """
        if self.client is not None and self.uidvalidity is not None:
            try:
                if _still_valid(self.client):
                    return self.client, self.uidvalidity
            except (IMAPClientError, OSError) as exc:
                log.info("%s: kept connection failed (%s); reconnecting", self.name, _text(exc))
            self.close()
        client = self._connect()
        status = client.select_folder(self.box.imap_folder, readonly=self.box.after_ingest == "none")
        self.uidvalidity = int(status[b"UIDVALIDITY"])
        return client, self.uidvalidity

    def _drain(self) -> list[Outcome]:
        client, uidvalidity = self._open()
        last = self._checkpoint(uidvalidity)
        # `n:*` always matches the highest UID, even one at or below n: keep only the new ones.
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
        if not uids:
            self._healthy()
            return []
        outcomes: list[Outcome] = []
        size = max(1, self.box.batch_size)
        for start in range(0, len(uids), size):
            chunk = uids[start:start + size]
            mails = self._fetch(client, chunk, uidvalidity)
            outcomes += self._commit(chunk, mails, uidvalidity, backlog=len(uids) - start - len(chunk))
            self._after_ingest(client, chunk)
            if not self._holding():  # taken over by another process while this one was busy
                break
        return outcomes

    def _fetch(self, client: IMAPClient, chunk: Sequence[int], uidvalidity: int) -> list[tuple[int, RawMail]]:
        data = client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])
        folder = self.box.imap_folder
        mails = []
        for uid in chunk:
            item = data.get(uid) or {}
            body = item.get(b"BODY[]")
            if body is None:  # expunged since the search
                continue
            source = f"imap://{self.box.imap_host}/{folder};UIDVALIDITY={uidvalidity}/;UID={uid}"
            mails.append((uid, RawMail(bytes(body), source, _utc(item.get(b"INTERNALDATE")))))
        return mails

    def _commit(self, chunk: Sequence[int], mails: list[tuple[int, RawMail]], uidvalidity: int,
                backlog: int) -> list[Outcome]:
        """Store the batch and advance the checkpoint in one transaction."""
        with self.sessions.begin() as session:
            state = self._state(session)
            if state.uidvalidity != uidvalidity:
                raise MailboxError(f"{self.name}: UIDVALIDITY changed during the poll; rescanning")
            fresh = [mail for uid, mail in mails if uid > state.last_uid]  # another poller may have advanced
            outcomes = self.ingestor.ingest_batch(session, fresh, self.name)
            state.last_uid = max(state.last_uid, chunk[-1])
            state.backlog = backlog
            state.last_success_at = self.ingestor.clock.now()
        log.info("%s: %d messages stored up to UID %d, %d left", self.name, len(fresh), chunk[-1], backlog)
        return outcomes

    def _after_ingest(self, client: IMAPClient, chunk: Sequence[int]) -> None:
        """Flag or move what was just committed, as configured."""
        if self.box.after_ingest == "seen":
            client.add_flags(chunk, [SEEN], silent=True)
        elif self.box.after_ingest == "move":
            if client.has_capability("MOVE"):
                client.move(chunk, self.box.move_folder)
                return
            client.copy(chunk, self.box.move_folder)
            client.delete_messages(chunk, silent=True)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(chunk)
            else:
                client.expunge()

    def _state(self, session: Session) -> MailboxState:
        """This mailbox's row, locked for the transaction (created on first use)."""
        state = session.scalar(select(MailboxState).where(MailboxState.mailbox == self.name).with_for_update())
        if state is None:
            state = MailboxState(mailbox=self.name, uidvalidity=None, last_uid=0, backlog=0, last_error="")
            session.add(state)
            session.flush()
        return state

    def _checkpoint(self, uidvalidity: int) -> int:
        """The highest ingested UID, reset to 0 when the folder's UIDVALIDITY changed."""
        with self.sessions.begin() as session:
            state = self._state(session)
            if state.uidvalidity != uidvalidity:
                if state.uidvalidity is not None:
                    log.warning("%s: UIDVALIDITY changed from %s to %s; rescanning from UID 1", self.name,
                                state.uidvalidity, uidvalidity)
                state.uidvalidity, state.last_uid = uidvalidity, 0
            return state.last_uid

    def _healthy(self) -> None:
        with self.sessions.begin() as session:
            state = self._state(session)
            state.last_success_at, state.backlog = self.ingestor.clock.now(), 0

    def _fail(self, message: str) -> None:
        """Record the error in the mailbox's health (if the database is reachable) and drop the connection."""
        log.warning("%s", message)
        self.close()
        try:
            with self.sessions.begin() as session:
                state = self._state(session)
                state.last_error, state.last_error_at = message[:2000], self.ingestor.clock.now()
        except SQLAlchemyError:
            log.warning("%s: could not record the error in the database", self.name)

    def _wait(self, stop: threading.Event) -> None:
        """Until the next poll, in rounds no longer than the lease interval with the lease renewed
        between them; over early when the server reports a change or the lease is lost."""
        deadline = time.monotonic() + self.box.poll_interval_seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            seconds = min(left, self.lease.interval) if self.lease else left
            client = self.client
            if client is not None and self.box.idle and client.has_capability("IDLE"):
                if self._idle(client, stop, min(seconds, IDLE_RENEW_SECONDS)):
                    return
            else:
                stop.wait(seconds)
            if not self._holding():
                return

    def _idle(self, client: IMAPClient, stop: threading.Event, seconds: float) -> bool:
        """Wait in IDLE for `seconds` or until `stop`; True when the server reported a change
        (also one announced just before DONE) or closed the connection."""
        client.idle()
        changed = False
        try:
            deadline = time.monotonic() + seconds
            while not changed and not stop.is_set() and time.monotonic() < deadline:
                began = time.monotonic()
                responses = client.idle_check(timeout=IDLE_TICK_SECONDS)
                # an early empty answer means the server closed the connection
                changed = _announces_change(responses) or (
                    not responses and time.monotonic() - began < IDLE_TICK_SECONDS / 2)
        finally:
            _, responses = client.idle_done()
        return changed or _announces_change(responses)


def run_pollers(config: Config, session_factory: sessionmaker[Session], ingestor: Ingestor,
                mailboxes: Sequence[str], stop: threading.Event, holder: str | None = None) -> list[threading.Thread]:
    """Start one poller thread per mailbox, each polling while it holds its mailbox's lease for
    `holder` (this process); they run until `stop` is set (join the returned threads)."""
    holder = holder or holder_id()
    threads = []
    for name in mailboxes:
        lease = LeaseKeeper(session_factory, poller_lease(name), holder, config.leases.ttl_seconds)
        poller = Poller(config, name, session_factory, ingestor, lease=lease)
        thread = threading.Thread(target=poller.run, args=(stop,), name=f"poller-{name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
