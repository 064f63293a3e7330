"""Feeds the full-text index (`tickets.search`) from Python, because the text it indexes is encrypted.

The database cannot read the sealed columns (customer names, message bodies), so triggers cannot
build the index any more (migration 0004 removed them). Instead every flush and every ORM bulk
UPDATE/DELETE of tickets, messages or customers re-indexes the tickets it touched, in the same
transaction, from the decrypted values: a rolled-back savepoint takes its index changes with it. A
ticket that only gained messages, or on SQLite only changed its head, has its entry amended (`amend`)
rather than every message decrypted again.
Writers need not know the index exists; raw SQL text statements bypass it.

The trade-off (docs/policies.md, "Search"): the index must hold searchable terms in the clear. It holds terms
only, lower-cased (a contentless FTS5 table on SQLite, a `tsvector` on PostgreSQL), never the text
as written; retention and erasure re-index the tickets they blank, and `purge` then rewrites the
SQLite index so dropped terms leave its pages (secure_delete zeroes the freed ones).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, delete, insert, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session

from tickets.changes import changed, values
from tickets.models import Customer, Message, SearchDocument, Ticket

COLUMNS = ("reference", "subject", "customer", "order_numbers", "body")
_INDEXED: dict[type, tuple[str, ...]] = {
    Ticket: ("reference", "subject", "order_numbers", "customer_id"),
    Message: ("ticket_id", "text", "new_text"),
    Customer: ("email", "name"),
}
_CHUNK = 500
INDEXED_CHARS = 100_000  # of each message's text: a 40 MB line is not indexed (nor kept in the index) whole
_PG_LIMIT = 200_000
_docs = SearchDocument.__table__
_FTS_INSERT = text(f"INSERT INTO ticket_search(rowid, {', '.join(COLUMNS)}) "
                   f"VALUES (:id, {', '.join(':' + c for c in COLUMNS)})")
_FTS_DELETE = text(f"INSERT INTO ticket_search(ticket_search, rowid, {', '.join(COLUMNS)}) "
                   f"VALUES ('delete', :id, {', '.join(':' + c for c in COLUMNS)})")
_PG_UPSERT = text("INSERT INTO ticket_search(ticket_id, document) VALUES (:id, to_tsvector('simple', :doc)) "
                  "ON CONFLICT (ticket_id) DO UPDATE SET document = EXCLUDED.document")
_PG_APPEND = text("UPDATE ticket_search SET document = document || to_tsvector('simple', :doc) "
                  "WHERE ticket_id = :id AND length(document::text) + length(:doc) < :limit RETURNING ticket_id")


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start:start + _CHUNK]


def _body(bodies: Iterable[tuple[str, str]]) -> str:
    """Messages' (new text, whole text) in order as indexed text: the new text per message (the whole
    text when no new part was told apart), so a thread whose replies quote each other is indexed once.
    Each text counts up to INDEXED_CHARS: the terms a search finds a mail by are at its start, and the
    index holds the document as a copy."""
    return " ".join((new_text or whole)[:INDEXED_CHARS] for new_text, whole in bodies if new_text or whole)


def _document(reference: str | None, subject: str, email: str | None, name: str | None, orders: str,
              bodies: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """A ticket's index fields from its head and its messages in order."""
    return reference or "", subject, f"{email or ''} {name or ''}", orders, _body(bodies)


