"""Full-text search over tickets: subject, message bodies, order numbers, customer email and name.

The index (`ticket_search`: an SQLite FTS5 table whose rowid is the ticket id, or a PostgreSQL
tsvector per ticket with a GIN index) holds one document per ticket and is kept in step with its
tickets, messages and customers by the writers' side (migrations 0002 and 0004). Results come
newest ticket first, paginated by keyset on the ticket id, so a page costs the same on the
hundredth page as on the first and no page sorts every match.

The user's words are never handed to the query language as syntax: on SQLite each word becomes a
quoted FTS5 phrase (a trailing `*` keeps prefix search); PostgreSQL parses with
`websearch_to_tsquery`, which accepts any input.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, column, func, literal_column, select, table
from sqlalchemy.orm import Session, joinedload

from tickets.models import Ticket

_WORD = re.compile(r"\w")
_sqlite_index = table("ticket_search", column("rowid", Integer))
_pg_index = table("ticket_search", column("ticket_id", Integer), column("document"))


@dataclass(frozen=True)
class SearchPage:
    """One page of matching tickets, and the keyset for the next page (None on the last)."""

    tickets: list[Ticket]
    next_before: int | None


def fts5_query(text: str) -> str:
    """Each word as a quoted FTS5 phrase, all required; `word*` stays a prefix search.

    "AP-123456" becomes the phrase "AP-123456", which the tokenizer reads as `ap 123456` in a row,
    exactly how the order number was indexed. Words without a letter or digit are dropped.
    """
    phrases = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _WORD.search(word):
            phrases.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(phrases)


def search_tickets(session: Session, text: str, queues: Sequence[str] | None, before: int | None = None,
                   limit: int = 25) -> SearchPage:
    """Tickets matching every word of `text`, newest first; `queues` None means every queue."""
    if not _WORD.search(text):
        return SearchPage([], None)
    if session.get_bind().dialect.name == "postgresql":
        key = _pg_index.c.ticket_id
        match = _pg_index.c.document.op("@@")(func.websearch_to_tsquery("simple", text))
        index = _pg_index
    else:
        key, index = _sqlite_index.c.rowid, _sqlite_index
        match = literal_column("ticket_search").op("MATCH")(fts5_query(text))
    statement = (select(Ticket).join(index, key == Ticket.id).where(match)
                 .options(joinedload(Ticket.customer), joinedload(Ticket.assignee))
                 .order_by(key.desc()).limit(limit + 1))
    if queues is not None:
        statement = statement.where(Ticket.queue.in_(list(queues)))
    if before is not None:
        statement = statement.where(key < before)
    found = list(session.scalars(statement).unique())
    more = len(found) > limit
    return SearchPage(found[:limit], found[limit - 1].id if more else None)
