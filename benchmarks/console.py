"""Console response times on a large SQLite database, next to a trivial route measured in the same run.

    python benchmarks/console.py [--tickets 100000] [--messages-per-ticket 5] [--runs 60]

Builds a fresh SQLite database (100,000 tickets and 500,000 messages by default; Core bulk
inserts, bodies encrypted and the search index filled as in production), signs in with the Flask test
client, and times server-side: the trivial `/healthz`, the queue overview, a queue's ticket list
(first and a deep keyset page), ticket pages, and searches (a rare word, a common word, an order
number). Target: median under 50 ms for the ticket list, the ticket page and search.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert  # noqa: E402

from services import Services  # noqa: E402
from tickets.config import Config, DatabaseConfig, StorageConfig, WebConfig  # noqa: E402
from tickets.models import Customer, Message, SlaClock, Ticket, User  # noqa: E402
from tickets.search_feed import refresh  # noqa: E402
from web import create_app  # noqa: E402

T0 = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC)
WORDS = ("aeropress go clear original xl coffee maker filter paper metal cap plunger chamber seal rubber "
         "parcel tracking delivery courier customs warehouse return refund exchange broken cracked leaking "
         "order invoice discount coupon code shipping address payment card paypal wholesale cafe reseller "
         "grind size brew time water temperature espresso cold brew recipe scoop stirrer funnel travel mug "
         "please thanks hello regards urgent week days still waiting tomorrow yesterday arrived missing box "
         "damaged wrong colour model replacement policy inspection label package scratch gift christmas").split()
RARE = [f"zq{n:04d}" for n in range(2000)]  # words that occur in about 0.1% of tickets each
STATUSES = ("new", "open", "pending", "solved", "closed")
STATUS_WEIGHTS = (10, 8, 7, 35, 40)
CHUNK = 5000


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _chunks(rows: Iterator[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _tickets(rng: random.Random, config: Config, count: int, customers: int) -> list[dict[str, object]]:
    queues = [q for q in config.queues if q != "auto"]
    rows = []
    for i in range(1, count + 1):
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        active = status in ("new", "open", "pending")
        created = T0 + dt.timedelta(minutes=i * 3)
        rows.append({"id": i, "reference": f"HD-{i}", "subject": f"{sentence(rng, 5)} AP-{100000 + i}",
                     "queue": rng.choice(queues), "status": status, "mailbox": "support",
                     "customer_id": rng.randint(1, customers), "assignee_id": rng.choice([None, 2, 3, 4]),
                     "auto": False, "order_numbers": f"AP-{100000 + i}", "routing_reasons": ["bulk benchmark"],
                     "queue_confirmed": True,
                     "next_deadline": created + dt.timedelta(hours=rng.randint(1, 200)) if active and i % 7 else None,
                     "created_at": created, "updated_at": created})
    return rows


def _messages(rng: random.Random, tickets: int, per_ticket: int) -> Iterator[dict[str, object]]:
    directions = ("inbound", "outbound", "inbound", "note", "outbound")
    texts = [sentence(rng, rng.randint(40, 90)) for _ in range(3000)]
    for ticket in range(1, tickets + 1):
        for n in range(per_ticket):
            text = rng.choice(texts) + (f" {rng.choice(RARE)}" if rng.random() < 0.5 else "")
            at = T0 + dt.timedelta(minutes=ticket * 3, hours=n)
            yield {"ticket_id": ticket, "direction": directions[n % len(directions)],
                   "message_id": f"<{ticket}.{n}@bench.example>", "sender": f"c{ticket}@example.com",
                   "recipients": {"to": ["support@aeropressmall.com"]}, "subject": "Re: question", "text": text,
                   "new_text": text, "html": f"<p>{text}</p>" if n == 0 else "", "headers": [],
                   "delivery": "sent" if directions[n % 5] == "outbound" else "", "received_at": at, "created_at": at}


def _clocks(rng: random.Random, tickets: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """A running reply clock on every ticket with a deadline (the SLA engine keeps them in step)."""
    for ticket in tickets:
        due = ticket["next_deadline"]
        if isinstance(due, dt.datetime):
            yield {"ticket_id": ticket["id"], "kind": "reply", "target_working_days": 2.0,
                   "started_at": ticket["created_at"], "warn_at": due - dt.timedelta(hours=4), "due_at": due,
                   "running": True, "state": rng.choice(("ok", "ok", "at_risk", "breached")), "paused_seconds": 0.0}


def load(engine: Engine, config: Config, tickets: int, per_ticket: int) -> float:
    """Bulk-insert the data set and index it for search; the seconds it took.

    Core inserts bypass the ORM events that feed the search index, so it is filled afterwards
    with `tickets.search_feed.refresh`, the same code that indexes each flush in production.
    """
    rng = random.Random(42)
    customers = max(1, tickets // 4)
    started = time.perf_counter()
    ticket_rows = _tickets(rng, config, tickets, customers)
    with engine.begin() as connection:
        connection.execute(insert(User), [{"id": n, "email": f"agent{n}@aeropressmall.com", "name": f"Agent {n}",
                                           "password_hash": "", "role": "manager" if n == 1 else "agent",
                                           "queues": "order.tracking,returns,refunds", "created_at": T0}
                                          for n in range(1, 5)])
        for batch in _chunks({"id": n, "email": f"c{n}@example.com", "name": f"Customer {n}", "address": "",
                              "created_at": T0} for n in range(1, customers + 1)):
            connection.execute(insert(Customer), batch)
        for rows, model in ((iter(ticket_rows), Ticket), (_messages(rng, tickets, per_ticket), Message),
                            (_clocks(rng, ticket_rows), SlaClock)):
            for batch in _chunks(rows):
                connection.execute(insert(model), batch)
        refresh(connection, range(1, tickets + 1))
    return time.perf_counter() - started


def timed(call: Callable[[], Any], runs: int) -> float:
    """Median milliseconds of `runs` calls, after a warm-up call that must answer 200."""
    first = call()
    if first.status_code != 200:
        sys.exit(f"benchmark request {first.request.path} answered {first.status_code}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages-per-ticket", type=int, default=5)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{tmp}/bench.db"),
                                     storage=StorageConfig(path=f"{tmp}/files"),
                                     web=WebConfig(secret_key="bench", secure_cookies=False))
        services = Services.build(config)  # its engine seals bodies and names at rest, as in production
        took = load(services.engine, config, args.tickets, args.messages_per_ticket)
        print(f"loaded {args.tickets:,} tickets and {args.tickets * args.messages_per_ticket:,} messages "
              f"in {took:.0f} s")
        report(create_app(config, services), args.tickets, args.runs)
        services.close()


def _client(app: Any, user_id: int) -> Any:
    """A test client signed in as `user_id` (a server-side session, as a password sign-in opens)."""
    from tickets.console_sessions import open_session

    services = app.extensions["helpdesk"]
    with services.sessions.begin() as writer:
        token = open_session(writer, user_id, services.clock.now())
    client = app.test_client()
    with client.session_transaction() as session:
        session["sid"] = token
    return client


def report(app: Any, tickets: int, runs: int) -> None:
    """Time each page as an agent with three queues (user 2) and, for all queues, as a manager (user 1)."""
    agent, manager, rng = _client(app, 2), _client(app, 1), random.Random(7)
    deep, depth = "/tickets?queue=order.tracking&status=all", 1
    while depth < 21 and 'rel="next" href="' in (text := agent.get(deep).text):
        deep, depth = text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&"), depth + 1

    def get(url: str, client: Any = agent) -> Callable[[], Any]:
        return lambda: client.get(url)

    def found(url: str, client: Any = agent) -> Callable[[], Any]:
        """A list or search that must show tickets, or its time means nothing."""
        if "data-row" not in client.get(url).text:
            sys.exit(f"benchmark request {url} found no tickets")
        return get(url, client)

    def ticket_page() -> Any:
        return manager.get(f"/tickets/HD-{rng.randint(1, tickets)}")

    figures = [
        ("trivial route /healthz (baseline)", timed(get("/healthz"), runs), False),
        ("queue overview /, all ten queues", timed(get("/", manager), runs), False),
        ("ticket list, one queue, first page", timed(found("/tickets?queue=order.tracking"), runs), True),
        ("ticket list, an agent's three queues", timed(found("/tickets"), runs), True),
        ("ticket list, all ten queues (manager)", timed(found("/tickets", manager), runs), True),
        (f"ticket list, page {depth} (keyset)", timed(found(deep), runs), True),
        ("ticket page (random tickets)", timed(ticket_page, runs), True),
        ("search, rare word", timed(found("/search?q=zq0042", manager), runs), True),
        ("search, common word", timed(found("/search?q=parcel", manager), runs), True),
        ("search, two words", timed(found("/search?q=cracked+refund", manager), runs), True),
        ("search, order number", timed(found(f"/search?q=AP-{100000 + tickets // 2}", manager), runs), True),
    ]
    baseline = figures[0][1]
    print(f"{'route':42} {'median ms':>10} {'x baseline':>11}  target")
    for name, median, targeted in figures:
        verdict = ("< 50 ms " + ("ok" if median < 50 else "MISSED")) if targeted else ""
        print(f"{name:42} {median:10.2f} {median / baseline:11.1f}  {verdict}")


if __name__ == "__main__":
    main()
