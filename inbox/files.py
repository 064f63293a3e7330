"""Mail from files: .eml files, Maildir folders and mbox files, as `RawMail` in a stable order."""
from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from pathlib import Path

from inbox.ingest import RawMail
from tickets.errors import InputError


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(5) == b"From "


def _from_maildir(path: Path) -> Iterator[RawMail]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.keys()):
        yield RawMail(box.get_bytes(key), f"{path}/{key}")


def _from_mbox(path: Path) -> Iterator[RawMail]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for index, key in enumerate(box.keys()):
            yield RawMail(box.get_bytes(key), f"{path}#{index + 1}")
    finally:
        box.close()


def read_path(path: Path) -> Iterator[RawMail]:
    """Every message under `path`: a Maildir, a folder of .eml files (recursively), an mbox or one file."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        if _is_maildir(path):
            yield from _from_maildir(path)
            return
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() == ".eml":
                yield RawMail(child.read_bytes(), str(child))
            elif child.is_dir() and _is_maildir(child):
                yield from _from_maildir(child)
        return
    try:
        if _is_mbox(path):
            yield from _from_mbox(path)
        else:
            yield RawMail(path.read_bytes(), str(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def check_paths(paths: Iterable[str]) -> None:
    """Fail before any work when a path given does not exist."""
    for name in paths:
        if not Path(name).exists():
            raise InputError(f"{name}: no such file or folder")


def read_paths(paths: Iterable[str]) -> Iterator[RawMail]:
    for name in paths:
        yield from read_path(Path(name))
