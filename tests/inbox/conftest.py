"""Mail fixtures: ingestion pipelines built on the test's services (its store, keyring and frozen clock).

`services.ingestor` is the fully wired pipeline (router, SLA clocks, acknowledgements). Most tests
here want a bare one instead, for a config they adjusted (an IMAP account, an SMTP relay, a
switched-off setting) and with only the steps they test: `make_ingestor(config, acknowledge=...)`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from inbox.acks import Acknowledger
from inbox.ingest import Ingestor
from services import Services
from tickets.config import Config


@pytest.fixture
def make_ingestor(services: Services) -> Callable[..., Ingestor]:
    """`make_ingestor(config=None, acknowledge=False, **steps)`: a pipeline on the services' store and
    clock for `config` (the services' own by default); `acknowledge=True` adds the acknowledge step."""

    def build(config: Config | None = None, acknowledge: bool = False, **steps: Any) -> Ingestor:
        config = config or services.config
        if acknowledge:
            steps["acknowledge"] = Acknowledger(config, services.calendar)
        return Ingestor(config, services.store, services.clock, **steps)

    return build
