"""Privacy fixtures: encryption on (the services always attach their keyring), mail ingested and
committed, every stored byte, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import pytest
from privacy_support import Ingest, ingest_mail
from sqlalchemy.orm import Session

from inbox.ingest import Outcome
from services import Services
from tickets import crypto


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
