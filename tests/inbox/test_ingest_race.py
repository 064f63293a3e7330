"""Two processes ingesting at once (pollers on several hosts, LMTP deliveries) never lose a mail."""
from __future__ import annotations

import threading

import pytest
from mailfactory import make_mail
from sqlalchemy import func, select

from inbox.ingest import Ingestor, Outcome, RawMail
from services import Services
from tickets.models import Quarantine


def test_reply_racing_its_original_threads_onto_it(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # Another worker has stored the original but not committed yet when its reply comes in, and the
    # reply's batch is being stored one message at a time (its one-flush fast path failed: the fault
    # is injected). The reply waits on the original's uncommitted thread key, fails on it once the
    # original commits, and is stored again, onto the original's ticket: nothing is quarantined.
    sessions, ingestor = services.sessions, Ingestor(services.config, services.store, services.clock)
    fast_path = Ingestor._intake
    original = make_mail(message_id="<race-1@example.com>")
    reply = make_mail(subject="Re: Where is my order AP-123456?", message_id="<race-2@example.com>",
                      in_reply_to="<race-1@example.com>", references="<race-1@example.com>")
    stored, first = threading.Event(), []

    def other_worker() -> None:
        with sessions.begin() as session:
            first.extend(ingestor.ingest_batch(session, [RawMail(original, "other")], "support"))
            stored.set()
            threading.Event().wait(0.5)  # still holding its uncommitted rows when the reply arrives

    def failing_fast_path(self: Ingestor, *args: object) -> object:
        monkeypatch.setattr(Ingestor, "_intake", fast_path)
        raise RuntimeError("injected: the batch's fast path failed")

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert stored.wait(10)
    monkeypatch.setattr(Ingestor, "_intake", failing_fast_path)
    with sessions.begin() as session:
        second: list[Outcome] = ingestor.ingest_batch(session, [RawMail(reply, "this")], "support")
    worker.join()
    assert [o.status for o in first] == ["created"]
    assert [(o.status, o.ticket) for o in second] == [("threaded", first[0].ticket)]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0
