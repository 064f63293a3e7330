"""Two processes ingesting at once (pollers on several hosts, LMTP deliveries) never lose a mail."""
from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select

from inbox.ingest import Ingestor, Outcome, RawMail
from mailfactory import make_mail
from tickets.config import Config
from tickets.db import session_factory
from tickets.models import Quarantine, Ticket


def test_reply_racing_its_original_threads_onto_it(config: Config, engine: Engine) -> None:
    # Another worker has stored the original but not committed yet when its reply comes in: the
    # reply's batch waits on the original's thread key, fails on it once the original commits,
    # and is stored again, this time onto the original's ticket; nothing is quarantined.
    sessions, ingestor = session_factory(engine), Ingestor(config)
    original = make_mail(message_id="<race-1@example.com>")
    reply = make_mail(subject="Re: Where is my order AP-123456?", message_id="<race-2@example.com>",
                      in_reply_to="<race-1@example.com>", references="<race-1@example.com>")
    stored, first = threading.Event(), []

    def other_worker() -> None:
        with sessions.begin() as session:
            first.extend(ingestor.ingest_batch(session, [RawMail(original, "other")], "support"))
            stored.set()
            threading.Event().wait(0.5)  # still holding its uncommitted rows when the reply arrives

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert stored.wait(10)
    with sessions.begin() as session:
        second: list[Outcome] = ingestor.ingest_batch(session, [RawMail(reply, "this")], "support")
    worker.join()
    assert [o.status for o in first] == ["created"]
    assert [(o.status, o.ticket) for o in second] == [("threaded", first[0].ticket)]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Quarantine)) == 0
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
