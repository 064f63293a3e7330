"""Content-addressed file store for raw copies and attachments under `[storage] path`.

A file's name is the sha256 of its plain bytes, so the same attachment sent twice is kept once and a
stored file can be checked against its name. The bytes on disk are sealed with the encryption
keyring (raw copies are encrypted at rest, docs/policies.md): the one passed in, else the key file
under the store's own folder. Files are written atomically (temp file
+ rename).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from tickets import crypto

_DIGEST = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """Files named by their sha256, in 256 folders by the first two hex digits (as git keeps objects):
    small enough folders, and few enough that new mail seldom has to create one."""

    def __init__(self, root: str | os.PathLike[str], keyring: crypto.Keyring | None = None) -> None:
        self.root = Path(root)
        self._made: set[Path] = set()
        self._keyring = keyring
        self._own: crypto.Keyring | None = None

    @property
    def keyring(self) -> crypto.Keyring:
        """The keyring given, else the key file in `root`."""
        if self._keyring is not None:
            return self._keyring
        if self._own is None:
            self._own = crypto.file_keyring(self.root)
        return self._own

    def make_folders(self) -> None:
        """Create all 256 folders now: a long-lived writer (an ingestor) calls this once at start,
        so that mail does not wait on creating them, a slow operation on a busy disk."""
        for number in range(256):
            folder = self.root / f"{number:02x}"
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def path(self, digest: str) -> Path:
        if not _DIGEST.fullmatch(digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its sha256."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.path(digest).exists():
            self._write(digest, crypto.sealed_pieces(data, self.keyring))
        return digest

    def _write(self, digest: str, sealed: Iterable[bytes]) -> None:
        target = self.path(digest)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        temp = target.parent / f".tmp-{secrets.token_hex(8)}"
        try:  # mkstemp's guarantees (a new file, owner-only) without its retry loop's cost
            with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                handle.writelines(sealed)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def get(self, digest: str) -> bytes:
        """The plain bytes of a stored file."""
        return crypto.open_bytes(self.path(digest).read_bytes(), self.keyring)

    def digests(self) -> Iterator[str]:
        """Every stored file's digest (the key file and temp files are not stored files)."""
        for path in self.root.glob("??/*"):
            if _DIGEST.fullmatch(path.name) and path.parent.name == path.name[:2]:
                yield path.name

    def reseal(self, digest: str) -> None:
        """Write a stored file again sealed with the newest key (key rotation)."""
        self._write(digest, crypto.sealed_pieces(self.get(digest), self.keyring))

    def exists(self, digest: str) -> bool:
        return self.path(digest).exists()

    def delete(self, digest: str) -> None:
        """Overwrite, then unlink: erased data should not linger in the file's old blocks."""
        target = self.path(digest)
        if not target.exists():
            return
        size = target.stat().st_size
        with open(target, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        target.unlink()
