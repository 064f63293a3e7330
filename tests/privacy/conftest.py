"""Privacy fixtures: encryption on (the services always attach their keyring), mail ingested and
committed, every stored byte, the command line on the frozen clock, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from privacy_support import Ingest, ingest_mail
from sqlalchemy.orm import Session

from cli import main as cli
from inbox.ingest import Outcome
from services import Services
from tickets import crypto
from tickets.clock import FrozenClock
from tickets.config import Config


@pytest.fixture
def sealed(services: Services) -> crypto.Keyring:
    """The keyring the services attached to their engine and file store, as `helpdesk` does."""
    assert crypto.keyring_of(services.engine.dialect) is services.keyring
    return services.keyring


@pytest.fixture
def ingest(services: Services, session: Session) -> Ingest:
    """Ingest one raw mail into a mailbox and commit, as a poller would."""
    def run(raw: bytes, mailbox: str = "support", source: str = "x") -> Outcome:
        return ingest_mail(services, session, raw, mailbox, source)
    return run


@pytest.fixture
def run_cli(tmp_path: Path, config: Config, frozen_clock: FrozenClock,
            capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`helpdesk --config <this test's config> ARGS...` on the frozen clock: (exit code, stdout, stderr)."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{config.database.url}"\n[storage]\npath = "{config.storage.path}"\n')

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["--config", str(path), *args], clock=frozen_clock)
        out, err = capsys.readouterr()
        return code, out, err
    return run
