"""IMAP pollers: one per mailbox, a UIDVALIDITY + UID checkpoint, new mail fetched in batches.

Each batch is fetched with `BODY.PEEK[]` (the server's \\Seen flags stay untouched) and stored by
`Ingestor.ingest_batch` in the same transaction that advances the mailbox's checkpoint, so a crash
at any point loses nothing and stores nothing twice: what was committed is past the checkpoint,
what was not is fetched again. A changed UIDVALIDITY (RFC 3501 section 2.3.1.1) means the UIDs
were renumbered: the folder is read again from UID 1 and Message-ID dedupe drops the doubles.

The sizes of new mail are read first, so memory stays bounded whatever arrives: batches are
bounded in count and bytes, a large mail is fetched alone, and a mail over `[storage]
max_message_bytes` is never fetched whole (`inbox.imap_batches`).

The folder is selected once per connection (a SELECT of a big folder costs the server a scan);
a poll on an open connection is a NOOP (so the server shows mail that arrived since) and one
`UID SEARCH` of the range above the checkpoint, whatever the folder holds. After each round of
batches it searches again, so mail that arrived meanwhile is fetched at once rather than at the
next wake-up, and waits only when a search finds nothing: in IDLE (RFC 2177) where the server has
it, woken by the server's EXISTS, or asleep until the next poll. Mail that lands just before the
wait is not left for the next poll: the server announces it after a search's answer or as IDLE
starts, and the poller searches again either way. When the NOOP reports trouble
(Dovecot answers NO for a folder recreated under the session) the poller reconnects and selects
the folder afresh. Failures are recorded as the mailbox's health, one line that names the setting
to change where one can (`inbox.diagnose`), logged once per outage as a WARNING without a
traceback, and retried with backoff and jitter.

When several processes (hosts) run pollers for the same mailboxes, each mailbox is polled by the
holder of its lease ("poller:<mailbox>", `tickets.leases`) alone. The lease is renewed by a thread
of its own, never on the mail's path; the poller reads whether it still holds it between batches
and every second of a wait, logs out when it lost it and stands by until it holds it again.
"""
from __future__ import annotations

import logging
import ssl
import threading
import time
from collections import Counter
from collections.abc import Sequence

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from inbox.backoff import Backoff
from inbox.diagnose import Endpoint, explain, text_of
from inbox.imap_batches import fetch_batch, plan_batches, read_sizes
from inbox.ingest import Ingestor, Outcome, RawMail
from tickets.config import Config, MailboxConfig
from tickets.errors import ConfigError, TemporaryFailure
from tickets.leases import LeaseKeeper, holder_id, poller_lease
from tickets.models import MailboxState

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60.0
TICK_SECONDS = 1.0  # how soon a wait notices a stop request or a lost lease
IDLE_RENEW_SECONDS = 29 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
SEEN = b"\\Seen"


class MailboxError(TemporaryFailure):
    """A mailbox could not be polled; the message is the one line shown in its health."""


def imap_mailboxes(config: Config) -> list[str]:
    """The mailboxes that have an IMAP server to poll."""
    return sorted(name for name, box in config.mailboxes.items() if box.imap_host)


def connect(box: MailboxConfig, timeout: float = TIMEOUT_SECONDS) -> IMAPClient:
    """A logged-in connection to `box`'s server, TLS as configured (certificates verified against the
    system CAs, or `imap_ca_file` for a private CA)."""
    password = box.password()
    if not password:
        where = f"${box.imap_password_env}" if box.imap_password_env else "imap_password"
        raise ConfigError(f"no IMAP password (set {where})")
    context = ssl.create_default_context(cafile=box.imap_ca_file or None)
    client = IMAPClient(box.imap_host, port=box.imap_port, ssl=box.imap_tls == "ssl", ssl_context=context,
                        timeout=timeout)
    try:
        if box.imap_tls == "starttls":
            client.starttls(context)
        client.login(box.imap_user, password)
    except BaseException:
        _drop(client)
        raise
    client.normalise_times = False
    return client


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


def _new_mail_announced(client: IMAPClient) -> bool:
    """Whether the server announced new mail (an untagged EXISTS) since the last call.

    A SEARCH reads the session's view of the folder; mail that arrives meanwhile is announced only
    after the search's answer (Dovecot does so), where imapclient leaves it among imaplib's untagged
    responses, and IDLE does not announce it again: unless the poller searches once more, that mail
    waits a whole poll interval. The store is emptied each time: every imapclient call has taken
    what it needed from it, and on a connection kept for days it would otherwise only grow."""
    responses = client._imap.untagged_responses
    announced = "EXISTS" in responses
    responses.clear()
    return announced


