"""`helpdesk demo`: the whole product on one machine, with nothing installed but the package.

An in-process IMAP server (pymap's in-memory `dict` backend, one demo user whose folders press,
support and wholesale stand for the shop's three mailboxes) seeded with customer mail from the
router's evaluation set, an SMTP sink (aiosmtpd) that keeps every outgoing mail in a Maildir the
console shows, and then `helpdesk run` pointed at them on SQLite under ./var.
"""
from __future__ import annotations

import asyncio
import csv
import dataclasses
import mailbox
import socket
import threading
from argparse import Namespace
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from imapclient import IMAPClient
from pymap.backend.dict import DictBackend
from pymap.imap import IMAPService

from tickets.config import Config, SmtpConfig

DEMO_USER, DEMO_PASSWORD = "demo", "demo"
DEMO_LOGIN = ("demo@aeropressmall.com", "demo")
SEED_PER_QUEUE = 4
ROUTING_DATA = Path(__file__).resolve().parents[1] / "routing" / "data"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoImap:
    """pymap serving the demo mailboxes on a loopback port, in its own thread and event loop."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), name="demo-imap", daemon=True)

    async def _serve(self) -> None:
        args = Namespace(host="127.0.0.1", port=str(self.port), debug=False, cert=None, key=None, tls=False,
                         passlib_cfg=None, proxy_protocol=None, inherited_sockets=None, demo_data=False,
                         demo_user=DEMO_USER, demo_password=DEMO_PASSWORD)
        backend, config = await DictBackend.init(args, secure_auth=False)
        config.apply_context()
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        async with AsyncExitStack() as stack:
            await backend.start(stack)
            await IMAPService(backend, config).start(stack)
            self._ready.set()
            await self._stop.wait()

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError("the demo IMAP server did not start")

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    def seed(self, folders: dict[str, list[bytes]]) -> None:
        """Create each folder and append its mail, as if customers had written."""
        with IMAPClient("127.0.0.1", self.port, ssl=False) as client:
            client.login(DEMO_USER, DEMO_PASSWORD)
            for folder, mails in folders.items():
                if not client.folder_exists(folder):
                    client.create_folder(folder)
                for raw in mails:
                    client.append(folder, raw)


class MailSink:
    """The aiosmtpd handler that keeps every outgoing mail in a Maildir instead of sending it."""

    def __init__(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(folder, create=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.box.add(envelope.original_content or envelope.content)
        return "250 OK kept by the demo sink"


def seed_mail(per_queue: int = SEED_PER_QUEUE) -> dict[str, list[bytes]]:
    """A few mails of every queue from the router's evaluation split, by the mailbox they went to: what
    customers wrote in the last hours (the six weeks before are `cli.demo_history`'s). No automatic
    mail: the history has it, closed as it came."""
    folders: dict[str, list[bytes]] = {"press": [], "support": [], "wholesale": []}
    taken: dict[str, int] = {}
    with open(ROUTING_DATA / "labels.tsv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["split"] == "eval" and row["queue"] != "auto" and taken.get(row["queue"], 0) < per_queue:
                taken[row["queue"]] = taken.get(row["queue"], 0) + 1
                folders[row["mailbox"]].append((ROUTING_DATA / "mail" / row["file"]).read_bytes())
    return folders


# The demo's return address, plainly a placeholder: a shop sets its own in `[shop]`, and until then the
# return-authorisation reply refuses to go out (web/canned.py).
DEMO_WAREHOUSE = "AeroPress Mall Returns (demo address)\n1 Example Street\nSpringfield 00000"


def demo_config(base: Config, imap_port: int, smtp_port: int, web_port: int) -> Config:
    """The config with its mailboxes on the demo IMAP server and outgoing mail to the sink, and a
    placeholder return address so every canned reply can be tried."""
    mailboxes = {name: dataclasses.replace(box, imap_host="127.0.0.1", imap_port=imap_port, imap_user=DEMO_USER,
                                           imap_password=DEMO_PASSWORD, imap_password_env="", imap_tls="none",
                                           imap_folder=name, poll_interval_seconds=5.0)
                 for name, box in base.mailboxes.items() if name in ("press", "support", "wholesale")}
    return dataclasses.replace(
        base, mailboxes={**base.mailboxes, **mailboxes},
        smtp=SmtpConfig(host="127.0.0.1", port=smtp_port, tls="none", retry_base_seconds=5.0),
        web=dataclasses.replace(base.web, host="127.0.0.1", port=web_port, secure_cookies=False),
        shop=base.shop if base.shop.return_warehouse_address else dataclasses.replace(
            base.shop, return_warehouse_address=DEMO_WAREHOUSE))


def start_sink(folder: Path, port: int) -> Controller:
    controller = Controller(MailSink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    return controller
