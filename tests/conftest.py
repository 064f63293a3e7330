"""Shared fixtures: a config per test, and a migrated database on SQLite and on PostgreSQL.

PostgreSQL comes from $HELPDESK_TEST_DATABASE_URL (`.ci/run` sets it). Each test session creates
its own database there and drops it at the end, so parallel runs never meet. Without a server the
PostgreSQL tests skip with a reason; with CI=true a skip of a server test fails the run.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tickets import clock
from tickets.config import Config, DatabaseConfig, StorageConfig
from tickets.db import make_engine, session_factory
from tickets.migrations import upgrade

PG_ENV = "HELPDESK_TEST_DATABASE_URL"
SERVER_SKIP_MARK = "needs a server"


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    admin = pg_admin_url()
    if not admin:
        pytest.skip(f"{SERVER_SKIP_MARK}: PostgreSQL not configured (set {PG_ENV})")
    admin_engine = make_engine(admin, isolation_level="AUTOCOMMIT")
    name = f"helpdesk_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server is down or refuses: skip with the reason
        admin_engine.dispose()
        pytest.skip(f"{SERVER_SKIP_MARK}: PostgreSQL at {admin} unusable: {str(exc).splitlines()[0]}")
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_database_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    from tickets.models import Base

    names = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database URL of a freshly migrated, empty database, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url
    engine = request.getfixturevalue("pg_engine")
    _truncate_all(engine)
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    """Built-in defaults pointed at the test database and a private storage folder."""
    return dataclasses.replace(Config(), database=DatabaseConfig(url=db_url),
                               storage=StorageConfig(path=str(tmp_path / "files")))


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    engine = make_engine(config.database.url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for one test; what it commits stays in the test's own database."""
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def frozen_clock() -> Iterator[list[dt.datetime]]:
    """Freeze tickets.clock.now(); tests move time by assigning `frozen_clock[0]`."""
    moment = [dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc)]
    clock.freeze(lambda: moment[0])
    yield moment
    clock.freeze(None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """With CI=true, a test skipped because its server is missing counts as a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and isinstance(report.longrepr, tuple):
        if SERVER_SKIP_MARK in str(report.longrepr[2]):
            report.outcome = "failed"
            report.longrepr = f"server test skipped under CI=true: {report.longrepr[2]}"
