"""Card numbers in every encoding a mail can carry them in: ingested through the real pipeline, none is
found in full in a database column, the search index's terms, a stored file, a log line or an export
(Privacy Policy 000: the shop never stores full card details). On SQLite and PostgreSQL."""
from __future__ import annotations

import base64
import binascii
import email
import html
import json
import logging
import quopri
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from privacy_support import Ingest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from inbox.parse import parse_message
from services import Services
from tickets.cards import luhn_valid
from tickets.models import Base

SENDER = "holder@example.com"


def card_numbers() -> st.SearchStrategy[str]:
    """Luhn-valid numbers of 13-19 digits starting like a payment card (2-6)."""
    def complete(body: str) -> str:
        return body + next(d for d in "0123456789" if luhn_valid(body + d))
    return st.builds(lambda first, rest: complete(first + rest), st.sampled_from("23456"),
                     st.integers(11, 17).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)))


def groups(number: str, separator: str) -> str:
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


def mail(headers: list[tuple[str, str]], body: bytes, content_type: str = "text/plain; charset=utf-8",
         encoding: str = "8bit") -> bytes:
    head = [("From", f"Card Holder <{SENDER}>"), ("To", "support@aeropressmall.com"),
            ("Date", "Tue, 24 Nov 2026 10:00:00 +0000"), *headers]
    if not any(name == "Subject" for name, _ in headers):
        head.append(("Subject", "my card"))
    head += [("MIME-Version", "1.0"), ("Content-Type", content_type), ("Content-Transfer-Encoding", encoding)]
    return "".join(f"{name}: {value}\r\n" for name, value in head).encode("latin-1") + b"\r\n" + body


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def word(text_: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text_.encode()).decode() + "?="


def multipart(boundary_params: str, part: bytes, boundary: str = "b1") -> bytes:
    return mail([], b"--" + boundary.encode() + b"\r\n" + part + b"\r\n--" + boundary.encode() + b"--\r\n",
                f"multipart/mixed; {boundary_params}", "7bit")


def attachment(params: str) -> bytes:
    return multipart('boundary="b1"', b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b1\r\n"
                     b"Content-Type: application/pdf; " + params.encode() + b"\r\nContent-Disposition: attachment; "
                     + params.encode() + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(b"%PDF-1.4"))


def uuencoded(data: bytes) -> bytes:
    lines = [binascii.b2a_uu(data[i:i + 45]) for i in range(0, len(data), 45)]
    return b"begin 644 card.txt\r\n" + b"".join(lines).replace(b"\n", b"\r\n") + b"`\r\nend\r\n"


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "subject folded inside the number": lambda n: mail([("Subject", f"refund {n[:8]}\r\n {n[8:]} please")], b"hi"),
    "subject over two encoded-words": lambda n: mail([("Subject", f"{word('card ' + n[:7])} {word(n[7:])}")], b"x"),
    "subject with tabs": lambda n: mail([("Subject", "card " + groups(n, "\t"))], b"hi"),
    "file name (filename=)": lambda n: attachment(f'filename="card {n}.pdf"'),
    "file name (name=, RFC 2231)": lambda n: attachment(f"name*0=\"card {n[:6]}\"; name*1=\"{n[6:]}.pdf\""),
    "Message-ID": lambda n: mail([("Message-ID", f"<{n}@client.example>")], b"hi"),
    "other header": lambda n: mail([("X-Order-Note", groups(n, " "))], b"hi"),
    "HTML tags": lambda n: mail([], ("<p>" + "".join(f"<b>{g}</b>" for g in groups(n, " ").split()) + "</p>").encode(),
                               "text/html; charset=utf-8"),
    "HTML &nbsp;": lambda n: mail([], groups(n, "&nbsp;").encode(), "text/html; charset=utf-8"),
    "HTML numeric references": lambda n: mail([], groups(n, "&#32;").replace(n[0], f"&#{ord(n[0])};", 1).encode(),
                                              "text/html; charset=utf-8"),
    "link": lambda n: mail([], f'<a href="https://pay.example/c?n={n}">pay</a>'.encode(), "text/html; charset=utf-8"),
    "quoted-printable =20": lambda n: mail([], groups(n, "=20").encode(), encoding="quoted-printable"),
    "quoted-printable every digit": lambda n: mail([], "".join(f"={ord(c):02X}" for c in n).encode(),
                                                   encoding="quoted-printable"),
    "UTF-16": lambda n: mail([], b64(f"Karte {n}".encode("utf-16")), "text/plain; charset=utf-16", "base64"),
    "UTF-16-LE": lambda n: mail([], b64(f"Karte {n}".encode("utf-16-le")), "text/plain; charset=utf-16-le", "base64"),
    "UTF-7": lambda n: mail([], f"Karte {groups(n, chr(0xa0))}".encode("utf-7"), "text/plain; charset=utf-7", "7bit"),
    "EBCDIC": lambda n: mail([], b64(f"card {n}".encode("cp500")), "text/plain; charset=cp500", "base64"),
    "uuencode": lambda n: mail([], uuencoded(f"card {n}\n".encode()), encoding="x-uuencode"),
    "boundary by RFC 2231 continuations": lambda n: multipart(
        'boundary*0="b"; boundary*1="1"', b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quopri.encodestring(f"card {n}".encode())),
    "double spaces": lambda n: mail([], groups(n, "  ").encode()),
    "dots": lambda n: mail([], groups(n, ".").encode()),
    "NBSP": lambda n: mail([], groups(n, "\u00a0").encode()),
    "line breaks": lambda n: mail([], groups(n, "\r\n").encode()),
    "full-width digits": lambda n: mail([], "".join(chr(0xFF10 + int(c)) for c in n).encode()),
}


