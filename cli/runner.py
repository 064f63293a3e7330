"""`helpdesk run`: pollers, LMTP listener, scheduler (SLA, outbox, digests) and the console, in one
process until SIGINT or SIGTERM, or one role of them (docs/operations.md).

Roles: `web` is the console alone (for several console workers, prefer gunicorn and `web.wsgi:app`);
`workers` is the pollers, the LMTP listener and the scheduler; `all` is both. Workers may run on
several hosts at once: each mailbox's poller and the scheduler run only in the process holding
their lease (`tickets.leases`), the others stand by and take over when the holder stops or dies.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.urls import uri_to_iri

from inbox.imap import imap_mailboxes, run_pollers
from inbox.lmtp import start_lmtp
from services import Services
from services.scheduler import make_scheduler
from tickets.errors import ConfigError
from tickets.leases import SCHEDULER, LeaseKeeper, hold_while, holder_id
from web import create_app

log = logging.getLogger(__name__)

ROLES = ("all", "web", "workers")
_CONTROL = str.maketrans({code: f"\\x{code:02x}" for code in (*range(32), 127)})


class RequestLog(WSGIRequestHandler):
    """One line per request, as werkzeug writes it, but without terminal colour codes unless
    stderr is a terminal: log files and journald get plain text."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if sys.stderr.isatty():
            super().log_request(code, size)
            return
        try:
            line = f"{self.command} {uri_to_iri(self.path)} {self.request_version}"
        except AttributeError:  # the request line could not be parsed
            line = self.requestline
        self.log("info", '"%s" %s %s', line.translate(_CONTROL), code, size)


@dataclass
class Running:
    """What `start` started, so `stop` can end it in order."""

    stop_event: threading.Event
    web: BaseWSGIServer | None = None
    scheduler: BackgroundScheduler | None = None
    stoppers: list[Callable[[], Any]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.web.host}:{self.web.port}/" if self.web else ""

    def stop(self) -> None:
        """Stop the console, let pollers log out and leases go, then stop the servers and the scheduler."""
        self.stop_event.set()
        if self.web is not None:
            self.web.shutdown()
        for thread in self.threads:
            thread.join(timeout=10)
        for stopper in reversed(self.stoppers):
            stopper()


def start(services: Services, host: str, port: int, configure_app: Callable[[Flask], None] | None = None,
          role: str = "all") -> Running:
    """Start every part of `role` the config asks for; the console listens on host:port."""
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    running = Running(threading.Event())
    if role in ("all", "web"):
        _start_console(running, services, host, port, configure_app)
    if role in ("all", "workers"):
        start_workers(running, services)
    return running


def _start_console(running: Running, services: Services, host: str, port: int,
                   configure_app: Callable[[Flask], None] | None) -> None:
    app = create_app(services.config, services)
    if configure_app:
        configure_app(app)
    try:
        running.web = make_server(host, port, app, threaded=True, request_handler=RequestLog)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    running.threads.append(threading.Thread(target=running.web.serve_forever, name="console", daemon=True))
    running.threads[-1].start()


def start_workers(running: Running, services: Services) -> None:
    """Pollers and the scheduler, each working only while this process holds its lease."""
    config, sessions, clock = services.config, services.sessions, services.clock
    ingestor = services.ingestor  # the router loads here, while the console already serves
    holder = holder_id()
    running.threads += run_pollers(config, sessions, ingestor, imap_mailboxes(config), running.stop_event, holder)
    if config.lmtp.host:
        running.stoppers.append(start_lmtp(config, sessions, ingestor).stop)
    scheduler = running.scheduler = make_scheduler(services)
    scheduler.start(paused=True)
    running.stoppers.append(lambda: scheduler.shutdown(wait=False))
    keeper = LeaseKeeper(sessions, SCHEDULER, holder, config.leases.ttl_seconds)
    running.threads.append(threading.Thread(
        target=hold_while, args=(keeper, scheduler.resume, scheduler.pause, running.stop_event, clock.now),
        name="scheduler-lease", daemon=True))
    running.threads[-1].start()


def wait_for_signal(running: Running) -> None:
    """Block until SIGINT or SIGTERM, then stop everything."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: running.stop_event.set())
    while not running.stop_event.wait(1.0):
        pass
    log.info("stopping")
    running.stop()
