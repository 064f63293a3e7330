"""The LMTP listener (aiosmtpd): the MTA hands us mail, we answer per recipient after the commit.

Each recipient address names a mailbox (`[mailboxes.*] address`); an unknown one is refused at RCPT
with 550, so the MTA bounces it at once. After DATA, RFC 2033 section 4.2 wants one answer per
recipient: 250 once the message is committed for that mailbox, 451 when storing failed for a
temporary reason (the database is down) so the MTA keeps the message and retries, 552 over the
size limit. The same message to two mailboxes is stored once (Message-ID dedupe in ingest).
The envelope sender (MAIL FROM) goes into auto-mail detection, `<>` marking a bounce or an
auto-reply (RFC 5321 section 4.5.5), and is recorded as the message's Return-Path.
Storing runs in a worker thread, so a slow commit never stalls other LMTP sessions.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, AnyStr

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from inbox.ingest import Ingestor, RawMail
from tickets.config import Config

log = logging.getLogger(__name__)

TOO_MUCH = "552 Error: Too much mail data"


class LmtpHandler:
    """aiosmtpd handler hooks: RCPT picks the mailbox, DATA stores and answers per recipient."""

    def __init__(self, config: Config, session_factory: sessionmaker[Session], ingestor: Ingestor) -> None:
        self.sessions = session_factory
        self.ingestor = ingestor
        self.mailboxes = {box.address.lower(): name for name, box in config.mailboxes.items() if box.address}

    async def handle_RCPT(self, server: LMTP, session: SmtpSession, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() not in self.mailboxes:
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: LMTP, session: SmtpSession, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        names = [self.mailboxes[address.lower()] for address in envelope.rcpt_tos]
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._store, data, names, envelope.mail_from or "")
        except Exception as exc:  # anything but a commit must leave the message with the MTA
            log.warning("LMTP delivery to %s deferred: %s", ", ".join(names), _one_line(exc))
            return _per_recipient("451 4.3.0 Temporary failure storing the message; try again later", names)
        return "\r\n".join(f"250 2.0.0 <{address}> stored" for address in envelope.rcpt_tos)

    async def handle_exception(self, error: Exception) -> str:
        """aiosmtpd answers 500 by default; an unexpected error is ours, so ask the MTA to retry."""
        log.error("LMTP session error: %s", _one_line(error))
        return "451 4.3.0 Temporary server error; try again later"

    def _store(self, data: bytes, names: list[str], mail_from: str) -> None:
        """Store the message for every recipient mailbox in one transaction."""
        received, stored = self.ingestor.clock.now(), []
        sender = mail_from.strip().strip("<>")
        with self.sessions.begin() as session:
            for name in names:
                [outcome] = self.ingestor.ingest_batch(session, [RawMail(data, f"lmtp:{name}", received, sender)],
                                                       name)
                stored.append(f"{name}: {outcome.status}")
        log.info("LMTP delivery stored (%s)", ", ".join(stored))


def _per_recipient(answer: str, names: list[str]) -> str:
    return "\r\n".join([answer] * max(1, len(names)))


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


class _LmtpServer(LMTP):
    """aiosmtpd's LMTP, answering a too-large DATA once per recipient as RFC 2033 requires."""

    async def push(self, status: AnyStr) -> None:
        if isinstance(status, str) and status == TOO_MUCH and self.envelope is not None:
            status = "\r\n".join(["552 5.3.4 Message too big for this mailbox"] * max(1, len(self.envelope.rcpt_tos)))
        await super().push(status)


class LmtpController(Controller):
    """A threaded aiosmtpd controller serving LMTP: `start()`, `stop()`, `hostname`, `port`."""

    def factory(self) -> Any:
        return _LmtpServer(self.handler, **self.SMTP_kwargs)


def start_lmtp(config: Config, session_factory: sessionmaker[Session], ingestor: Ingestor) -> LmtpController:
    """Start the listener on `[lmtp] host:port` in its own thread; call `.stop()` to end it."""
    handler = LmtpHandler(config, session_factory, ingestor)
    controller = LmtpController(handler, hostname=config.lmtp.host or "127.0.0.1", port=config.lmtp.port,
                                data_size_limit=config.lmtp.max_message_bytes, enable_SMTPUTF8=True)
    controller.start()
    return controller
