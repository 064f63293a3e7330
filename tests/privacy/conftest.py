"""Privacy fixtures: encryption on, mail ingested and committed, every stored byte, the CLI with
the privacy commands, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sqlalchemy.orm import Session

from inbox.ingest import Ingestor, Outcome, RawMail
from privacy_support import Ingest
from tickets import crypto
from tickets.config import Config
from web import cli, commands_privacy


@pytest.fixture
def sealed(config: Config) -> Iterator[crypto.Keyring]:
    """The config's keyring installed, as `helpdesk` installs it; removed afterwards."""
    ring = crypto.use(config)
    yield ring
    crypto.install(None)


@pytest.fixture
def ingest(session: Session, config: Config, frozen_clock: list[dt.datetime]) -> Ingest:
    """Ingest one raw mail into a mailbox and commit, as a poller would."""
    def run(raw: bytes, mailbox: str = "support", source: str = "x") -> Outcome:
        [outcome] = Ingestor(config).ingest_batch(session, [RawMail(raw, source)], mailbox)
        session.commit()
        return outcome
    return run


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: Config,
            capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`helpdesk --config <this test's config> ARGS...` with the privacy commands registered:
    (exit code, stdout, stderr)."""
    registry = cli._registry

    def with_privacy() -> dict:  # type: ignore[type-arg]
        return {**registry(), **commands_privacy.COMMANDS}

    monkeypatch.setattr(cli, "_registry", with_privacy)
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{config.database.url}"\n[storage]\npath = "{config.storage.path}"\n')

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        before = crypto.active()
        try:
            code = cli.main(["--config", str(path), *args])
        finally:
            crypto.install(before)
        out, err = capsys.readouterr()
        return code, out, err
    return run