def documents(conn: Connection, ticket_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The index fields of each existing ticket, read from the database."""
    if not ticket_ids:
        return {}
    heads = conn.execute(select(Ticket.id, Ticket.reference, Ticket.subject, Ticket.order_numbers, Customer.email,
                                Customer.name).outerjoin(Customer, Customer.id == Ticket.customer_id)
                         .where(Ticket.id.in_(ticket_ids)))
    bodies: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for ticket_id, new_text, whole in conn.execute(select(Message.ticket_id, Message.new_text, Message.text)
                                                   .where(Message.ticket_id.in_(ticket_ids)).order_by(Message.id)):
        bodies[ticket_id].append((new_text, whole))
    return {tid: _document(reference, subject, email, name, orders, bodies[tid])
            for tid, reference, subject, orders, email, name in heads}


def _created_documents(session: Session) -> dict[int, tuple[str, ...]]:
    """The documents of the tickets this flush creates, built from the objects in hand.

    Everything such a ticket holds is new in this flush, so nothing need be read back and decrypted:
    during ingestion that is most tickets. A ticket whose customer is not loaded, or that a moved
    message also touches, is left to `documents`."""
    created = {t.id: t for t in session.new if isinstance(t, Ticket)
               and (t.customer_id is None or "customer" in inspect(t).dict)}
    moved = {i for m in chain(session.dirty, session.deleted) if isinstance(m, Message) for i in values(m, "ticket_id")}
    bodies: dict[int, list[Message]] = defaultdict(list)
    for message in session.new:
        if isinstance(message, Message) and message.ticket_id in created:
            bodies[message.ticket_id].append(message)
    return {tid: _document(t.reference, t.subject, t.customer.email if t.customer else None,
                           t.customer.name if t.customer else None, t.order_numbers,
                           [(m.new_text, m.text) for m in sorted(bodies[tid], key=lambda m: m.id)])
            for tid, t in created.items() if tid not in moved}


def refresh(conn: Connection, ticket_ids: Iterable[int], known: dict[int, tuple[str, ...]] | None = None) -> None:
    """Re-index these tickets (a ticket that no longer exists leaves the index); `known` gives the
    documents of tickets new in this transaction, which have none in the index yet."""
    known = known or {}
    for chunk in _chunks(ticket_ids):
        docs = {**documents(conn, [t for t in chunk if t not in known]), **{t: known[t] for t in chunk if t in known}}
        if conn.dialect.name == "postgresql":
            _write_postgresql(conn, chunk, docs)
        else:
            _write_sqlite(conn, chunk, docs)


def _write_postgresql(conn: Connection, chunk: list[int], docs: dict[int, tuple[str, ...]]) -> None:
    if docs:
        conn.execute(_PG_UPSERT, [{"id": tid, "doc": " ".join(f for f in fields if f.strip())[:_PG_LIMIT]}
                                  for tid, fields in docs.items()])
    gone = [tid for tid in chunk if tid not in docs]
    if gone:
        conn.execute(text("DELETE FROM ticket_search WHERE ticket_id = ANY(:ids)"), {"ids": gone})


def _indexed_sqlite(conn: Connection, ticket_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The fields each ticket's SQLite index entry was built from."""
    return {tid: tuple(fields) for tid, fields in
            conn.execute(select(_docs.c.ticket_id, _docs.c.fields).where(_docs.c.ticket_id.in_(ticket_ids)))}


def _write_sqlite(conn: Connection, chunk: list[int], docs: dict[int, tuple[str, ...]],
                  old: dict[int, tuple[str, ...]] | None = None) -> None:
    """Drop each changed document by its exact old text (contentless FTS5 needs it), add the new one."""
    if old is None:
        old = _indexed_sqlite(conn, chunk)
    differing = [tid for tid in chunk if old.get(tid) != docs.get(tid)]
    if not differing:
        return
    stale = [{"id": tid, **dict(zip(COLUMNS, old[tid]))} for tid in differing if tid in old]
    fresh = [{"id": tid, **dict(zip(COLUMNS, docs[tid]))} for tid in differing if tid in docs]
    if stale:
        conn.execute(_FTS_DELETE, stale)
        conn.execute(delete(_docs).where(_docs.c.ticket_id.in_([row["id"] for row in stale])))
    if fresh:
        conn.execute(_FTS_INSERT, fresh)
        conn.execute(insert(_docs), [{"ticket_id": row["id"], "fields": [row[c] for c in COLUMNS]} for row in fresh])


def amend(conn: Connection, heads: dict[int, tuple[str, str, str]],
          added: dict[int, list[tuple[str, str]]]) -> set[int]:
    """Change tickets' index entries without reading and decrypting their messages: a new (reference,
    subject, order numbers) in `heads`, new messages' (new text, whole text) in order in `added`. The
    result equals a full re-index, since a new message has the highest id of its ticket. Returns the
    tickets this cannot do, which need `refresh`: those with no entry, and on PostgreSQL (whose entry
    is terms only) those whose head changed."""
    missing: set[int] = set()
    for chunk in _chunks([*heads, *added]):
        bodies = {tid: _body(added.get(tid, ())) for tid in chunk}
        if conn.dialect.name == "postgresql":
            missing.update(tid for tid in chunk if tid in heads)
            missing.update(_append_postgresql(conn, {tid: bodies[tid] for tid in chunk if tid not in heads}))
            continue
        old = _indexed_sqlite(conn, chunk)
        missing.update(tid for tid in chunk if tid not in old)
        docs: dict[int, tuple[str, ...]] = {}
        for tid, (reference, subject, customer, orders, body) in old.items():
            reference, subject, orders = heads.get(tid, (reference, subject, orders))
            docs[tid] = (reference, subject, customer, orders, " ".join(part for part in (body, bodies[tid]) if part))
        _write_sqlite(conn, list(old), docs, old)
    return missing


def _append_postgresql(conn: Connection, bodies: dict[int, str]) -> set[int]:
    """Concatenate each ticket's `tsvector` with its new text's (positions follow on); a ticket whose
    entry is missing or near the size a full re-index truncates to is left for `refresh`."""
    missing = set()
    for tid, body in bodies.items():
        if body and conn.execute(_PG_APPEND, {"id": tid, "doc": body, "limit": _PG_LIMIT}).first() is None:
            missing.add(tid)
    return missing


def purge(conn: Connection) -> None:
    """Rewrite the SQLite index so the terms of dropped documents leave its pages (after erasure)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO ticket_search(ticket_search) VALUES ('optimize')"))


def after_flush(session: Session, _context: Any) -> None:
    """The `after_flush` listener: re-index the tickets whose indexed fields this flush changed; a
    ticket that only gained messages or changed its reference, subject or order numbers has its entry
    amended (`amend`)."""
    tickets: set[int] = set()
    customers: set[int] = set()
    added: dict[int, list[Message]] = defaultdict(list)
    heads: dict[int, Ticket] = {}
    new, dirty = session.new, session.dirty
    for obj in chain(new, dirty, session.deleted):
        names = _INDEXED.get(type(obj))
        if names is None or (obj in dirty and not changed(obj, names)):
            continue
        if isinstance(obj, Customer):
            customers.add(obj.id)
        elif isinstance(obj, Message) and obj in new:
            added[obj.ticket_id].append(obj)
        elif isinstance(obj, Message):
            tickets.update([*values(obj, "ticket_id"), obj.ticket_id])
        elif isinstance(obj, Ticket) and obj in dirty and not changed(obj, ("customer_id",)):
            heads[obj.id] = obj
        else:
            tickets.add(obj.id)
    if not tickets and not customers and not added and not heads:
        return
    conn = session.connection()
    for chunk in _chunks(customers):
        tickets.update(conn.scalars(select(Ticket.id).where(Ticket.customer_id.in_(chunk))))
    appended = {tid: [(m.new_text, m.text) for m in sorted(messages, key=lambda m: m.id)]
                for tid, messages in added.items() if tid not in tickets and tid is not None}
    renamed = {tid: (t.reference or "", t.subject, t.order_numbers) for tid, t in heads.items() if tid not in tickets}
    refresh(conn, tickets | amend(conn, renamed, appended), _created_documents(session))


def after_bulk(state: ORMExecuteState) -> Any:
    """An ORM bulk UPDATE or DELETE: note the rows it will touch, run it, re-index their tickets."""
    mapper = state.bind_mapper
    if not (state.is_update or state.is_delete) or mapper is None or mapper.class_ not in _INDEXED:
        return None
    entity, conn = mapper.class_, state.session.connection()
    where = state.statement.whereclause  # type: ignore[attr-defined]  # an Update or Delete (checked above)
    query = select(entity.id, Message.ticket_id) if entity is Message else select(entity.id)
    rows = conn.execute(query if where is None else query.where(where)).all()
    result = state.invoke_statement()
    ids = [row[0] for row in rows]
    tickets = {row[1] for row in rows} if entity is Message else set(ids) if entity is Ticket else set()
    for chunk in _chunks(ids):
        if entity is Message:
            tickets.update(conn.scalars(select(Message.ticket_id).where(Message.id.in_(chunk))))
        elif entity is Customer:
            tickets.update(conn.scalars(select(Ticket.id).where(Ticket.customer_id.in_(chunk))))
    refresh(conn, tickets)
    return result
