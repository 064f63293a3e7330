"""Encryption at rest: Fernet keys from the config, the environment or a key file, with rotation.

The Privacy Policy ("sensitive identity ... information is stored under advanced encryption
protection"; docs/policies.md). Keys are listed newest first: `privacy.encryption_keys`, else the
comma-separated environment variable named by `privacy.encryption_keys_env`, else a key generated
under the storage folder on first use (mode 0600), so the embedded default needs no setup. New data
is sealed with the newest key and any listed key opens it (MultiFernet), so a rotation is: put a new
key first, run `helpdesk keys rotate`, then drop the old one.

The composition root attaches a keyring to its engine (`attach`); the column types below read the
keyring of the engine a statement runs on, so two engines in one process never share keys. On an
engine without one values are stored as given, and a value without the seal marker (written
before encryption was enabled) is read as it is, so an existing database keeps working until
`helpdesk keys rotate` seals it.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import JSON, Engine, LargeBinary, Text, TypeDecorator
from sqlalchemy.engine import Dialect

from tickets.config import Config
from tickets.errors import ConfigError, HelpdeskError

log = logging.getLogger(__name__)

KEY_FILE = "encryption-key"
TEXT_MARK = "enc1:"
BYTES_MARK = b"HDENC1:"  # then a Fernet token in its url-safe base64 text, as sealed bytes were first written
TOKEN_BYTES_MARK = b"HDENC2:"  # then the same token's bytes: a quarter smaller than its base64 text
CHUNKED_BYTES_MARK = b"HDENC3:"  # then frames: a token's length (4 bytes, big-endian) and its bytes
CHUNKED_TEXT_MARK = "enc2:"  # then tokens, in their base64 text, separated by "."
SEAL_CHUNK = 1024 * 1024  # bytes (characters of text): longer values are sealed in pieces this long


class DecryptError(HelpdeskError):
    """Sealed data that none of the configured keys opens (a key was dropped before rotating)."""


@dataclass(frozen=True)
class Keyring:
    """Fernet keys, newest first: the first seals, any of them opens."""

    keys: tuple[str, ...]
    source: str

    @cached_property
    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key.encode("ascii")) for key in self.keys])

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise DecryptError(f"cannot decrypt stored data with the {len(self.keys)} key(s) from {self.source} "
                               "(was a key dropped before `helpdesk keys rotate` finished?)") from None


def generate_key() -> str:
    """A new random Fernet key (url-safe base64 of 32 bytes)."""
    return Fernet.generate_key().decode("ascii")


def keyring(keys: tuple[str, ...] | list[str], source: str) -> Keyring:
    """A keyring after checking every key; a bad one is a ConfigError naming where it came from."""
    cleaned = tuple(dict.fromkeys(k.strip() for k in keys if k.strip()))
    for index, key in enumerate(cleaned):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ConfigError(f"{source}: key {index + 1} is not a Fernet key "
                              "(32 url-safe base64-encoded bytes; `helpdesk keys generate` makes one)") from None
    if not cleaned:
        raise ConfigError(f"{source}: no encryption key given")
    return Keyring(cleaned, source)


def keyring_for(config: Config) -> Keyring:
    """The configured keys, else those of the environment variable, else the storage folder's key file.

    A key file that exists is kept as the oldest key even when keys are configured, so data sealed
    before the switch still opens until `helpdesk keys rotate` has re-sealed it.
    """
    privacy, stored = config.privacy, Path(config.storage.path) / KEY_FILE
    from_env = os.environ.get(privacy.encryption_keys_env, "") if privacy.encryption_keys_env else ""
    if privacy.encryption_keys:
        keys, source = list(privacy.encryption_keys), f"{config.source}: privacy.encryption_keys"
    elif from_env.strip():
        keys, source = from_env.split(","), f"${privacy.encryption_keys_env}"
    else:
        try:
            return file_keyring(Path(config.storage.path))
        except OSError as exc:  # the key file is the first thing written under the storage folder
            raise ConfigError(f"{config.source}: storage.path {config.storage.path!r} cannot be written "
                              f"({exc.strerror or exc})") from None
    if stored.exists():
        keys.append(stored.read_text(encoding="ascii").strip())
    return keyring(keys, source)


def file_keyring(root: Path) -> Keyring:
    """The key kept under the storage folder `root`, generated (mode 0600) on first use.

    Created atomically by hard-linking a finished temp file, so two processes starting together
    agree on one key.
    """
    path = root / KEY_FILE
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=root, prefix=".key-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(generate_key() + "\n")
            os.chmod(temp, 0o600)
            os.link(temp, path)
            log.warning("generated an encryption key at %s: back it up, or configure privacy.encryption_keys", path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    return keyring([path.read_text(encoding="ascii").strip()], f"key file {path}")


_DIALECT_KEY = "helpdesk_keyring"


def attach(engine: Engine, ring: Keyring | None) -> None:
    """Seal and open the encrypted columns of statements run on `engine` with `ring` (None: store
    values as given). Each engine has a dialect of its own, which the column types are handed."""
    setattr(engine.dialect, _DIALECT_KEY, ring)


def keyring_of(dialect: Dialect) -> Keyring | None:
    """The keyring attached to the engine whose dialect this is."""
    ring: Keyring | None = getattr(dialect, _DIALECT_KEY, None)
    return ring


def seal_bytes(data: bytes, ring: Keyring | None) -> bytes:
    """Sealed bytes (raw copies, attachments) are kept as the token's bytes, not its base64 text:
    mail is most of what the disk holds and writes."""
    return b"".join(sealed_pieces(data, ring))


def sealed_pieces(data: bytes, ring: Keyring | None) -> Iterator[bytes]:
    """`seal_bytes(data)` in pieces, to be written as they come. A value over SEAL_CHUNK is sealed
    a chunk at a time, each chunk its own token: Fernet holds a whole value several times over
    (padded, encrypted, framed, base64), which for a 50 MB attachment was hundreds of MB. Each
    token seals its place ("i/n:" before the chunk), so pieces reordered, dropped or added do not open."""
    if ring is None or not data:
        yield data
    elif len(data) <= SEAL_CHUNK:
        yield TOKEN_BYTES_MARK + base64.urlsafe_b64decode(ring.seal(data))
    else:
        yield CHUNKED_BYTES_MARK
        view = memoryview(data)
        count = -(-len(data) // SEAL_CHUNK)
        for index, start in enumerate(range(0, len(data), SEAL_CHUNK)):
            token = base64.urlsafe_b64decode(ring.seal(_placed(index, count, view[start:start + SEAL_CHUNK])))
            yield len(token).to_bytes(4, "big") + token


def _placed(index: int, count: int, chunk: bytes | memoryview) -> bytes:
    return b"%d/%d:" % (index, count) + chunk


def _opened_pieces(ring: Keyring, tokens: list[bytes]) -> Iterator[bytes]:
    """The plain chunks of a value sealed in pieces, each checked to stand where it was sealed."""
    for index, token in enumerate(tokens):
        place, _, chunk = ring.open(token).partition(b":")
        if place != b"%d/%d" % (index, len(tokens)):
            raise DecryptError("a value sealed in pieces has lost, gained or reordered pieces")
        yield chunk


def _frames(data: bytes) -> Iterator[bytes]:
    """The tokens of a chunked sealed value, as their base64 text."""
    view, at = memoryview(data), len(CHUNKED_BYTES_MARK)
    while at < len(data):
        size = int.from_bytes(view[at:at + 4], "big")
        yield base64.urlsafe_b64encode(view[at + 4:at + 4 + size])
        at += 4 + size


def open_bytes(data: bytes, ring: Keyring | None) -> bytes:
    """Plain bytes of a sealed value in any of its forms; unsealed (older) values pass through."""
    if data.startswith(CHUNKED_BYTES_MARK):
        if ring is None:
            raise DecryptError("stored data is encrypted but no encryption key is installed")
        return b"".join(_opened_pieces(ring, list(_frames(data))))
    if data.startswith(TOKEN_BYTES_MARK):
        token = base64.urlsafe_b64encode(data[len(TOKEN_BYTES_MARK):])
    elif data.startswith(BYTES_MARK):
        token = data[len(BYTES_MARK):]
    else:
        return data
    if ring is None:
        raise DecryptError("stored data is encrypted but no encryption key is installed")
    return ring.open(token)


def seal_text(value: str, ring: Keyring | None) -> str:
    """Sealed text; a text over SEAL_CHUNK characters is sealed a chunk at a time (see `sealed_pieces`)."""
    if ring is None or not value:
        return value
    if len(value) <= SEAL_CHUNK:
        return TEXT_MARK + ring.seal(value.encode("utf-8")).decode("ascii")
    count = -(-len(value) // SEAL_CHUNK)
    return CHUNKED_TEXT_MARK + ".".join(
        ring.seal(_placed(index, count, value[start:start + SEAL_CHUNK].encode("utf-8"))).decode("ascii")
        for index, start in enumerate(range(0, len(value), SEAL_CHUNK)))


def open_text(value: str, ring: Keyring | None) -> str:
    if not value.startswith((TEXT_MARK, CHUNKED_TEXT_MARK)):
        return value
    if ring is None:
        raise DecryptError("stored text is encrypted but no encryption key is installed")
    if value.startswith(TEXT_MARK):
        return ring.open(value[len(TEXT_MARK):].encode("ascii")).decode("utf-8")
    tokens = [token.encode("ascii") for token in value[len(CHUNKED_TEXT_MARK):].split(".")]
    return b"".join(_opened_pieces(ring, tokens)).decode("utf-8")


class EncryptedText(TypeDecorator[str]):
    """A text column sealed with the active keyring; '' stays '' (emptiness is not a secret)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else seal_text(value, keyring_of(dialect))

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else open_text(value, keyring_of(dialect))


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value serialised, then sealed like `EncryptedText`; the column stays a JSON column
    holding one string, so values written before encryption (plain JSON) still read as they are."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        ring = keyring_of(dialect)
        if value is None or ring is None:
            return value
        return seal_text(json.dumps(value, ensure_ascii=False), ring)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, str) and value.startswith((TEXT_MARK, CHUNKED_TEXT_MARK)):
            return json.loads(open_text(value, keyring_of(dialect)))
        return value


class EncryptedBytes(TypeDecorator[bytes]):
    """A binary column (a whole mail) sealed with the active keyring."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else seal_bytes(bytes(value), keyring_of(dialect))

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else open_bytes(bytes(value), keyring_of(dialect))
