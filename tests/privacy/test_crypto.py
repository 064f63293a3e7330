"""Encryption at rest: names, bodies and raw copies are sealed; keys come from config, env or a key file;
rotation re-seals everything so the old key can be dropped."""
from __future__ import annotations

import dataclasses
import stat
from contextlib import AbstractContextManager, closing
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from mailfactory import make_mail
from privacy_support import Ingest, ingest_mail, mail_with_attachment, stored_bytes
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from services import Services
from tickets import crypto, keys, operations, search_feed
from tickets.clock import FrozenClock
from tickets.config import Config, PrivacyConfig
from tickets.errors import ConfigError
from tickets.models import AttachmentFile, Customer, Message
from tickets.retention import scrub
from tickets.search import search_tickets

NAME = "Quillon Marravesh"
SENTENCE = "The plunger seal squeaks whenever I press down slowly"


def with_keys(config: Config, *keys_: str) -> Config:
    return dataclasses.replace(config, privacy=PrivacyConfig(encryption_keys=keys_))


def test_name_body_and_raw_copy_are_not_stored_in_plaintext(config: Config, services: Services, engine: Engine,
                                                            session: Session, sealed: crypto.Keyring,
                                                            ingest: Ingest) -> None:
    # The customer's name and a sentence of their mail are nowhere on disk as written, yet read back whole.
    ingest(make_mail(sender=f"{NAME} <quillon@example.com>", subject="Plunger noise", body=f"Hello,\n\n{SENTENCE}.\n"))
    on_disk = stored_bytes(config, engine)
    assert NAME.encode() not in on_disk and SENTENCE.encode() not in on_disk
    assert b"quillon@example.com" in on_disk  # the lookup key stays plain, as documented
    message = session.scalar(select(Message))
    assert message is not None and SENTENCE in message.text and message.sender_name == NAME
    assert SENTENCE.encode() in services.store.get(message.raw_sha256)
    assert session.scalar(select(Customer.name)) == NAME
    assert [t.id for t in search_tickets(session, "plunger squeaks", None).tickets] == [message.ticket_id]


def test_files_take_a_quarter_less_room_and_those_written_before_still_open(services: Services,
                                                                             sealed: crypto.Keyring) -> None:
    # A sealed file holds the Fernet token's bytes; one holding the token's base64 text, as files were first
    # written, still reads back.
    store, data = services.store, f"{SENTENCE}. ".encode() * 200
    digest = store.put(data)
    first_form = crypto.BYTES_MARK + sealed.seal(data)
    assert store.path(digest).stat().st_size < 0.8 * len(first_form)
    assert store.get(digest) == data
    store.path(digest).write_bytes(first_form)
    assert store.get(digest) == data


