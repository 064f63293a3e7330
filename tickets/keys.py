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

from sqlalchemy import Column, Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from tickets import audit
from tickets.crypto import EncryptedBytes, EncryptedJSON, EncryptedText
from tickets.models import Base
from tickets.storage import FileStore

_SEALED_TYPES = (EncryptedText, EncryptedJSON, EncryptedBytes)
_CHUNK = 500


def sealed_columns() -> Iterator[tuple[Table, Column[Any], list[Column[Any]]]]:
    """Each table with sealed columns: (table, its one-column primary key, the sealed columns)."""
    for table in Base.metadata.sorted_tables:
        sealed = [c for c in table.columns if isinstance(c.type, _SEALED_TYPES)]
        if sealed:
            [key] = table.primary_key.columns
            yield table, key, sealed


def _reseal_table(conn: Connection, table: Table, key: Column[Any], sealed: list[Column[Any]]) -> int:
    statement = (update(table).where(key == bindparam("_key"))
                 .values({c.name: bindparam(f"_{c.name}", type_=c.type) for c in sealed}))
    after, count = None, 0
    while True:
        query = select(key, *sealed).order_by(key).limit(_CHUNK)
        rows = conn.execute(query if after is None else query.where(key > after)).all()
        if rows:
            conn.execute(statement, [{"_key": row[0], **{f"_{c.name}": row[i + 1] for i, c in enumerate(sealed)}}
                                     for row in rows])
            count += len(rows)
        if len(rows) < _CHUNK:
            return count
        after = rows[-1][0]


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
