"""A real SMTP server on loopback for tests (aiosmtpd), and a handler that keeps what it receives."""
from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from dovecot import free_port


class Sink:
    """An SMTP server's handler: answers queued codes first, then accepts and keeps the mail."""

    def __init__(self) -> None:
        self.data_answers: list[str] = []
        self.rcpt_answers: list[str] = []
        self.received: list[Envelope] = []

    async def handle_RCPT(self, server: object, session: object, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        if self.rcpt_answers:
            return self.rcpt_answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        if self.data_answers:
            return self.data_answers.pop(0)
        self.received.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.original_content or b"", policy=default) for e in self.received]  # type: ignore[misc]


@contextmanager
def serving(handler: Any, **options: Any) -> Iterator[int]:
    """Serve `handler` on a free loopback port for the block; yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
