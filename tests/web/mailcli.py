"""Mail into the console's database the way a shop's mail arrives: `helpdesk ingest` on real files.

The console tests that follow a customer's mail (a reply after closing, an old archive) ingest it
through the command line, with the same database, files and keys as the console's own services.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from cli.main import main
from tickets.clock import FrozenClock
from tickets.config import Config


def write_config(folder: Path, config: Config, extra: str = "") -> Path:
    """A config file naming the test's database, storage, router model and holidays (the console's calendar
    and the command's agree), plus `extra` TOML."""
    path = folder / "config.toml"
    path.write_text(f'[database]\nurl = "{config.database.url}"\n[storage]\npath = "{config.storage.path}"\n'
                    f'[routing]\nmodel_path = "{config.routing.model_path}"\n'
                    f'[calendar]\nholiday_country = "{config.calendar.holiday_country}"\n{extra}', encoding="utf-8")
    return path


def ingest(config_path: Path, clock: FrozenClock, mail: bytes, *flags: str, mailbox: str = "support") -> dict:
    """`helpdesk ingest --jsonl` of one .eml file on `clock`; the line about that mail."""
    folder = config_path.parent / f"mail-{clock.now():%Y%m%d%H%M%S}-{len(mail)}"
    folder.mkdir()
    (folder / "mail.eml").write_bytes(mail)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--config", str(config_path), "ingest", "--jsonl", "--mailbox", mailbox, *flags,
                     str(folder)], clock) == 0
    return json.loads(out.getvalue().splitlines()[0])