def holds(number: str, data: str | bytes) -> bool:
    """Whether `data` spells `number` out: any script's digits, markup and entities, any separators."""
    texts = [data] if isinstance(data, str) else [data.decode(codec, "ignore") for codec in
                                                  ("latin-1", "utf-8", "utf-16-le", "utf-16-be", "cp500")]
    for value in texts:
        plain = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]*>", "", value)))
        if number in re.sub(r"\D", "", plain) or number in re.sub(r"\D", "", value):
            return True
    return False


def decoded_forms(raw: bytes) -> Iterator[str]:
    """What a mail reader shows of a stored raw copy: each header decoded, each part decoded."""
    msg = email.message_from_bytes(raw)
    for part in msg.walk():
        for value in part.values():
            try:
                yield str(make_header(decode_header(value)))
            except (ValueError, LookupError):
                yield str(value)
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            yield from (payload.decode(codec, "ignore") for codec in ("utf-8", "utf-16", "utf-7", "cp500"))


def search_terms(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.card_terms "
                              "USING fts5vocab(main, ticket_search, row)"))
            return list(conn.scalars(text("SELECT term FROM temp.card_terms")))
        return list(conn.scalars(text("SELECT unnest(tsvector_to_array(document)) FROM ticket_search")))


@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=card_numbers())
def test_no_card_number_in_any_encoding_is_stored_indexed_logged_or_exported(
        number: str, ingest: Ingest, services: Services, session: Session, engine: Engine, tmp_path: Path,
        caplog: pytest.LogCaptureFixture, run_cli) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    outcomes = {name: ingest(build(number), source=name) for name, build in ENCODINGS.items()}
    stored = [name for name, outcome in outcomes.items() if outcome.status != "quarantined"]
    assert len(stored) >= len(ENCODINGS) - 2, {n: o.error for n, o in outcomes.items() if n not in stored}
    leaks = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                leaks += [f"{table.name}: {value!r:.120}" for value in row if isinstance(value, str | bytes)
                          and holds(number, value)]
    leaks += [f"search term {term}" for term in search_terms(engine) if holds(number, term)]
    store = services.store
    for digest in store.digests():
        data = store.get(digest)
        if holds(number, data) or any(holds(number, form) for form in decoded_forms(data)):
            leaks.append(f"stored file {digest}")
        if data.startswith((b"From:", b"Received:")):
            parsed = parse_message(data, now=services.clock.now())
            if holds(number, json.dumps([parsed.subject, parsed.text, parsed.html, parsed.headers, parsed.message_id,
                                         [a.filename for a in parsed.attachments]])):
                leaks.append(f"stored raw {digest} as parsed")
    leaks += [f"log: {record.getMessage():.200}" for record in caplog.records if holds(number, record.getMessage())]
    out = tmp_path / f"export-{number}.zip"
    code, _out, _err = run_cli("privacy", "export", SENDER, "--out", str(out))
    assert code == 0
    with zipfile.ZipFile(out) as archive:
        leaks += [f"export {name}" for name in archive.namelist() if holds(number, archive.read(name))
                  or (name.endswith(".eml") and any(holds(number, f) for f in decoded_forms(archive.read(name))))]
    assert leaks == []
