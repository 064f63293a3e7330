"""Every fixture folder with an expected.toml: each mail parses to the fields written there.

A folder per problem (tests/mail/<problem>/): the mails are written by hand as each client and
language writes them; expected.toml holds, per file stem, the fields a reader of the mail would
name: sender and name, recipients, subject, what the customer wrote, the quoted history, the
signature, whether it is automatic and why, and the defects the parser noted while mending it.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from inbox.ingest import Ingestor, RawMail
from inbox.parse import parse_message
from tickets.mail import ParsedMessage

MAIL = Path(__file__).parent.parent / "mail"
NOW = dt.datetime(2026, 3, 13, 12, 0, tzinfo=dt.UTC)
OURS = frozenset({"support@aeropressmall.com"})
FOLDERS = sorted(path.parent for path in MAIL.glob("*/expected.toml"))


def cases() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for folder in FOLDERS:
        expected = tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))
        found += [(folder / f"{stem}.eml", fields) for stem, fields in sorted(expected.items())]
    return found


CASES = cases()


def actual(parsed: ParsedMessage, field: str) -> Any:
    """The parsed value an expectation names."""
    readers = {
        "sender": lambda: parsed.sender.email if parsed.sender else "",
        "sender_name": lambda: parsed.sender.name if parsed.sender else "",
        "to": lambda: [a.email for a in parsed.to],
        "quoted_contains": lambda: parsed.quoted_text,
        "defects_contains": lambda: list(parsed.defects),
    }
    return readers[field]() if field in readers else getattr(parsed, field)


@pytest.mark.parametrize("path, expected", CASES, ids=[f"{p.parent.name}/{p.stem}" for p, _ in CASES])
def test_each_fixture_reads_as_its_expectations_say(path: Path, expected: dict[str, Any]) -> None:
    # A reader of the mail would name these fields; the parser must read them the same way.
    parsed = parse_message(path.read_bytes(), now=NOW, our_addresses=OURS)
    for field, wanted in expected.items():
        if field in ("client", "language", "history"):
            continue
        got = actual(parsed, field)
        if field.endswith("_contains"):
            assert any(wanted in item for item in got) if isinstance(got, list) else wanted in got, (field, got)
        else:
            assert got == wanted, field
    if "new_text" in expected and "quoted_contains" in expected:
        assert expected["quoted_contains"] not in parsed.new_text


def test_every_fixture_has_expectations() -> None:
    # A mail added to a fixture folder without its expectations would test nothing.
    for folder in FOLDERS:
        expected = tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))
        assert sorted(p.stem for p in folder.glob("*.eml")) == sorted(expected), folder.name


def test_replies_cover_fifteen_clients_and_eight_languages() -> None:
    # The splitter is held to replies from many clients and languages: for Russian, Polish, Japanese and
    # Chinese both kinds of history marker, an attribution line and a quoted header block.
    replies = tomllib.loads((MAIL / "replies" / "expected.toml").read_text(encoding="utf-8")).values()
    clients, languages = {r["client"] for r in replies}, {r["language"] for r in replies}
    assert len(clients) >= 15 and len(languages) >= 8
    for language in ("ru", "pl", "ja", "zh"):
        assert {r["history"] for r in replies if r["language"] == language} == {"attribution", "header block"}


def test_every_fixture_is_stored_and_none_is_quarantined(session: Session,
                                                         make_ingestor: Callable[..., Ingestor]) -> None:
    # Through the whole pipeline, on each database: what a mail client reads is stored, never quarantined,
    # and exactly the mail the fixtures call automatic comes out automatic.
    ingestor = make_ingestor(acknowledge=True)
    mails = [RawMail(path.read_bytes(), str(path)) for path, _ in CASES]
    outcomes = ingestor.ingest_batch(session, mails, "support")
    session.commit()
    assert [o.source for o in outcomes if o.status == "quarantined"] == []
    automatic = {o.source for o in outcomes if o.status == "auto"}
    assert automatic == {str(path) for path, expected in CASES if expected.get("auto")}
