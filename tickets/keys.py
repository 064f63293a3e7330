"""Key rotation: re-seal every encrypted column and every stored file with the newest key.

Run after putting a new key first in the list (`helpdesk keys rotate`); once it has finished the old
keys can be dropped. Values written before encryption was enabled are sealed on the way. The sealed
columns are found from the models' column types, so a newly sealed column is rotated too. Rows are
rewritten through the connection, below the ORM: the plain text does not change, so neither does
the search index. Rotation is idempotent; run it again after an interruption.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from tickets import audit
from tickets.crypto import EncryptedBytes, EncryptedJSON, EncryptedText
from tickets.models import Base
from tickets.storage import FileStore

_SEALED_TYPES = (EncryptedText, EncryptedJSON, EncryptedBytes)
_CHUNK = 500


def sealed_columns() -> Iterator[tuple[Table, list[Column[Any]], list[Column[Any]]]]:
    """Each table with sealed columns: (table, its primary key's columns, the sealed columns)."""
    for table in Base.metadata.sorted_tables:
        sealed = [c for c in table.columns if isinstance(c.type, _SEALED_TYPES)]
        if sealed:
            yield table, list(table.primary_key.columns), sealed


def _reseal_table(conn: Connection, table: Table, key: list[Column[Any]], sealed: list[Column[Any]]) -> int:
    """Re-seal `table` in chunks, walking its primary key (one column or several: a row value)."""
    statement = (update(table).where(*(k == bindparam(f"_key_{k.name}") for k in key))
                 .values({c.name: bindparam(f"_{c.name}", type_=c.type) for c in sealed}))
    ordered = tuple_(*key) if len(key) > 1 else key[0]
    after: Any = None
    count = 0
    while True:
        query = select(*key, *sealed).order_by(*key).limit(_CHUNK)
        rows = conn.execute(query if after is None else query.where(ordered > after)).all()
        if rows:
            conn.execute(statement, [{**{f"_key_{k.name}": row[i] for i, k in enumerate(key)},
                                      **{f"_{c.name}": row[len(key) + i] for i, c in enumerate(sealed)}}
                                     for row in rows])
            count += len(rows)
        if len(rows) < _CHUNK:
            return count
        last = rows[-1]
        after = tuple_(*last[:len(key)]) if len(key) > 1 else last[0]


def rotate(session: Session, store: FileStore, actor: str, now: dt.datetime, origin: str = "") -> dict[str, int]:
    """Re-seal all data with the newest key of the active keyring; returns rows and files rewritten."""
    conn = session.connection()
    rows = sum(_reseal_table(conn, table, key, sealed) for table, key, sealed in sealed_columns())
    files = 0
    for digest in list(store.digests()):
        store.reseal(digest)
        files += 1
    counts = {"rows": rows, "files": files}
    audit.record(session, actor, audit.KEY_ROTATION, "encryption keys", origin, at=now, **counts)
    return counts
