"""Outbound delivery: outbox rows to the SMTP server, with retries, safe with several senders.

A row is claimed in one short transaction (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, then a
conditional `UPDATE ... WHERE status = <as read>` whose row count proves the claim, which is also
what makes it safe on SQLite), delivered outside any transaction, then marked. A claim sets
`next_attempt_at` to its expiry, so a row left 'sending' by a dead sender is taken again after
CLAIM_SECONDS. The attempt is counted at the claim: a message that crashes the sender cannot be
retried forever.

A 4xx answer or a broken connection is retried with exponential backoff and jitter; a 5xx answer,
or the last allowed attempt, fails the row, marks its message failed and records a
`delivery_failed` event on the ticket, so agents see it (docs/architecture.md).

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
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from inbox.backoff import Backoff
from tickets import events
from tickets.config import Config, SmtpConfig
from tickets.db import affected_rows
from tickets.models import Message, Outbox, Ticket
from tickets.outbox import ascii_domain

log = logging.getLogger(__name__)

CLAIM_SECONDS = 600.0
BATCH = 10  # rows per claim: delivered well within CLAIM_SECONDS even at SMTP timeouts
_BARE_LF = re.compile(rb"(?<!\r)\n")


@dataclass(frozen=True)
class Result:
    """What one delivery attempt came to: `code` 0 means no SMTP answer (a connection error)."""

    sent: bool
    code: int = 0
    error: str = ""

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(session_factory: sessionmaker[Session], worker: str, now: dt.datetime, limit: int = BATCH) -> list[int]:
    """Claim up to `limit` due rows (pending, or 'sending' past an expired claim); their ids."""
    due = or_(Outbox.status == "pending", Outbox.status == "sending")
    with session_factory.begin() as session:
        rows = session.execute(select(Outbox.id, Outbox.status).where(due, Outbox.next_attempt_at <= now)
                               .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
                               .with_for_update(skip_locked=True)).all()
        claimed = []
        for row_id, status in rows:
            result = session.execute(
                update(Outbox).where(Outbox.id == row_id, Outbox.status == status, Outbox.next_attempt_at <= now)
                .values(status="sending", claimed_by=worker, attempts=Outbox.attempts + 1,
                        next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
                .execution_options(synchronize_session=False))
            if affected_rows(result) == 1:
                claimed.append(row_id)
    return claimed


def _connect(smtp: SmtpConfig) -> smtplib.SMTP:
    """An SMTP session with TLS verified (system CAs or `ca_file`) and logged in when a user is set."""
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    try:
        client.ehlo()
        if smtp.tls == "starttls":
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


def _envelope(client: smtplib.SMTP, row: Outbox) -> tuple[str, list[str]] | Result:
    """The RCPT TO address and MAIL FROM options for `row`, or why it cannot be sent here."""
    if row.rcpt.isascii() and row.mail_from.isascii():
        return row.rcpt, []
    if client.has_extn("smtputf8"):
        return row.rcpt, ["SMTPUTF8"]
    rcpt = ascii_domain(row.rcpt)
    if rcpt.isascii() and row.mail_from.isascii() and row.raw.isascii():
        return rcpt, []
    return Result(False, 553, f"553 5.6.7 {row.rcpt}: an address that is not ASCII needs SMTPUTF8 (RFC 6531), "
                              f"which the SMTP server does not offer")


def _send(client: smtplib.SMTP, row: Outbox) -> Result:
    envelope = _envelope(client, row)
    if isinstance(envelope, Result):
        return envelope
    rcpt, options = envelope
    try:
        client.sendmail(row.mail_from, [rcpt], _crlf(row.raw), mail_options=options)
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


class Sender:
    """One delivery pass over claimed rows, sharing one SMTP connection."""

    def __init__(self, session_factory: sessionmaker[Session], config: Config, backoff: Backoff | None = None) -> None:
        self.sessions = session_factory
        self.config = config
        smtp = config.smtp
        self.backoff = backoff or Backoff(base=smtp.retry_base_seconds, cap=smtp.retry_base_seconds * 2 ** 10)
        self.client: smtplib.SMTP | None = None
        self.down: Result | None = None
        self.where = f"{smtp.host}:{smtp.port}"

    def deliver(self, row_ids: list[int], now: dt.datetime) -> dict[str, int]:
        counts = {"claimed": len(row_ids), "sent": 0, "retry": 0, "failed": 0}
        try:
            for row_id in row_ids:
                counts[self._deliver_one(row_id, now)] += 1
        finally:
            self._close()
        return counts

    def _deliver_one(self, row_id: int, now: dt.datetime) -> str:
        with self.sessions() as session:
            row = session.get(Outbox, row_id)
            assert row is not None
            session.expunge(row)
        result = self._attempt(row)
        return self._record(row, result, now)

    def _attempt(self, row: Outbox) -> Result:
        """Send one row; a server that cannot be reached fails the rest of the pass without retrying it."""
        if self.down is not None:
            return self.down
        if self.client is None:
            try:
                self.client = _connect(self.config.smtp)
            except (smtplib.SMTPException, OSError) as exc:
                self.down = Result(False, 0, self._unreachable(exc))
                return self.down
        try:
            return _send(self.client, row)
        except (smtplib.SMTPException, OSError) as exc:  # the connection broke mid-message: retry the row
            self._close()
            return Result(False, 0, f"connection to {self.where} lost: {getattr(exc, 'strerror', None) or exc}")

    def _unreachable(self, exc: BaseException) -> str:
        """Session-level trouble is ours (server down, login refused), never the recipient's: retried."""
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"SMTP login as {self.config.smtp.user} failed: {_line(exc.smtp_code, exc.smtp_error)}"
        if isinstance(exc, smtplib.SMTPResponseException):
            return f"SMTP server {self.where} refused the session: {_line(exc.smtp_code, exc.smtp_error)}"
        return f"connection to {self.where} failed: {getattr(exc, 'strerror', None) or exc}"

    def _record(self, row: Outbox, result: Result, now: dt.datetime) -> str:
        with self.sessions.begin() as session:
            fresh = session.get(Outbox, row.id)
            assert fresh is not None
            fresh.claimed_by = ""
            message = session.get(Message, fresh.message_id) if fresh.message_id else None
            if result.sent:
                fresh.status, fresh.sent_at, fresh.last_error = "sent", now, ""
                if message is not None:
                    message.delivery, message.delivery_error = "sent", ""
                return "sent"
            fresh.last_error = result.error[:2000]
            if result.permanent or fresh.attempts >= self.config.smtp.max_attempts:
                self._fail(session, fresh, message, now)
                return "failed"
            fresh.status = "pending"
            fresh.next_attempt_at = now + dt.timedelta(seconds=self.backoff.delay(fresh.attempts))
            log.info("outbox %d: attempt %d failed (%s); retrying", fresh.id, fresh.attempts, result.error)
            return "retry"

    def _fail(self, session: Session, row: Outbox, message: Message | None, now: dt.datetime) -> None:
        row.status = "failed"
        log.warning("outbox %d: delivery failed after %d attempts: %s", row.id, row.attempts, row.last_error)
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
                worker: str | None = None) -> dict[str, int]:
    """One pass: claim the due rows and deliver them. Without `[smtp] host` mail stays queued."""
    if not config.smtp.host:
        return {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    row_ids = claim(session_factory, worker or worker_name(), now)
    if not row_ids:
        return {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    return Sender(session_factory, config).deliver(row_ids, now)
