"""The composition root: a console built by `create_app(config)` alone behaves as `helpdesk run`
does, and two sets of services in one process share neither listeners nor keys."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from mailfactory import make_mail
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from inbox.ingest import RawMail
from services import Services
from sla.reports import figures_feed
from tickets import crypto, events, row_ids, search_feed
from tickets.clock import FrozenClock
from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig
from tickets.models import Direction, Message, SlaClock, Ticket
from web import create_app

SECRET = "my grinder broke on the second brew"


def _sealed_files(root: Path) -> list[bytes]:
    return [path.read_bytes() for path in root.glob("??/*") if path.is_file()]


def test_an_app_built_from_its_config_alone_seals_mail_and_runs_clocks(config: Config) -> None:
    app = create_app(config)
    services: Services = app.extensions["helpdesk"]
    mail = make_mail(subject="Broken grinder", body=f"Hello,\n\n{SECRET}.\n\nIda\n")
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(mail, "test")], "support")
    assert outcome.status == "created"

    files = _sealed_files(Path(config.storage.path))
    assert files and not any(SECRET.encode() in data for data in files)
    with services.engine.connect() as connection:
        stored = connection.scalar(text("SELECT text FROM messages WHERE direction = 'inbound'"))
    assert stored.startswith(crypto.TEXT_MARK) and SECRET not in stored
    with services.readonly() as session:
        assert SECRET in session.scalar(select(Message.text).where(Message.direction == Direction.INBOUND.value))
        ticket = session.scalar(select(Ticket))
        running = {c.kind: c for c in session.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id))}
        assert running["reply"].running and running["reply"].due_at is not None
        assert ticket.next_deadline == min(c.due_at for c in running.values())
        assert ticket.next_warn == min(c.warn_at for c in running.values())
    services.close()


def _installation(template: Path, tmp_path: Path, name: str, router_model: Path) -> Config:
    """An installation of its own: its own database file and storage folder (so its own key); the
    test session's router model, not one trained into ./var of the checkout."""
    target = tmp_path / f"{name}.db"
    shutil.copyfile(template, target)
    return dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{target}"),
                               storage=StorageConfig(path=str(tmp_path / f"{name}-files")),
                               routing=RoutingConfig(model_path=str(router_model)))


def test_two_services_in_one_process_keep_their_listeners_and_keys_apart(sqlite_template: Path, tmp_path: Path,
                                                                          frozen_clock: FrozenClock,
                                                                          router_model: Path) -> None:
    first = Services.build(_installation(sqlite_template, tmp_path, "first", router_model), frozen_clock)
    second = Services.build(_installation(sqlite_template, tmp_path, "second", router_model), frozen_clock)
    heard: list[str] = []
    first.listeners.add(lambda session, ticket, payload, at: heard.append(payload.kind.value))

    with second.sessions.begin() as session:
        second.ingestor.ingest_batch(session, [RawMail(make_mail(body=f"{SECRET}\n"), "x")], "support")
    assert heard == []
    with first.sessions.begin() as session:
        first.ingestor.ingest_batch(session, [RawMail(make_mail(body=f"{SECRET}\n"), "x")], "support")
        ticket = session.scalar(select(Ticket))
        events.record(session, ticket, events.NoteAdded(), frozen_clock.now())
    assert heard[-1] == "note"
    with second.readonly() as session:
        assert session.scalar(select(Ticket.id)) is not None  # its own ticket, indexed and clocked as its own
        assert session.scalar(select(SlaClock.id)) is not None

    assert crypto.keyring_of(first.engine.dialect) is first.keyring
    assert crypto.keyring_of(second.engine.dialect) is second.keyring
    assert first.keyring.keys != second.keyring.keys
    # The second installation's key cannot open what the first sealed.
    with first.engine.connect() as connection:
        sealed = connection.scalar(text("SELECT text FROM messages WHERE direction = 'inbound'"))
    with pytest.raises(crypto.DecryptError):
        crypto.open_text(sealed, second.keyring)
    assert SECRET in crypto.open_text(sealed, first.keyring)

    # Nothing is registered on SQLAlchemy's Session class: only on each services' own sessionmakers.
    for name, listener in (("before_flush", row_ids.assign_ids), ("after_flush", search_feed.after_flush),
                           ("after_flush", figures_feed.after_flush)):
        assert not event.contains(Session, name, listener)
        assert event.contains(first.sessions, name, listener) and event.contains(second.sessions, name, listener)
    first.close()
    second.close()
