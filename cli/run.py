"""Commands that run the product: `run` (the real servers from the config) and `demo` (embedded)."""
from __future__ import annotations

import argparse
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from cli import demo
from cli.runner import ROLES, Running, start, start_workers, wait_for_signal
from services import Services
from tickets.config import WebConfig
from tickets.models import Role, User
from tickets.users import add_user
from web import demo_mail
from web.auth import is_loopback

if TYPE_CHECKING:
    from cli.runtime import Runtime


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="console address (default: [web] host)")
    parser.add_argument("--port", type=int, help="console port (default: [web] port)")
    parser.add_argument("--role", choices=ROLES, default="all",
                        help="web: the console alone; workers: pollers, LMTP listener and scheduler, each while "
                             "this process holds its lease; all (default): both")


def console_address(web: WebConfig, running: Running) -> str:
    """Where agents open the console, with the scheme the config implies: `[web] public_url`, else
    https when session cookies are Secure and the console listens beyond loopback (plain http could
    not sign in there), else the address this process listens on."""
    if web.public_url:
        return f"{web.public_url} (this process serves {running.url} behind it)"
    if running.web is not None and web.secure_cookies and not is_loopback(running.web.host):
        name = socket.getfqdn() if running.web.host in ("0.0.0.0", "::", "") else running.web.host
        return (f"https://{name}/ through a proxy that terminates TLS (this process serves {running.url}; "
                "set [web] public_url to the address agents open)")
    return running.url


def _announce(running: Running, web: WebConfig, extra: str = "") -> None:
    if running.web is not None:
        print(f"Helpdesk console: {console_address(web, running)}{extra}", flush=True)
    else:
        print("Helpdesk workers: pollers, LMTP listener and scheduler started (each runs while this process "
              "holds its lease)", flush=True)


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    """Production: pollers, LMTP listener if configured, outbox sender, scheduler, console (--role splits them)."""
    config = runtime.config
    running = start(runtime.services, args.host or config.web.host, args.port or config.web.port, role=args.role)
    runtime.tune_collector()
    _announce(running, config.web)
    wait_for_signal(running)
    return 0


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8080, help="console port (default 8080)")


def _ensure_demo_user(services: Services) -> None:
    email, password = demo.DEMO_LOGIN
    with services.sessions.begin() as session:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            add_user(session, services.passwords, email, Role.ADMIN.value, [], password, services.clock.now(),
                     name="Demo Admin")


def demo_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Everything embedded: IMAP server with sample mail, SMTP sink, pollers, scheduler, console."""
    imap = demo.DemoImap(demo.free_port())
    imap.start()
    imap.seed(demo.seed_mail())
    sink_folder = Path(runtime.config.storage.path).parent / "demo-sent"
    sink = demo.start_sink(sink_folder, demo.free_port())
    services = Services.build(demo.demo_config(runtime.config, imap.port, sink.port, args.port), runtime.clock)
    _ensure_demo_user(services)
    running = start(services, "127.0.0.1", args.port, configure_app=lambda app: demo_mail.register(app, sink_folder),
                    role="web")
    running.stoppers.append(services.close)
    threading.Thread(target=_history_then_workers, args=(running, services), name="demo-history", daemon=True).start()
    runtime.tune_collector()
    running.stoppers += [imap.stop, sink.stop]
    email, password = demo.DEMO_LOGIN
    _announce(running, services.config.web, f"  (sign in as {email} / {password}; Ctrl-C stops)")
    wait_for_signal(running)
    return 0


def _history_then_workers(running: Running, services: Services) -> None:
    """On a first start, six weeks of history (cli/demo_history.py), then the pollers and the scheduler:
    the console answers at once and shows the history as it fills."""
    from cli import demo_history

    if demo_history.needed(services):
        demo_history.replay_history(services)  # the scheduler's first jobs then index it for suggestions
    if not running.stop_event.is_set():
        start_workers(running, services)


COMMANDS = {"run": (_run_arguments, run), "demo": (_demo_arguments, demo_command)}
