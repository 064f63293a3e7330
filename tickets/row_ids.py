"""Primary keys handed out before insert on SQLite, so the ORM writes new rows many to a statement.

SQLAlchemy batches the INSERTs of a flush into multi-row statements only when it need not read each
new row's id back; SQLite cannot say which generated rowid belongs to which parameter set, so with
server-made ids every new message, event or clock costs an INSERT of its own (PostgreSQL has no such
limit: its sequence order is kept). Here each table's next id is read once per transaction, as
`max(id) + 1` (what SQLite itself would choose), and counted on in Python.

That is safe because SQLite writers here begin IMMEDIATE (`tickets.db`): from the first statement of
a write transaction no other connection can insert, so nobody takes an id between the read of
`max(id)` and the commit. Ids taken by a rolled-back savepoint leave gaps, as rowids may.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, UOWTransaction

_KEY = "row_ids"


def take(session: Session, table: Table) -> int:
    """The next unused id of `table` in this SQLite transaction."""
    transaction = session.get_transaction()
    owner, counters = session.info.get(_KEY, (None, {}))
    if owner is not transaction:
        counters = {}
        session.info[_KEY] = (transaction, counters)
    if table.name not in counters:
        highest = session.connection().scalar(select(func.max(table.c.id)))
        counters[table.name] = int(highest or 0) + 1
    taken = counters[table.name]
    counters[table.name] = taken + 1
    return taken


def _single_integer_id(mapper: Any) -> Table | None:
    """The mapped table if its primary key is one autoincrementing integer `id`, else None."""
    columns = mapper.primary_key
    if len(columns) != 1 or columns[0].name != "id" or columns[0].autoincrement is False:
        return None
    return columns[0].table if columns[0].type.python_type is int else None


def assign_ids(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """The `before_flush` listener: every new row of a single-integer-id table gets its id now."""
    if not session.new or session.get_bind().dialect.name != "sqlite":
        return
    with session.no_autoflush:
        for instance in session.new:
            mapper = type(instance).__mapper__
            table = _single_integer_id(mapper)
            if table is not None and getattr(instance, "id", None) is None:
                instance.id = take(session, table)
