"""Helpers shared by the IMAP tests (the Dovecot server itself is tests/dovecot.py)."""
from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dovecot import Dovecot
from mailfactory import make_mail
from sqlalchemy import select

from inbox.imap import Poller
from inbox.ingest import Ingestor
from services import Services
from tickets.config import Config
from tickets.models import Direction, MailboxState, Message


@pytest.fixture
def imap_user(dovecot_server: Dovecot) -> str:
    """A fresh Dovecot user with an empty INBOX."""
    return dovecot_server.add_user()


def with_imap(config: Config, server: Dovecot, user: str, name: str = "support", **fields: object) -> Config:
    """`config` with mailbox `name` polled from `user`'s account on the test Dovecot."""
    settings = {"imap_host": server.host, "imap_port": server.port, "imap_user": user,
                "imap_password": server.password, "imap_tls": "none", **fields}
    box = dataclasses.replace(config.mailbox(name), **settings)
    return dataclasses.replace(config, mailboxes={**config.mailboxes, name: box})


def mails(count: int, prefix: str = "m", body: str = "Hi,\n\nMy parcel has not arrived.\n") -> list[bytes]:
    return [make_mail(message_id=f"<{prefix}{i}@example.com>", subject=f"Order question {prefix}{i}", body=body)
            for i in range(count)]


def stored(services: Services) -> list[str]:
    """The Message-IDs stored so far (a short read of its own: SQLite writers must not wait on the test)."""
    with services.readonly() as session:
        return list(session.scalars(select(Message.message_id).where(Message.direction == Direction.INBOUND.value)))


def state_of(services: Services, mailbox: str) -> MailboxState | None:
    with services.readonly() as session:
        return session.get(MailboxState, mailbox)


def health(services: Services, mailbox: str) -> MailboxState:
    state = state_of(services, mailbox)
    assert state is not None
    return state


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def poller(config: Config, services: Services, name: str = "support", **kwargs: object) -> Poller:
    """A poller of mailbox `name` as `config` sets it up, storing through the services' sessions."""
    ingestor = Ingestor(config, services.store, services.clock)
    return Poller(config, name, services.sessions, ingestor, **kwargs)  # type: ignore[arg-type]


def write_config(path: Path, url: str, storage: Path, mailboxes: dict[str, dict[str, object]], model: str) -> Path:
    """A config file for a `helpdesk` process the test starts; `model` is the session's trained router."""
    lines = ["[database]", f"url = {json.dumps(url)}", "[storage]", f"path = {json.dumps(str(storage))}",
             "[routing]", f"model_path = {json.dumps(model)}"]
    for name, fields in mailboxes.items():
        lines.append(f"[mailboxes.{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in fields.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def imap_fields(server: Dovecot, user: str, **extra: object) -> dict[str, object]:
    return {"imap_host": server.host, "imap_port": server.port, "imap_user": user, "imap_password": server.password,
            "imap_tls": "none", **extra}
