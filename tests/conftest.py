"""Shared fixtures: a config per test, a migrated database on SQLite and on PostgreSQL, and the
services built from them on a frozen clock.

SQLite databases are copies of one template migrated once per test session. PostgreSQL comes from
$HELPDESK_TEST_DATABASE_URL (`.ci/run` sets it): each test session creates its own database there,
migrates it once, empties it before each test and drops it at the end, so parallel runs never meet.
Without a server the PostgreSQL tests skip with a reason; with CI=true a skip of a server test fails
the run. Every test runs on `frozen_clock` (Tuesday 24 November 2026, 10:00 in New York) unless it
builds its services with another clock, so the suite passes on any date.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from cli import main as cli
from services import Services
from sla.calendar import NO_HOLIDAYS
from tickets.clock import FrozenClock
from tickets.config import (
    PASSWORD_HASH_MIN_ITERATIONS,
    PASSWORD_HASH_MIN_MEMORY_KIB,
    CalendarConfig,
    Config,
    DatabaseConfig,
    RoutingConfig,
    StorageConfig,
    WebConfig,
)
from tickets.db import make_engine
from tickets.migrations import upgrade

# Property tests: a small profile by default, so `pytest` stays quick at a desk; `.ci/run` selects
# the larger one (HYPOTHESIS_PROFILE=ci). Only a few tests of pure functions, cheap per example, set
# a fixed count of their own.
settings.register_profile("default", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PG_ENV = "HELPDESK_TEST_DATABASE_URL"
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in New York
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


def _emptying(engine: Engine) -> str:
    """The statements that empty every table of the migrated database and restart its sequences.

    DELETE with triggers and foreign keys off (`session_replication_role = replica`: the tests'
    user is the server's superuser) takes a few milliseconds on the small tables a test leaves;
    TRUNCATE makes new files for every table and index, about 0.7 s a test."""
    with engine.connect() as conn:
        tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename <> 'alembic_version' ORDER BY tablename")).all()
        sequences = conn.scalars(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).all()
    return "; ".join(["SET LOCAL session_replication_role = replica",
                      *(f'DELETE FROM "{name}"' for name in tables),
                      *(f'ALTER SEQUENCE "{name}" RESTART' for name in sequences)])


@pytest.fixture(scope="session")
def pg_emptying(pg_engine: Engine) -> str:
    return _emptying(pg_engine)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per test session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "helpdesk.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # checkpoints the WAL into the file: the one file is the whole database
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database URL of a freshly migrated, empty database, on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path / "helpdesk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    engine = request.getfixturevalue("pg_engine")
    with engine.begin() as conn:
        conn.exec_driver_sql(request.getfixturevalue("pg_emptying"))
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def router_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The router's model, trained on the shipped set once per test run, where every test's config
    (and the config files tests write for the processes they start) points: a poller started by a
    test loads it instead of training its own. Never ./var in the checkout.

    The workers of one `pytest -n` run share the file (the first to take the lock trains it):
    training costs seconds of CPU, which each worker would otherwise spend on the same model."""
    from inbox.parse import parse_message
    from routing.classify import Router

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's directory, above each worker's own
    path = root / "router" / "router.joblib"
    path.parent.mkdir(exist_ok=True)
    with (root / "router.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            config = dataclasses.replace(Config(), routing=RoutingConfig(model_path=str(path)))
            Router.load(config, functools.partial(parse_message, now=NOW, our_addresses=config.our_addresses()),
                        NOW)
    return path


@pytest.fixture
def config(db_url: str, tmp_path: Path, router_model: Path) -> Config:
    """Built-in defaults pointed at the test database, a private storage folder and the session's model.

    Its calendar keeps no public holidays (`holiday_country = "none"`), so the deadlines tests read
    around the frozen week (Thanksgiving is Thursday 26 November 2026) count plain working days;
    the default calendar's holidays are proved by tests that load the built-in defaults or a config file.
    Passwords are hashed at the lowest cost the config allows: a sign-in at the default cost takes a
    third of a second of CPU, hundreds of times over."""
    return dataclasses.replace(Config(), calendar=CalendarConfig(holiday_country=NO_HOLIDAYS),
                               database=DatabaseConfig(url=db_url),
                               storage=StorageConfig(path=str(tmp_path / "files")),
                               routing=RoutingConfig(model_path=str(router_model)),
                               web=WebConfig(password_hash_memory_kib=PASSWORD_HASH_MIN_MEMORY_KIB,
                                             password_hash_iterations=PASSWORD_HASH_MIN_ITERATIONS))


@pytest.fixture
def frozen_clock() -> FrozenClock:
    """The clock every test's services run on; move it with `set` or `advance`."""
    return FrozenClock(NOW)


@pytest.fixture
def services(config: Config, frozen_clock: FrozenClock) -> Iterator[Services]:
    """Everything wired for the test's config, as `helpdesk` and the console build it."""
    built = Services.build(config, frozen_clock)
    yield built
    built.close()


@pytest.fixture
def engine(services: Services) -> Engine:
    return services.engine


@pytest.fixture
def session(services: Services) -> Iterator[Session]:
    """A session for one test; what it commits stays in the test's own database."""
    with services.sessions() as session:
        yield session


@pytest.fixture
def run_cli(tmp_path: Path, config: Config, frozen_clock: FrozenClock,
            capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`helpdesk --config <this test's config> ARGS...` on the frozen clock: (exit code, stdout, stderr)."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{config.database.url}"\n[storage]\npath = "{config.storage.path}"\n'
                    f'[routing]\nmodel_path = "{config.routing.model_path}"\n')

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["--config", str(path), *args], clock=frozen_clock)
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """With CI=true, a test skipped because its server is missing counts as a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and isinstance(report.longrepr, tuple):
        if SERVER_SKIP_MARK in str(report.longrepr[2]):
            report.outcome = "failed"
            report.longrepr = f"server test skipped under CI=true: {report.longrepr[2]}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first, the rest in their usual order: a parallel run hands tests out in this order,
    and one that started a 20-second test in its last seconds would leave the other workers idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
