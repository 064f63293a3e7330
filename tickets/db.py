"""Engine and sessions: SQLite (WAL, busy timeout, foreign keys) by default, PostgreSQL by URL."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tickets.config import DatabaseConfig
from tickets.errors import ConfigError, TemporaryFailure


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the console read while a poller writes; NORMAL sync is safe under WAL.

    secure_delete overwrites freed pages, so erased customer data leaves no trace on disk.
    """
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000",
                   "secure_delete=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin(connection: Any) -> None:
    """Writers take SQLite's write lock at BEGIN, so two writers queue on busy_timeout instead of
    failing at lock upgrade; read-only work (`readonly` execution option) begins deferred."""
    readonly = connection.get_execution_options().get("readonly", False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`: SQLite, or PostgreSQL through psycopg 3 (`postgresql://` and `postgres://`
    mean that too). Anything else is refused by name, and so is a SQLite file in a folder that does
    not exist (a typo must not create a database somewhere unexpected); only the built-in default's
    folder (`var/`) is created on demand, so the embedded default needs no set-up."""
    parsed = check_url(url)
    if parsed.drivername == "sqlite":
        _sqlite_folder(parsed.database or "", url)
        _private_files(parsed.database or "")
        engine = create_engine(parsed, connect_args={"timeout": 30, "isolation_level": None}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True, **options)


def check_url(url: str) -> URL:
    """`url` as SQLAlchemy will use it (`sqlite` or `postgresql+psycopg`), or a ConfigError naming
    what is wrong: not a URL, an engine or a driver this product does not run on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"database.url is not a database URL: {url!r}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed.set(drivername="sqlite")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend in ("sqlite", "postgresql", "postgres"):
        raise ConfigError(f"database.url: the {driver} driver is not supported; write {backend}:// alone "
                          f"({'psycopg 3' if backend != 'sqlite' else 'the standard library'} is used)")
    raise ConfigError(f"database.url: {backend} databases are not supported; use sqlite:///PATH or "
                      "postgresql://USER:PASSWORD@HOST/DATABASE")


def _sqlite_folder(database: str, url: str) -> None:
    """The folder of a SQLite file must exist, except the built-in default's, which is created."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if folder.is_dir():
        return
    if url != DatabaseConfig().url:
        raise ConfigError(f"database.url: the folder {folder} of the SQLite database does not exist; "
                          "create it, or correct the path")
    folder.mkdir(parents=True, exist_ok=True)


def _private_files(database: str) -> None:
    """The database file readable by its owner alone (0600), created so before SQLite opens it.

    SQLite gives the -wal and -shm files it creates the database file's permissions; files left
    readable by a version before this one are narrowed too. Customer data must not be readable
    by every account on the machine, whatever the umask.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    for path in (database, f"{database}-wal", f"{database}-shm"):
        try:
            mode = os.stat(path).st_mode
            if mode & 0o077:
                os.chmod(path, stat.S_IMODE(mode) & 0o700)
        except FileNotFoundError:
            continue


def session_factory(engine: Engine, readonly: bool = False,
                    info: dict[str, Any] | None = None) -> sessionmaker[Session]:
    """Sessions for units of work; `readonly` ones never take SQLite's write lock; `info` is what
    each session's `Session.info` starts with (the composition root's ticket listeners)."""
    bind = engine.execution_options(readonly=True) if readonly else engine
    return sessionmaker(bind, expire_on_commit=False, info=dict(info or {}))


def check_connection(engine: Engine) -> None:
    """Fail with one clear line when the database cannot be reached."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        where = engine.url.render_as_string(hide_password=True)
        raise TemporaryFailure(f"database unreachable ({where}): {reason}") from None


def affected_rows(result: Result[*tuple[Any, ...]]) -> int:
    """The rows an UPDATE or DELETE without RETURNING matched. `Session.execute` returns a
    CursorResult for one, but is typed to return a plain Result (sqlalchemy/sqlalchemy#12913)."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount
