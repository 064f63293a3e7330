"""Console load test on PostgreSQL: signed-in agents working at once while pollers ingest new mail.

    python benchmarks/load.py [--agents 50] [--seconds 60] [--think 1.0] [--tickets 20000]
                              [--messages-per-ticket 5] [--server gunicorn|werkzeug] [--admin-url URL]

1. A fresh database on the server of `--admin-url` (dropped at the end), bulk-seeded as
   benchmarks/console.py does (Core inserts, bodies sealed, search index filled): 20,000 tickets
   and 100,000 messages by default, and `--agents` agent accounts with a password.
2. The console in its own process, built by `web.wsgi:app`: by default as the README runs it in
   production, `gunicorn --workers <cores> --threads 8` (gunicorn comes with the `test` and
   `server` extras); with `--server werkzeug`, one threaded werkzeug process. Beside it,
   `helpdesk run --role workers` polls two mailboxes of a private Dovecot (tests/dovecot.py) in
   IDLE, which a feeder fills with corpus mail (../shared/bench/make_mail_corpus.py) during the run.
3. `--agents` threads sign in through the form, then loop until `--seconds` are over: a queue's
   ticket list, a ticket page, a search, and one time in ten a reply posted with the page's CSRF
   token; each pauses a random 0-2x `--think` seconds between pages (0: no pause, saturation).
   The agents sign in all at once first (timed apart: Argon2 is slow on purpose) and open one page
   of each kind, unmeasured: that fills every console worker's template and statement caches, as
   in a server that has been up a while. The measured run starts when all are done, each agent's
   first page after a pause of its own, as people don't all click at the same instant. A probe
   asks the trivial /healthz five times a second: the baseline, measured in the same run.
Prints requests/s and p50/p95/p99 latency per page type, then where the CPU went (the console's
milliseconds per request; in cores the console, the workers, PostgreSQL for this database and this
script: agents, probe, feeder) and how busy the machine was, as other jobs on it move the figures
a lot. Target: p95 under 200 ms for console pages.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dovecot import Dovecot, free_port, start_dovecot  # noqa: E402

from benchmarks.console import WORDS, load  # noqa: E402
from benchmarks.corpus import make_corpus  # noqa: E402
from benchmarks.cpu import MachineTimes, database_seconds, process_seconds  # noqa: E402
from benchmarks.scratch import ADMIN_URL, scratch_database  # noqa: E402
from services import Services  # noqa: E402
from tickets.config import Config  # noqa: E402
from tickets.config import load as load_config  # noqa: E402
from tickets.models import Base, Message, User  # noqa: E402
from tickets.passwords import Passwords  # noqa: E402

PASSWORD = "load-test-password"
AGENT_IDS = 1000
PAGES = ("queue list", "ticket page", "search", "reply")
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"|name="csrf-token" content="([^"]+)"')
_SEEN = re.compile(r'name="seen" value="(\d+)"')
WERKZEUG = ("import sys; from werkzeug.serving import make_server; from web.wsgi import app; "
            "make_server('127.0.0.1', int(sys.argv[1]), app, threaded=True).serve_forever()")


def write_config(folder: Path, url: str, server: Dovecot, users: dict[str, str]) -> Path:
    lines = ["[database]", f'url = "{url}"', "[storage]", f'path = "{folder / "files"}"',
             "[routing]", f'model_path = "{folder / "router.joblib"}"',
             "[web]", 'secret_key = "load test"', "secure_cookies = false"]
    for name, user in users.items():
        lines += [f"[mailboxes.{name}]", f'imap_host = "{server.host}"', f"imap_port = {server.port}",
                  f'imap_user = "{user}"', f'imap_password = "{server.password}"', 'imap_tls = "none"',
                  "poll_interval_seconds = 600.0"]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def seed(engine: Engine, config: Config, tickets: int, per_ticket: int, agents: int) -> float:
    """The bulk data set and the agents' accounts (one shared password hash); the seconds it took."""
    started = time.perf_counter()
    load(engine, config, tickets, per_ticket)
    queues = ",".join(q for q in config.queues if q != "auto")
    password_hash = Passwords.for_config(config.web).hash(PASSWORD)
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"id": AGENT_IDS + n, "email": f"load-agent{n}@aeropressmall.com", "name": f"Load Agent {n}",
             "password_hash": password_hash, "role": "agent", "queues": queues,
             "created_at": dt.datetime.now(dt.UTC)} for n in range(agents)])
        for table in Base.metadata.sorted_tables:  # explicit ids were inserted: move the sequences past them
            if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"GREATEST((SELECT max(id) FROM \"{table.name}\"), 1))"))
    return time.perf_counter() - started


class Agent:
    """One browser: a cookie, the last CSRF token seen, and timed requests."""

    def __init__(self, port: int, timings: dict[str, list[float]], errors: dict[str, int]) -> None:
        self.port, self.timings, self.errors = port, timings, errors
        self.cookie, self.token = "", ""

    def request(self, page: str, method: str, path: str, form: dict[str, str] | None = None) -> str:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError:
            self.errors[page] += 1
            return ""
        finally:
            connection.close()
        self.timings[page].append(time.perf_counter() - started)
        if response.status >= 400 and response.status != 409:  # 409: a reply held for a newer customer message
            self.errors[page] += 1
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        if token := _TOKEN.search(text):
            self.token = token.group(1) or token.group(2)
        return text

    def sign_in(self, email: str) -> None:
        self.request("sign-in form", "GET", "/login")
        self.request("sign-in", "POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": self.token})


def work(agent: Agent, email: str, tickets: int, think: float, begin: threading.Barrier, seconds: float,
         seed_no: int) -> None:
    """Sign in, wait for every agent to be signed in, then list, open, search and sometimes reply."""
    rng = random.Random(seed_no)
    queues = ("order.tracking", "returns", "refunds", "presales.general", "complaint.simple", "wholesale")
    agent.sign_in(email)
    for path in ("/tickets", f"/tickets/HD-{rng.randint(1, tickets)}", "/search?q=parcel"):
        agent.request("warm-up", "GET", path)
    begin.wait()
    until = time.monotonic() + seconds
    time.sleep(rng.uniform(0, 2 * think))  # agents start at random moments, not all on the same click
    while time.monotonic() < until:
        reference = f"HD-{rng.randint(1, tickets)}"
        steps = [("queue list", f"/tickets?{urlencode({'queue': rng.choice(queues)})}"),
                 ("ticket page", f"/tickets/{reference}"),
                 ("search", f"/search?{urlencode({'q': rng.choice(WORDS)})}")]
        for page, path in steps:
            text = agent.request(page, "GET", path)
            if page == "ticket page" and rng.random() < 0.1 and (seen := _SEEN.search(text)):
                agent.request("reply", "POST", f"/tickets/{reference}/reply",
                              {"text": "Thanks for your patience, your parcel is on its way.",
                               "seen": seen.group(1), "csrf_token": agent.token})
            if think:
                time.sleep(rng.uniform(0, 2 * think))
            if time.monotonic() >= until:
                return


def probe(port: int, timings: dict[str, list[float]], errors: dict[str, int], stop: threading.Event) -> None:
    agent = Agent(port, timings, errors)
    while not stop.wait(0.2):
        agent.request("healthz (baseline)", "GET", "/healthz")


def feed(server: Dovecot, users: dict[str, str], mails: list[bytes], seconds: float, stop: threading.Event) -> int:
    """Deliver `mails` evenly over `seconds`, alternating mailboxes, in small batches; how many went in."""
    batches = [mails[i:i + 5] for i in range(0, len(mails), 5)]
    pause, sent, names = seconds / max(1, len(batches)), 0, list(users)
    for number, batch in enumerate(batches):
        if stop.wait(pause):
            break
        server.append(users[names[number % len(names)]], batch)
        sent += len(batch)
    return sent


def wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            sys.exit(f"the console exited:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.1)
    sys.exit("the console did not become ready")


@dataclasses.dataclass
class Meter:
    """CPU seconds spent during the measured run by the console, the workers, PostgreSQL for this
    database and this script, and how busy the whole machine was."""

    console: int
    workers: int
    database: str
    started: tuple[dict[str, float], MachineTimes] | None = None
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)
    busy_cores: float = 0.0
    load_average: float = 0.0

    def _read(self) -> dict[str, float]:
        return {"console": process_seconds(self.console), "workers": process_seconds(self.workers),
                "PostgreSQL": database_seconds(self.database), "this script": time.process_time()}

    def start(self) -> None:
        self.started = (self._read(), MachineTimes.now())

    def stop(self) -> None:
        assert self.started is not None
        before, machine = self.started
        self.seconds = {name: used - before[name] for name, used in self._read().items()}
        self.busy_cores = MachineTimes.now().busy_cores_since(machine)
        self.load_average = os.getloadavg()[0]


@contextlib.contextmanager
def processes(config_path: Path, server: str, port: int, folder: Path, database: str) -> Iterator[Meter]:
    """The console and the workers, each in its own process with its log in `folder`."""
    env = {**os.environ, "HELPDESK_CONFIG": str(config_path)}
    if server == "gunicorn":
        console = [sys.executable, "-m", "gunicorn", "--workers", str(os.cpu_count() or 1), "--threads", "8",
                   "--bind", f"127.0.0.1:{port}", "web.wsgi:app"]
    else:
        console = [sys.executable, "-c", WERKZEUG, str(port)]
    # The seed's key file is in the config's storage folder: every process's services open the sealed data with it.
    workers = [sys.executable, "-m", "cli.main", "--config", str(config_path), "run", "--role", "workers"]
    logs = [folder / "console.log", folder / "workers.log"]
    started = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
               for command, log in ((console, logs[0]), (workers, logs[1]))]
    try:
        wait_ready(port, started[0], logs[0])
        yield Meter(started[0].pid, started[1].pid, database)
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def inbound(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Message).where(Message.direction == "inbound")) or 0


def drive(args: argparse.Namespace, port: int, meter: Meter) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Sign the agents in and warm up (all at once), then run them and the probe for `args.seconds`;
    the timings, the errors and the seconds of the measured run."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop, begin = threading.Event(), threading.Barrier(args.agents + 1)
    threads = [threading.Thread(target=work, args=(Agent(port, timings, errors), f"load-agent{n}@aeropressmall.com",
                                                   args.tickets, args.think, begin, args.seconds, n))
               for n in range(args.agents)]
    for thread in threads:
        thread.start()
    begin.wait()
    meter.start()
    started = time.monotonic()
    threads.append(threading.Thread(target=probe, args=(port, timings, errors, stop)))
    threads[-1].start()
    for thread in threads[:-1]:
        thread.join()
    meter.stop()
    stop.set()
    threads[-1].join()
    return timings, errors, time.monotonic() - started


def report(timings: dict[str, list[float]], errors: dict[str, int], seconds: float, meter: Meter) -> None:
    print(f"{'page':20} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    rows = ["healthz (baseline)", "sign-in", *PAGES]
    for page in rows:
        samples = timings.get(page, [])
        if len(samples) < 2:
            print(f"{page:20} {len(samples):8}")
            continue
        cuts = statistics.quantiles(samples, n=100)
        rate = "-" if page == "sign-in" else f"{len(samples) / seconds:.1f}"  # before the measured run
        print(f"{page:20} {len(samples):8} {rate:>7} {cuts[49] * 1000:8.1f} "
              f"{cuts[94] * 1000:8.1f} {cuts[98] * 1000:8.1f} {errors.get(page, 0):6}")
    console = [s for page in PAGES for s in timings.get(page, [])]
    total = sum(len(timings[p]) for p in ("healthz (baseline)", *PAGES) if p in timings)
    p95 = statistics.quantiles(console, n=100)[94] * 1000 if len(console) > 1 else float("nan")
    print(f"all requests: {total / seconds:.1f} req/s; console pages p95 {p95:.0f} ms "
          f"(target < 200 ms: {'ok' if p95 < 200 else 'MISSED'})")
    used = meter.seconds
    print(f"CPU: the console {used['console'] * 1000 / max(1, total):.1f} ms per request; in cores, "
          + ", ".join(f"{name} {spent / seconds:.2f}" for name, spent in used.items())
          + f"; the machine {meter.busy_cores:.2f} of {os.cpu_count()} busy, load average {meter.load_average:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between an agent's pages, seconds")
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--messages-per-ticket", type=int, default=5)
    parser.add_argument("--mails", type=int, default=600, help="mails delivered to Dovecot during the run")
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn",
                        help="gunicorn as the README runs the console in production, or one werkzeug process")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()
    if args.server == "gunicorn" and shutil.which("gunicorn") is None:
        sys.exit("--server gunicorn needs gunicorn: pip install -e '.[test]'")
    try:
        dovecot = start_dovecot()
    except pytest.skip.Exception as exc:
        sys.exit(f"benchmark {exc.msg}")
    try:
        with tempfile.TemporaryDirectory() as tmp, scratch_database(args.admin_url) as url:
            run(args, Path(tmp), url, dovecot)
    finally:
        dovecot.stop()
        shutil.rmtree(dovecot.root, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path, url: str, dovecot: Dovecot) -> None:
    users = {name: dovecot.add_user() for name in ("press", "support")}
    config_path = write_config(folder, url, dovecot, users)
    services = Services.build(load_config(config_path))  # its engine seals the seed data as the console reads it
    engine = services.engine
    took = seed(engine, services.config, args.tickets, args.messages_per_ticket, args.agents)
    print(f"seeded {args.tickets:,} tickets, {args.tickets * args.messages_per_ticket:,} messages and "
          f"{args.agents} agents in {took:.0f} s", flush=True)
    mails = [p.read_bytes() for p in make_corpus(folder / "corpus", args.mails)]
    before, port, stop = inbound(engine), free_port(), threading.Event()
    with processes(config_path, args.server, port, folder, make_url(url).database or "") as meter:
        feeder = threading.Thread(target=lambda: print(f"mails delivered to Dovecot during the run: "
                                                       f"{feed(dovecot, users, mails, args.seconds, stop)}"))
        feeder.start()
        timings, errors, seconds = drive(args, port, meter)
        stop.set()
        feeder.join()
        ingested = inbound(engine) - before
    print(f"{args.agents} agents, think {args.think} s, {seconds:.0f} s, console on {args.server}; "
          f"mails ingested by the pollers meanwhile: {ingested}")
    report(timings, errors, seconds, meter)
    services.close()


if __name__ == "__main__":
    main()
