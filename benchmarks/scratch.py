"""A throwaway PostgreSQL database for a benchmark, on the server of the test database."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tickets.db import make_engine
from tickets.migrations import upgrade

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextlib.contextmanager
def scratch_database(admin_url: str = ADMIN_URL) -> Iterator[str]:
    """Create a migrated database next to `admin_url`'s, yield its URL, drop it afterwards."""
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"helpdesk_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