def test_long_values_are_sealed_in_chunks_and_read_back_whole(config: Config, services: Services, engine: Engine,
                                                             session: Session, sealed: crypto.Keyring, ingest: Ingest,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A body and an attachment longer than a sealing chunk are sealed a chunk at a time (a 40 MB mail
    # is not held several times over): none of it is on disk in the clear, all of it reads back.
    monkeypatch.setattr(crypto, "SEAL_CHUNK", 4096)
    body = "".join(f"Line {n}: {SENTENCE}.\n" for n in range(600))
    data = b"".join(f"row {n} of the grinder log\n".encode() for n in range(2000))
    ingest(mail_with_attachment(f"{NAME} <quillon@example.com>", "Grinder log", body, "log.bin", data))
    on_disk = stored_bytes(config, engine)
    assert SENTENCE.encode() not in on_disk and b"row 1999 of the grinder log" not in on_disk
    message = session.scalar(select(Message))
    attachment = session.scalar(select(AttachmentFile))
    assert message is not None and attachment is not None
    assert message.text.strip() == body.strip()
    assert services.store.get(attachment.sha256) == data
    assert body.splitlines()[-1].encode() in services.store.get(message.raw_sha256)
    assert services.store.path(attachment.sha256).read_bytes().startswith(crypto.CHUNKED_BYTES_MARK)
    assert session.scalar(text("SELECT text FROM messages")).startswith(crypto.CHUNKED_TEXT_MARK)


def test_pieces_of_a_long_value_open_only_as_they_were_sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each piece seals its place: someone who can write the database cannot reorder, drop or add pieces.
    monkeypatch.setattr(crypto, "SEAL_CHUNK", 16)
    ring = crypto.Keyring((crypto.generate_key(),), "test")
    value = "".join(f"piece {n}; " for n in range(10))
    stored = crypto.seal_text(value, ring)
    assert stored.startswith(crypto.CHUNKED_TEXT_MARK) and crypto.open_text(stored, ring) == value
    tokens = stored[len(crypto.CHUNKED_TEXT_MARK):].split(".")
    for tampered in ([tokens[1], tokens[0], *tokens[2:]], tokens[:-1], [*tokens, tokens[-1]]):
        with pytest.raises(crypto.DecryptError, match="pieces"):
            crypto.open_text(crypto.CHUNKED_TEXT_MARK + ".".join(tampered), ring)


def test_a_huge_body_is_stored_once_and_indexed_by_its_start(session: Session, sealed: crypto.Keyring,
                                                            ingest: Ingest, monkeypatch: pytest.MonkeyPatch) -> None:
    # A body too long for quotes to be told apart is stored once (the console shows the whole text),
    # and the search index takes its start, not all of it.
    monkeypatch.setattr(search_feed, "INDEXED_CHARS", 2000)
    body = "Espresso grinder " + "burr " * (operations.WHOLE_TEXT_CHARS // 5) + "zanzibarquux\n"
    ingest(make_mail(sender=f"{NAME} <quillon@example.com>", subject="Long", body=body))
    message = session.scalar(select(Message))
    assert message is not None and message.new_text == "" and "zanzibarquux" in message.text
    assert len(search_tickets(session, "espresso grinder", None).tickets) == 1
    assert search_tickets(session, "zanzibarquux", None).tickets == []


def test_without_keys_a_key_file_is_generated_once_owner_only(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # The embedded default needs no setup: a 0600 key file appears under the storage folder and is reused.
    monkeypatch.delenv(config.privacy.encryption_keys_env, raising=False)
    first = crypto.keyring_for(config)
    path = Path(config.storage.path) / crypto.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crypto.keyring_for(config).keys == first.keys and len(first.keys) == 1


def test_keys_come_from_config_then_environment(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    # Configured keys win over the environment; the environment lists keys newest first, comma-separated.
    new, old = crypto.generate_key(), crypto.generate_key()
    monkeypatch.setenv(config.privacy.encryption_keys_env, f"{new}, {old}")
    assert crypto.keyring_for(config).keys == (new, old)
    assert crypto.keyring_for(with_keys(config, old)).keys == (old,)
    token = crypto.keyring_for(with_keys(config, old)).seal(b"x")
    assert crypto.keyring_for(config).open(token) == b"x"


def test_a_bad_key_is_a_config_error_naming_it(config: Config) -> None:
    # A mistyped key is reported with where it came from, not as a crash at first use.
    with pytest.raises(ConfigError, match="privacy.encryption_keys: key 2 is not a Fernet key"):
        crypto.keyring_for(with_keys(config, crypto.generate_key(), "not-a-key"))


def test_rotation_reseals_fields_and_files_so_the_old_key_can_go(config: Config, frozen_clock: FrozenClock) -> None:
    # After `keys rotate` with a new key first, the new key alone opens every field and file; the old alone does not.
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    def services_with(*keys_: str) -> AbstractContextManager[Services]:
        """The services of one process whose config lists `keys_`."""
        return closing(Services.build(with_keys(config, *keys_), frozen_clock))

    with services_with(old) as before, before.sessions() as session:
        ingest_mail(before, session, make_mail(sender=f"{NAME} <quillon@example.com>", body=f"{SENTENCE}.\n"))
    with services_with(new, old) as both, both.sessions.begin() as session:
        counts = keys.rotate(session, both.store, "cli:test", frozen_clock.now())
    assert counts["rows"] >= 2 and counts["files"] == 1
    assert not (Path(config.storage.path) / crypto.KEY_FILE).exists()  # no key but those configured
    with services_with(new) as after, after.sessions() as session:
        message = session.scalar(select(Message))
        assert message is not None and SENTENCE in message.text and message.sender_name == NAME
        assert SENTENCE.encode() in after.store.get(message.raw_sha256)
    with services_with(old) as stale, stale.sessions() as session:
        with pytest.raises(crypto.DecryptError):
            session.scalar(select(Message.text))
        with pytest.raises(crypto.DecryptError):
            stale.store.get(message.raw_sha256)


def test_rotation_seals_data_written_before_encryption(config: Config, services: Services, session: Session,
                                                       ingest: Ingest, frozen_clock: FrozenClock) -> None:
    # Rows and files from before encryption was enabled stay readable, and `keys rotate` seals them.
    engine = services.engine
    crypto.attach(engine, None)  # as a version without encryption wrote them
    ingest(make_mail(sender=f"{NAME} <quillon@example.com>", body=f"{SENTENCE}.\n"))
    assert NAME.encode() in stored_bytes(config, engine)
    crypto.attach(engine, services.keyring)
    assert session.scalar(select(Customer.name)) == NAME
    keys.rotate(session, services.store, "cli:test", frozen_clock.now())
    session.commit()
    scrub(engine)
    assert NAME.encode() not in stored_bytes(config, engine)
    assert session.scalar(select(Customer.name)) == NAME


def test_keys_commands(run_cli, config: Config) -> None:  # type: ignore[no-untyped-def]
    # `keys generate` prints a usable key; `keys rotate` reports what it re-sealed.
    code, out, _ = run_cli("keys", "generate")
    assert code == 0 and Fernet(out.strip().encode())
    code, out, _ = run_cli("keys", "rotate")
    assert code == 0 and '"rows": 0' in out and '"files": 0' in out
