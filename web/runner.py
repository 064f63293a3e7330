"""`helpdesk run`: pollers, LMTP listener, scheduler (SLA, outbox, digests) and the console,
in one process until SIGINT or SIGTERM. Larger shops split these over hosts (DESIGN section 7)."""
from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server

from inbox.imap import imap_mailboxes, run_pollers
from inbox.lmtp import start_lmtp
from tickets.config import Config
from tickets.errors import ConfigError
from web import create_app
from web.wiring import make_ingestor, make_scheduler

log = logging.getLogger(__name__)


@dataclass
class Running:
    """What `start` started, so `stop` can end it in order."""

    stop_event: threading.Event
    web: BaseWSGIServer
    stoppers: list[Callable[[], Any]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.web.host}:{self.web.port}/"

    def stop(self) -> None:
        self.stop_event.set()
        self.web.shutdown()
        for stopper in reversed(self.stoppers):
            stopper()
        for thread in self.threads:
            thread.join(timeout=10)


def start(config: Config, engine: Engine, sessions: sessionmaker[Session], host: str, port: int,
          configure_app: Callable[[Any], None] | None = None) -> Running:
    """Start every part the config asks for; the console listens on host:port."""
    ingestor = make_ingestor(config)
    app = create_app(config, ingestor_factory=lambda: ingestor, engine=engine)
    if configure_app:
        configure_app(app)
    try:
        web = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    running = Running(threading.Event(), web)
    running.threads.append(threading.Thread(target=web.serve_forever, name="console", daemon=True))
    running.threads[-1].start()
    running.threads += run_pollers(config, sessions, ingestor, imap_mailboxes(config), running.stop_event)
    if config.lmtp.host:
        running.stoppers.append(start_lmtp(config, sessions, ingestor).stop)
    scheduler = make_scheduler(config, sessions, ingestor)
    scheduler.start()
    running.stoppers.append(lambda: scheduler.shutdown(wait=False))
    return running


def wait_for_signal(running: Running) -> None:
    """Block until SIGINT or SIGTERM, then stop everything."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: running.stop_event.set())
    while not running.stop_event.wait(1.0):
        pass
    log.warning("stopping")
    running.stop()