def _response_waiting(client: IMAPClient) -> bool:
    """Whether a server response already sits in imaplib's read buffer.

    Dovecot checks the folder as IDLE starts and sends what changed since the last command (mail
    delivered just before) in the same packet as its "+ idling"; imaplib reads both, and
    `idle_check`, which waits on the socket, never sees the second. The buffer is peeked at with the
    socket non-blocking, so an empty one returns at once."""
    sock = client.socket()
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return bool(client._imap.file.peek(1))
    except OSError:  # nothing buffered: the socket (or TLS) has nothing to read yet
        return False
    finally:
        sock.settimeout(timeout)


def _drop(client: IMAPClient) -> None:
    """Close the socket of a connection that may already be broken."""
    try:
        client.shutdown()
    except OSError:
        pass


class Poller:
    """Polls one mailbox's folder; `poll_once` for one round, `run` until stopped.

    With a `lease`, `run` polls only while it holds it (`poll_once` ignores it: a one-off poll is
    safe beside a running poller, whose checkpoint row it waits for).
    """

    def __init__(self, config: Config, mailbox_name: str, session_factory: sessionmaker[Session],
                 ingestor: Ingestor, backoff: Backoff | None = None, lease: LeaseKeeper | None = None) -> None:
        self.name = mailbox_name
        self.box = config.mailbox(mailbox_name)
        self.limit = config.storage.max_message_bytes
        self.endpoint = Endpoint.imap(self.box)
        self.sessions = session_factory
        self.ingestor = ingestor
        self.backoff = backoff or Backoff(base=2.0, cap=300.0)
        self.lease = lease
        self.client: IMAPClient | None = None
        self.uidvalidity: int | None = None  # of the folder selected on this connection
        self.failing = ""  # the last failure of the outage under way, "" while healthy

    def poll_once(self) -> list[Outcome]:
        """Ingest everything above the checkpoint; a failure is recorded and raised as MailboxError."""
        try:
            return self._drain()
        except MailboxError as exc:
            self._fail(str(exc))
            raise
        except (IMAPClientError, OSError, ConfigError) as exc:
            message = f"{self.name}: {self.describe(exc)}"
            self._fail(message)
            raise MailboxError(message) from None
        except SQLAlchemyError as exc:
            self.close()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise MailboxError(f"{self.name}: database error: {reason}") from None

    def describe(self, exc: BaseException) -> str:
        """One line a mailbox admin can act on, without a traceback."""
        return str(exc) if isinstance(exc, ConfigError) else explain(self.endpoint, exc)

    def run(self, stop: threading.Event) -> None:
        """Poll, wait (IDLE or sleep), repeat until `stop`; failures back off with jitter. The lease,
        if any, is kept by a thread of its own meanwhile."""
        renewing = threading.Event()
        keeper = None
        if self.lease is not None:
            keeper = threading.Thread(target=self.lease.keep, args=(renewing, self.ingestor.clock.now),
                                      name=f"lease-{self.name}", daemon=True)
            keeper.start()
        try:
            self._loop(stop)
        finally:
            self.close()
            renewing.set()
            if keeper is not None and self.lease is not None:
                keeper.join()
                self.lease.give_up()

    def _loop(self, stop: threading.Event) -> None:
        failures = 0
        while not stop.is_set():
            if not self._holding():
                self.close()  # standing by: another process polls this mailbox
                self._stand_by(stop)
                continue
            try:
                self.poll_once()
                failures = self._recovered(failures)
                self._wait(stop)
            except MailboxError as exc:
                failures += 1
                self._report(str(exc), failures)
                stop.wait(self.backoff.delay(failures))
            except (IMAPClientError, OSError) as exc:  # the connection broke while waiting: poll again at once
                log.info("%s: connection lost while waiting (%s); reconnecting", self.name, text_of(exc))
                self.close()
            except Exception:  # a bug: one mailbox's trouble must neither end its poller nor the others
                failures += 1
                log.exception("%s: poller failed", self.name)
                stop.wait(self.backoff.delay(failures))

    def _report(self, message: str, failures: int) -> None:
        """The first failure of an outage is a WARNING; the retries until it ends are INFO."""
        if not self.failing:
            log.warning("%s", message)
        else:
            log.info("%s (attempt %d)", message, failures)
        self.failing = message

    def _recovered(self, failures: int) -> int:
        if self.failing:
            log.info("%s: polling again after %d failed attempt(s)", self.name, failures)
            self.failing = ""
        return 0

    def _holding(self) -> bool:
        """True without a lease, else whether this process (still) holds the mailbox's lease."""
        return self.lease is None or self.lease.holding.is_set()

    def _stand_by(self, stop: threading.Event) -> None:
        assert self.lease is not None
        while not stop.is_set() and not self.lease.holding.wait(TICK_SECONDS):
            pass

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
        client = connect(box)
        try:
            if box.after_ingest == "move" and not client.folder_exists(box.move_folder):
                client.create_folder(box.move_folder)
        except BaseException:
            _drop(client)
            raise
        log.info("%s: connected to %s (%s) as %s", self.name, self.endpoint.where, box.imap_tls, box.imap_user)
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
                log.info("%s: kept connection failed (%s); reconnecting", self.name, text_of(exc))
            self.close()
        client = self._connect()
        status = client.select_folder(self.box.imap_folder, readonly=self.box.after_ingest == "none")
        self.uidvalidity = int(status[b"UIDVALIDITY"])
        return client, self.uidvalidity

    def _drain(self) -> list[Outcome]:
        """Store everything above the checkpoint, searching again after each round of batches until
        a search finds nothing new (or the lease is lost)."""
        client, uidvalidity = self._open()
        last = self._checkpoint(uidvalidity)
        outcomes: list[Outcome] = []
        while self._holding():
            _new_mail_announced(client)  # what was announced before is in the view the search reads
            # `n:*` always matches the highest UID, even one at or below n: keep only the new ones.
            uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
            if not uids:
                if _new_mail_announced(client):
                    continue
                break
            sizes = read_sizes(client, uids)
            for batch in plan_batches(uids, sizes, max(1, self.box.batch_size), self.limit):
                mails = fetch_batch(client, batch, sizes, f"imap://{self.box.imap_host}/{self.box.imap_folder}"
                                                          f";UIDVALIDITY={uidvalidity}/")
                done = uids.index(batch.uids[-1]) + 1
                outcomes += self._commit(batch.uids, mails, uidvalidity, backlog=len(uids) - done)
                self._after_ingest(client, batch.uids)
                if not self._holding():  # taken over by another process while this one was busy
                    return outcomes
            last = max(last, uids[-1])
        self._healthy()
        return outcomes

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
        counts = ", ".join(f"{n} {status}" for status, n in Counter(o.status for o in outcomes).items())
        log.info("%s: stored %d mails up to UID %d (%s); %d left", self.name, len(fresh), chunk[-1],
                 counts or "none new", backlog)
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
        """Record the error in the mailbox's health (if the database is reachable) and drop the
        connection. The caller reports it: `run` in the log, `helpdesk poll --once` on stderr."""
        self.close()
        try:
            with self.sessions.begin() as session:
                state = self._state(session)
                state.last_error, state.last_error_at = message[:2000], self.ingestor.clock.now()
        except SQLAlchemyError:
            log.warning("%s: could not record the error in the database", self.name)

    def _wait(self, stop: threading.Event) -> None:
        """Until the next poll: in IDLE, over as soon as the server reports a change, or asleep;
        either way over early when `stop` is set or the lease is lost."""
        deadline = time.monotonic() + self.box.poll_interval_seconds
        while not stop.is_set() and self._holding() and (left := deadline - time.monotonic()) > 0:
            client = self.client
            if client is not None and self.box.idle and client.has_capability("IDLE"):
                if self._idle(client, stop, min(left, IDLE_RENEW_SECONDS)):
                    return
            else:
                stop.wait(min(left, TICK_SECONDS))

    def _idle(self, client: IMAPClient, stop: threading.Event, seconds: float) -> bool:
        """Wait in IDLE for `seconds`, or until `stop` or the lease is lost; True when the server
        reported a change (also one announced just before DONE) or closed the connection."""
        client.idle()
        changed = _response_waiting(client)  # the server's own check as IDLE started found something
        try:
            deadline = time.monotonic() + seconds
            while not changed and not stop.is_set() and self._holding() and time.monotonic() < deadline:
                began = time.monotonic()
                responses = client.idle_check(timeout=TICK_SECONDS)
                # an early empty answer means the server closed the connection
                changed = _announces_change(responses) or (
                    not responses and time.monotonic() - began < TICK_SECONDS / 2)
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
