"""Outbound delivery: outbox rows to the SMTP server, with retries, safe with several senders.

A pass claims due rows in batches of `[smtp] batch_size` and sends them all over one SMTP
connection, until none are due. Agents' replies go first, then acknowledgements and notices, each
oldest first: a backlog of acknowledgements never holds up an answer. A batch is claimed in one
short transaction (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, then an `UPDATE ... WHERE
status = <due>` whose returned ids prove the claim, which is also what makes it safe on SQLite),
delivered outside any transaction, then its outcomes are recorded in one transaction, each sent
mail with the moment it was sent. A claim sets `next_attempt_at` to its expiry, CLAIM_SECONDS
ahead, and a sender extends the claim of what it has yet to send as it goes; a row left 'sending'
by a dead sender is taken again once its claim expired (admins may also retry it then). The
attempt is counted at the claim: a message that crashes the sender cannot be retried forever.

A 4xx answer or a broken connection is retried with exponential backoff and jitter. A 5xx answer
to a mail, or the last allowed attempt, fails the row, marks its message failed and records a
`delivery_failed` event on the ticket, so agents see it (docs/architecture.md). A session the
server refuses for good (a 5xx greeting or login, STARTTLS asked for but not offered) fails the
batch at once with the reason and the setting to change (`inbox.diagnose`), instead of retrying
what cannot succeed until an admin changes the configuration.

Internationalised recipients (RFC 6531): with a server that offers SMTPUTF8 the address goes as
it is; without, an IDN domain goes as punycode, and a local part that is not ASCII cannot be sent
at all, which fails the row like a 5xx answer: recorded on the ticket, retried never.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from inbox.backoff import Backoff
from inbox.diagnose import Endpoint, NoStartTls, explain, text_of
from tickets import events
from tickets.clock import Clock, FrozenClock
from tickets.config import Config, SmtpConfig
from tickets.models import Message, Outbox, Ticket
from tickets.outbox import ERASURE_KIND, ascii_domain

log = logging.getLogger(__name__)

CLAIM_SECONDS = 60.0
_BARE_LF = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class Result:
    """What one delivery attempt came to: `code` 0 means no SMTP answer (a connection error);
    `permanent` also for a session the server refuses for good."""

    sent: bool
    code: int = 0
    error: str = ""
    refused_session: bool = False
    at: dt.datetime | None = None

    @property
    def permanent(self) -> bool:
        return self.refused_session or 500 <= self.code < 600


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(session_factory: sessionmaker[Session], worker: str, now: dt.datetime, limit: int) -> list[int]:
    """Claim up to `limit` due rows (pending, or 'sending' past an expired claim), replies first;
    their ids, in the order to send them."""
    due = (or_(Outbox.status == "pending", Outbox.status == "sending"), Outbox.next_attempt_at <= now)
    replies_first = case((Outbox.kind == "reply", 0), else_=1)
    with session_factory.begin() as session:
        ids = list(session.scalars(select(Outbox.id).where(*due)
                                   .order_by(replies_first, Outbox.next_attempt_at, Outbox.id).limit(limit)
                                   .with_for_update(skip_locked=True)))
        if not ids:
            return []
        claimed = set(session.scalars(
            update(Outbox).where(Outbox.id.in_(ids), *due)
            .values(status="sending", claimed_by=worker, attempts=Outbox.attempts + 1,
                    next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
            .returning(Outbox.id).execution_options(synchronize_session=False)))
    return [row_id for row_id in ids if row_id in claimed]


def connect(smtp: SmtpConfig) -> smtplib.SMTP:
    """An SMTP session with TLS verified (system CAs or `ca_file`) and logged in when a user is set."""
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    try:
        client.ehlo()
        if smtp.tls == "starttls":
            if not client.has_extn("starttls"):
                raise NoStartTls("STARTTLS not offered")
            client.starttls(context=context)
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.secret())
    except BaseException:
        client.close()
        raise
    return client


def _crlf(raw: bytes) -> bytes:
    """SMTP lines end in CRLF (RFC 5321 section 2.3.8); smtplib sends bytes as they are."""
    return _BARE_LF.sub(b"\r\n", raw)


def _envelope(client: smtplib.SMTP, row: Outbox) -> tuple[list[str], list[str]] | Result:
    """The RCPT TO addresses (To, then Cc and Bcc) and MAIL FROM options for `row`, or why it
    cannot be sent here."""
    rcpts = [row.rcpt, *(row.more_rcpts or [])]
    if all(a.isascii() for a in (*rcpts, row.mail_from)):
        return rcpts, []
    if client.has_extn("smtputf8"):
        return rcpts, ["SMTPUTF8"]
    converted = [ascii_domain(a) for a in rcpts]
    wide = next((a for a, c in zip(rcpts, converted) if not c.isascii()), "")
    if not wide and row.mail_from.isascii() and row.raw.isascii():
        return converted, []
    return Result(False, 553, f"553 5.6.7 {wide or row.rcpt}: an address that is not ASCII needs SMTPUTF8 "
                              f"(RFC 6531), which the SMTP server does not offer")


def _send(client: smtplib.SMTP, row: Outbox) -> Result:
    envelope = _envelope(client, row)
    if isinstance(envelope, Result):
        return envelope
    rcpts, options = envelope
    try:
        client.sendmail(row.mail_from, rcpts, _crlf(row.raw), mail_options=options)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return Result(False, code, _line(code, text))
    except smtplib.SMTPResponseException as exc:
        return Result(False, exc.smtp_code, _line(exc.smtp_code, exc.smtp_error))
    return Result(True)


def _line(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _refused_for_good(exc: BaseException) -> bool:
    """A session the server will refuse again until the configuration changes."""
    return isinstance(exc, NoStartTls) or (isinstance(exc, smtplib.SMTPResponseException)
                                           and 500 <= exc.smtp_code < 600)


class Sender:
    """Delivery passes sharing one SMTP connection; each sent mail is stamped with `clock`'s time."""

    def __init__(self, session_factory: sessionmaker[Session], config: Config, clock: Clock,
                 worker: str | None = None, backoff: Backoff | None = None) -> None:
        self.sessions = session_factory
        self.config = config
        self.clock = clock
        self.worker = worker or worker_name()
        smtp = config.smtp
        self.backoff = backoff or Backoff(base=smtp.retry_base_seconds, cap=smtp.retry_base_seconds * 2 ** 10)
        self.client: smtplib.SMTP | None = None
        self.down: Result | None = None  # the session failed: the rest of the pass waits
        self.failing = ""  # the session failure of the passes before, "" once mail goes out again
        self.endpoint = Endpoint.smtp(smtp)

    def run_pass(self, now: dt.datetime) -> dict[str, int]:
        """Claim and deliver batches until nothing is due or the server cannot be reached."""
        counts = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
        began, self.down = time.monotonic(), None
        try:
            while self.down is None and (row_ids := claim(self.sessions, self.worker, now,
                                                          max(1, self.config.smtp.batch_size))):
                counts["claimed"] += len(row_ids)
                for outcome in self.deliver(row_ids, now):
                    counts[outcome] += 1
        finally:
            self._close()
        if counts["claimed"]:
            log.info("outbox: %d sent, %d to retry, %d failed of %d claimed in %.1f s", counts["sent"],
                     counts["retry"], counts["failed"], counts["claimed"], time.monotonic() - began)
        self._report(counts)
        return counts

    def _report(self, counts: dict[str, int]) -> None:
        """The first session failure of an outage is a WARNING; the passes until mail goes out again INFO."""
        if self.down is None:
            if counts["sent"]:
                self.failing = ""
            return
        what = "marked failed" if self.down.permanent else "wait for a retry"
        if not self.failing:
            log.warning("outbox: %s; the mails of this pass %s", self.down.error, what)
        else:
            log.info("outbox: still %s; the mails of this pass %s", self.down.error, what)
        self.failing = self.down.error

    def deliver(self, row_ids: Sequence[int], now: dt.datetime) -> list[str]:
        """Send the claimed rows in order, then record what became of each; their outcomes."""
        with self.sessions() as session:
            rows = {row.id: row for row in session.scalars(select(Outbox).where(Outbox.id.in_(row_ids)))}
            session.expunge_all()
        claimed_at, results = time.monotonic(), []
        for index, row_id in enumerate(row_ids):
            results.append((rows[row_id], self._attempt(rows[row_id])))
            if time.monotonic() - claimed_at > CLAIM_SECONDS / 3:
                self._extend(row_ids[index + 1:])
                claimed_at = time.monotonic()
        return self._record(results, now)

    def _attempt(self, row: Outbox) -> Result:
        """Send one row; a server that cannot be reached fails the rest of the pass without retrying it."""
        if self.down is not None:
            return self.down
        if self.client is None:
            try:
                self.client = connect(self.config.smtp)
            except (smtplib.SMTPException, OSError) as exc:
                self.down = Result(False, 0, explain(self.endpoint, exc), refused_session=_refused_for_good(exc))
                return self.down
        try:
            result = _send(self.client, row)
        except (smtplib.SMTPException, OSError) as exc:  # the connection broke mid-message: retry the row
            self._close()
            return Result(False, 0, f"connection to {self.endpoint.where} lost: {text_of(exc)}")
        return Result(True, at=self.clock.now()) if result.sent else result

    def _extend(self, row_ids: Sequence[int]) -> None:
        """Keep the claim on what this pass has yet to send, so nobody takes it as stranded."""
        if not row_ids:
            return
        expiry = self.clock.now() + dt.timedelta(seconds=CLAIM_SECONDS)
        with self.sessions.begin() as session:
            session.execute(update(Outbox).where(Outbox.id.in_(row_ids), Outbox.status == "sending",
                                                 Outbox.claimed_by == self.worker)
                            .values(next_attempt_at=expiry).execution_options(synchronize_session=False))

    def _record(self, results: list[tuple[Outbox, Result]], now: dt.datetime) -> list[str]:
        with self.sessions.begin() as session:
            sent = [(row, result) for row, result in results if result.sent]
            if sent:
                session.execute(update(Outbox), [{"id": row.id, "status": "sent", "sent_at": result.at or now,
                                                  "last_error": "", "claimed_by": ""} for row, result in sent])
                session.execute(update(Message), [{"id": row.message_id, "delivery": "sent", "delivery_error": ""}
                                                  for row, _ in sent if row.message_id])
                confirmations = [row.id for row, _ in sent if row.kind == ERASURE_KIND]
                if confirmations:  # the erased customer's address leaves with their last mail
                    session.execute(update(Outbox).where(Outbox.id.in_(confirmations)).values(rcpt="", raw=b""))
            return ["sent" if result.sent else self._unsent(session, row.id, result, now) for row, result in results]

    def _unsent(self, session: Session, row_id: int, result: Result, now: dt.datetime) -> str:
        row = session.get(Outbox, row_id)
        assert row is not None
        row.claimed_by, row.last_error = "", result.error[:2000]
        message = session.get(Message, row.message_id) if row.message_id else None
        if result.permanent or row.attempts >= self.config.smtp.max_attempts:
            self._fail(session, row, message, now, result)
            return "failed"
        row.status = "pending"
        row.next_attempt_at = now + dt.timedelta(seconds=self.backoff.delay(row.attempts))
        if result is not self.down:  # a failed session is logged once for the pass
            log.info("outbox %d: attempt %d failed (%s); retrying", row.id, row.attempts, result.error)
        return "retry"

    def _fail(self, session: Session, row: Outbox, message: Message | None, now: dt.datetime,
              result: Result) -> None:
        row.status = "failed"
        if result is not self.down:
            log.warning("outbox %d: delivery failed after %d attempt(s): %s", row.id, row.attempts, row.last_error)
        if message is not None:
            message.delivery, message.delivery_error = "failed", row.last_error[:500]
        ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
        if ticket is not None:
            events.record(session, ticket, events.DeliveryFailed(
                message_id=message.message_id if message else None, rcpt=row.rcpt, error=row.last_error[:500],
                attempts=row.attempts), now)

    def _close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def deliver_due(session_factory: sessionmaker[Session], config: Config, now: dt.datetime,
                worker: str | None = None, clock: Clock | None = None) -> dict[str, int]:
    """One pass at `now`: deliver everything due. Each sent mail is stamped with `clock`'s time (the
    pass's moment without one). Without `[smtp] host` mail stays queued."""
    if not config.smtp.host:
        return {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    return Sender(session_factory, config, clock or FrozenClock(now), worker).run_pass(now)
