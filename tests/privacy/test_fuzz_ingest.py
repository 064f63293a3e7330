"""Hostile mail through ingestion: nothing crashes, nothing is written outside the storage folder, and
every message is either stored (with its raw copy) or quarantined."""
from __future__ import annotations

import base64
import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.ingest import STATUSES, Ingestor, RawMail
from services import Services
from tickets.config import Config, StorageConfig
from tickets.models import Message, Quarantine
from tickets.storage import FileStore

HOSTILE_NAMES = ["../../etc/passwd", "/etc/shadow", "..\\..\\windows\\win.ini", "C:\\boot.ini", "a\x00b.txt",
                 "x" * 5000, "..", ".", "", "\u202egpj.exe", "con", "%2e%2e%2fpasswd", "../" * 300 + "x",
                 "~/.ssh/authorized_keys", "files/../../escape", "\r\nX-Injected: yes"]
CHARSETS = ["utf-8", "x-unknown", "iso-2022-jp", "utf-7", "", "\x00", "utf-16", "bogus\"quote"]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "bogus", ""]


def _header(name: bytes, value: bytes) -> bytes:
    return name + b": " + value + b"\r\n"


headers = st.one_of(
    st.tuples(st.sampled_from([b"Subject", b"From", b"To", b"Cc", b"Message-ID", b"References", b"X-Junk"]),
              st.binary(max_size=300).map(lambda b: b.replace(b"\r\n", b" "))),
    st.just((b"Subject", b"A" * 200_000)),
    st.just((b"References", b" ".join(b"<%d@x>" % i for i in range(5000)))),
    st.just((b"From", b"=?utf-8?b?!!!notbase64?= <\x00@\x00>")),
    st.just((b"Subject", b"=?x-unknown?q?=FF=FE=00?= =?utf-8?b?"
             + base64.b64encode("\udcff".encode(errors="surrogatepass")) + b"?=")),
    st.just((b"X-\x00Nul", b"\x00\x00")),
).map(lambda pair: _header(*pair))


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    """A text part with a doubtful charset and encoding, or an attachment with a hostile name."""
    if draw(st.booleans()):
        charset, encoding = draw(st.sampled_from(CHARSETS)), draw(st.sampled_from(ENCODINGS))
        body = draw(st.one_of(st.binary(max_size=2000),
                              st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))))
        return (b'Content-Type: text/plain; charset="' + charset.encode() + b'"\r\n'
                + b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n\r\n" + body)
    name = draw(st.sampled_from(HOSTILE_NAMES)).encode("utf-8", "surrogatepass")
    size = draw(st.sampled_from([0, 10, 100_000, 400_000, 1_500_000]))  # zeros: tiny once compressed, big decoded
    payload = base64.encodebytes(b"\0" * size)
    style = draw(st.sampled_from([b'filename="%s"', b"filename*=utf-8''%s", b"name=%s"]))
    return (b"Content-Type: application/octet-stream; " + (style % name) + b"\r\n"
            + b"Content-Disposition: attachment; " + (style % name) + b"\r\n"
            + b"Content-Transfer-Encoding: base64\r\n\r\n" + payload)


def _nest(part: bytes, depth: int, kinds: list[bytes], closed: bool) -> bytes:
    for level in range(depth):
        kind = kinds[level % len(kinds)]
        if kind == b"message/rfc822":
            part = b"Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n" + part
            continue
        boundary = b"b%d" % level
        part = (b"Content-Type: " + kind + b'; boundary="' + boundary + b'"\r\n\r\n--' + boundary + b"\r\n" + part
                + (b"\r\n--" + boundary + b"--\r\n" if closed else b""))
    return part


@st.composite
def hostile_mail(draw: st.DrawFn) -> bytes:
    head = b"".join(draw(st.lists(headers, max_size=6)))
    kinds = draw(st.lists(st.sampled_from([b"multipart/mixed", b"multipart/alternative", b"message/rfc822",
                                           b"multipart/bogus"]), min_size=1, max_size=3))
    body = _nest(draw(leaf()), draw(st.integers(0, 60)), kinds, draw(st.booleans()))
    noise = draw(st.sampled_from([b"", b"\x00" * 50, b"\xff\xfe", b"\r\n\r\n\r\n"]))
    return b"From: Fuzz <fuzz@example.com>\r\n" + head + body + noise


def _outside(root: Path, storage: Path) -> set[Path]:
    """Every file under `root` but outside the storage folder."""
    found = set()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if Path(folder, d).resolve() != storage]
        found.update(Path(folder, f) for f in files)
    return found


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=hostile_mail())
def test_hostile_mail_is_stored_or_quarantined_inside_the_storage_folder(raw: bytes, config: Config,
                                                                          services: Services, session: Session,
                                                                          tmp_path: Path) -> None:
    # Whatever the MIME, ingestion accounts for the message and writes only under the storage folder.
    limits = StorageConfig(path=config.storage.path, max_attachment_bytes=256 * 1024, max_message_bytes=1_000_000)
    storage = Path(config.storage.path).resolve()
    before = _outside(tmp_path, storage)
    quarantined = session.scalar(select(func.count()).select_from(Quarantine))
    ingestor = Ingestor(dataclasses.replace(config, storage=limits), services.store, services.clock)
    [outcome] = ingestor.ingest_batch(session, [RawMail(raw, "fuzz")], "support")
    session.commit()
    assert outcome.status in STATUSES
    if outcome.status == "quarantined":
        assert session.scalar(select(func.count()).select_from(Quarantine)) == quarantined + 1
    else:
        message = session.scalar(select(Message).where(Message.message_id == outcome.message_id))
        assert message is not None and FileStore(storage).exists(message.raw_sha256)
    assert {p.name for p in _outside(tmp_path, storage) - before} <= {"helpdesk.db-wal", "helpdesk.db-shm"}
    assert all(p.resolve().parent.parent == storage and len(p.name) == 64
               for p in storage.rglob("*") if p.is_file() and p.name != "encryption-key")


def test_nul_bytes_are_stored_or_quarantined(services: Services, session: Session) -> None:
    # A NUL in a subject or an attachment's name (RFC 5322 forbids it; senders do it anyway) never stops
    # ingestion, even on PostgreSQL, whose text columns refuse NUL.
    raws = [b"From: a@example.com\r\nSubject: nul\x00here\r\n\r\nbody\x00\r\n",
            b"From: b@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            b"Content-Type: text/plain; name=\"a\x00b.txt\"\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--\r\n"]
    ingestor = Ingestor(services.config, services.store, services.clock)
    outcomes = ingestor.ingest_batch(session, [RawMail(raw, "nul") for raw in raws], "support")
    session.commit()
    assert len(outcomes) == 2 and all(o.status in ("created", "quarantined") for o in outcomes)
