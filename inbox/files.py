"""Mail from files: .eml files, Maildir folders and mbox files, as `RawMail` in a stable order.

An mbox message's `From ` line carries the envelope sender its MTA saw, the one trace of the
envelope a file without Return-Path keeps: passed on to auto-mail detection and recorded. A bare
`From MAILER-DAEMON` is not taken for the null sender: Python's mailbox module and other tools
write it for any message whose sender they do not know. mbox files with classic-Mac line endings
(CR only) are read too.
"""
from __future__ import annotations

import mailbox
import re
import tempfile
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


_BARE_CR = re.compile(rb"\r(?!\n)")


def envelope_sender(from_line: bytes) -> str | None:
    """The address of an mbox `From sender date` line; None when it names none (`-`, `???@???`, a name)."""
    fields = from_line.decode("utf-8", "replace").split()
    sender = fields[1].strip("<>") if len(fields) > 1 and fields[0] == "From" else ""
    return sender if "@" in sender and "?" not in sender else None


def _from_mbox(path: Path) -> Iterator[RawMail]:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if b"\n" not in head.split(b"\r", 1)[0] and b"\r" in head and b"\r\n" not in head:
        yield from _from_cr_mbox(path)
        return
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for index, key in enumerate(box.keys()):
            from_line, _, data = box.get_bytes(key, from_=True).partition(b"\n")
            yield RawMail(data, f"{path}#{index + 1}", envelope_sender=envelope_sender(from_line))
    finally:
        box.close()


def _from_cr_mbox(path: Path) -> Iterator[RawMail]:
    """An mbox written with CR line endings, read through a copy with LF ones."""
    with tempfile.NamedTemporaryFile(suffix=".mbox") as copy, open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            copy.write(_BARE_CR.sub(b"\n", block))
        copy.flush()
        for mail in _from_mbox(Path(copy.name)):
            yield RawMail(mail.data, f"{path}{mail.source[len(copy.name):]}", envelope_sender=mail.envelope_sender)


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
