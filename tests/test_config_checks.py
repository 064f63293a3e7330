"""Settings that cannot work are refused by name, before anything is written."""
from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli.check import check_database
from tickets.config import Config, DatabaseConfig
from tickets.db import make_engine
from tickets.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("url", ["postgres://helpdesk:pw@db.example.com/helpdesk",
                                 "postgresql://helpdesk:pw@db.example.com/helpdesk",
                                 "postgresql+psycopg://helpdesk:pw@db.example.com/helpdesk"])
def test_postgres_urls_all_mean_psycopg(url: str) -> None:
    # Heroku-style postgres://, plain postgresql:// and the explicit driver reach PostgreSQL through psycopg 3.
    engine = make_engine(url)
    assert engine.url.drivername == "postgresql+psycopg" and engine.url.host == "db.example.com"
    engine.dispose()


@pytest.mark.parametrize(("url", "named"), [("mysql://u:p@db/helpdesk", "mysql databases are not supported"),
                                            ("postgresql+psycopg2://u@db/h", "the psycopg2 driver is not supported"),
                                            ("oracle+oracledb://u@db/h", "oracle databases are not supported"),
                                            ("not a url", "is not a database URL")])
def test_unsupported_databases_are_refused_by_name(url: str, named: str) -> None:
    # No "Can't load plugin": the engine or driver the product does not run on is named.
    with pytest.raises(ConfigError, match=named):
        make_engine(url)


def test_a_sqlite_file_in_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    # A typo in the path must not create folders and an empty database somewhere unexpected.
    folder = tmp_path / "nonexistent" / "dir"
    with pytest.raises(ConfigError, match=f"the folder {folder} of the SQLite database does not exist"):
        make_engine(f"sqlite:///{folder / 'helpdesk.db'}")
    assert not (tmp_path / "nonexistent").exists()


def test_the_sqlite_database_and_its_wal_are_readable_by_their_owner_alone(tmp_path: Path) -> None:
    # Customer data: the database, its WAL and shared-memory files are 0600 whatever the umask, and a
    # file left world-readable by an older version is narrowed at the next start.
    database, old = tmp_path / "helpdesk.db", os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{database}")
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE notes (text TEXT)")
            connection.exec_driver_sql("INSERT INTO notes VALUES ('customer data')")
        with engine.connect():  # the WAL and its index exist while a connection is open
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert {oct(path.stat().st_mode & 0o777) for path in files} == {"0o600"}
        engine.dispose()
        database.chmod(0o644)
        make_engine(f"sqlite:///{database}").dispose()
        assert oct(database.stat().st_mode & 0o777) == "0o600"
    finally:
        os.umask(old)


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=folder, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(REPO)}, timeout=120)


def written(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "config.toml")


def test_the_default_database_folder_is_created(tmp_path: Path) -> None:
    # The embedded default needs no set-up: var/ appears at the first command.
    result = run(tmp_path, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "helpdesk.db").exists()


@pytest.mark.parametrize(("setting", "named", "command"), [
    ('[calendar]\ntimezone = "Mars/Olympus"\n', "calendar.timezone: unknown IANA timezone 'Mars/Olympus'", "init"),
    ('[calendar]\ntimezone = "Mars/Olympus"\n', "calendar.timezone: unknown IANA timezone 'Mars/Olympus'", "stats"),
    ('[calendar.hours]\nmon = "9-5"\n', "calendar.hours.mon must be opening-closing hours", "user"),
    ('[reports]\ndigest_time = "8am"\n', "reports.digest_time must be a time like", "stats"),
    ('[[routing.rules]]\nqueue = "returns"\nsubject = "("\n', "routing.rules[0].subject is not a valid", "init"),
    ('[database]\nurl = "mysql://u@db/helpdesk"\n', "mysql databases are not supported", "stats"),
])
def test_a_bad_setting_writes_nothing(tmp_path: Path, setting: str, named: str, command: str) -> None:
    # Whatever the command, a setting that cannot work stops it with one line naming the key, before a
    # database, a storage folder or an encryption key is written.
    (tmp_path / "config.toml").write_text(setting)
    arguments = {"init": ["init"], "stats": ["stats", "--json"], "user": ["user", "add", "a@example.com", "--role",
                                                                          "admin"]}[command]
    result = run(tmp_path, *arguments)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("helpdesk: ") and named in line
    assert written(tmp_path) == []


def test_check_reports_the_database_and_its_schema(config: Config, tmp_path: Path) -> None:
    # `helpdesk check`'s database line: reachable and current here; a database without the schema, or
    # a server that does not answer, names what to do.
    assert check_database(config).status == "ok" and "is current" in check_database(config).detail
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    bare = dataclasses.replace(config, database=DatabaseConfig(url=f"sqlite:///{empty}"))
    assert check_database(bare).detail.endswith("has no schema: run `helpdesk init`")
    down = dataclasses.replace(config, database=DatabaseConfig(url="postgresql://helpdesk@127.0.0.1:1/helpdesk"))
    assert check_database(down).status == "fail" and "database unreachable" in check_database(down).detail
