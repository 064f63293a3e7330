"""The demo's six weeks of history, made by the product itself on a clock set back in time.

A demo whose tickets all arrive at once shows nothing a helpdesk is for. On a first start this
replays six weeks: customer mail from the router's training split arriving through the real
ingestion pipeline at times spread over working hours (a few customers writing several times),
three agents answering through `tickets.operations` (some late, some after a customer wrote back),
solving and closing, the SLA check and the outbox running at each moment as the scheduler would.
The clock is a `FrozenClock` moved from event to event, so every deadline, acknowledgement, report
figure and sent-mail date is the product's own. What is still unanswered ends at risk or breached;
automatic mail is closed as it arrives. Mail from the last few hours stays for the live pollers.
"""
from __future__ import annotations

import csv
import datetime as dt
import email
import functools
import heapq
import itertools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cli.demo_replies import CLOSING_REPLIES, FOLLOW_UPS, REPLIES
from inbox.ingest import RawMail
from inbox.sender import deliver_due
from services import Services
from sla.jobs import check_clocks
from tickets import operations
from tickets.clock import FrozenClock
from tickets.models import Customer, Direction, Message, Role, Status, Ticket, User
from tickets.passwords import Passwords
from tickets.users import add_user

log = logging.getLogger(__name__)

DAYS = 42
SCHEDULER_PASS = dt.timedelta(hours=1)  # the SLA check and the outbox, as often as the replay runs them
PASSWORD = "demo"
AGENTS = (("olivia@aeropressmall.com", "Olivia Hart", ("order.tracking", "returns", "refunds", "privacy")),
          ("ben@aeropressmall.com", "Ben Ito", ("presales.general", "presales.complex", "wholesale")),
          ("chloe@aeropressmall.com", "Chloe Duval", ("complaint.simple", "complaint.complex", "returns", "refunds")))
REGULARS = (("Hannah Weber", "hannah.weber@example.de"), ("Lucas Martin", "lucas.martin@example.fr"),
            ("Sofia Rossi", "sofia.rossi@example.it"), ("James Miller", "james.miller@example.com"),
            ("Mia Johnson", "mia.johnson@example.com"), ("Noah Kim", "noah.kim@example.com"),
            ("Emma Novak", "emma.novak@example.cz"), ("Oliver Smith", "oliver.smith@example.co.uk"))
ROUTING_DATA = Path(__file__).resolve().parents[1] / "routing" / "data"


@dataclass(frozen=True)
class Arrival:
    at: dt.datetime
    file: Path
    mailbox: str
    sender: tuple[str, str] | None  # a regular customer's (name, address) instead of the file's


@dataclass
class Replay:
    """The history's services on their set-back clock, its random choices and its queue of events."""

    services: Services
    clock: FrozenClock
    end: dt.datetime
    rng: random.Random
    zone: ZoneInfo
    agents: list[User] = field(default_factory=list)
    events: list[tuple[dt.datetime, int, Callable[[], None]]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def later(self, at: dt.datetime, action: Callable[[], None]) -> None:
        if at < self.end:
            heapq.heappush(self.events, (at, next(self.counter), action))

    def working(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or the next weekday morning when it falls outside 09:00-18:00 shop time."""
        local = moment.astimezone(self.zone)
        if local.weekday() < 5 and 9 <= local.hour < 18:
            return moment
        day = local.date() if local.hour < 9 else local.date() + dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(9, self.rng.randint(0, 59)), self.zone).astimezone(dt.UTC)


def _mails() -> dict[str, list[tuple[Path, str]]]:
    """The training split's English mail (and the automatic mail) by labelled queue, with its mailbox."""
    found: dict[str, list[tuple[Path, str]]] = {}
    with open(ROUTING_DATA / "labels.tsv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["split"] == "train" and row["queue"] != "none" and ("-en-" in row["file"] or row["queue"] == "auto"):
                found.setdefault(row["queue"], []).append((ROUTING_DATA / "mail" / row["file"], row["mailbox"]))
    return found


def arrivals(rng: random.Random, end: dt.datetime, zone: ZoneInfo, days: int = DAYS) -> list[Arrival]:
    """Mail over the `DAYS` before `end`: 2-6 a working day, 0-2 at weekends, in the day's waking hours."""
    pools = _mails()
    queues = sorted(pools)
    weights = [1 if q == "auto" else 3 if q in ("order.tracking", "returns", "presales.general") else 2 for q in queues]
    start = (end - dt.timedelta(days=days)).astimezone(zone).date()
    found: list[Arrival] = []
    for offset in range(days + 1):
        day = start + dt.timedelta(days=offset)
        for _ in range(rng.randint(2, 6) if day.weekday() < 5 else rng.randint(0, 2)):
            minute = rng.randint(8 * 60, 19 * 60) if rng.random() < 0.85 else rng.randint(0, 24 * 60 - 1)
            at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), zone).astimezone(dt.UTC)
            queue = rng.choices(queues, weights)[0]
            if at < end - dt.timedelta(hours=3) and pools[queue]:
                file, mailbox = pools[queue].pop(rng.randrange(len(pools[queue])))
                regular = rng.choice(REGULARS) if queue != "auto" and rng.random() < 0.25 else None
                found.append(Arrival(at, file, mailbox, regular))
    return sorted(found, key=lambda a: a.at)


def _as_regular(data: bytes, sender: tuple[str, str] | None) -> bytes:
    if sender is None:
        return data
    message = email.message_from_bytes(data, policy=policy.default)
    del message["From"]
    message["From"] = formataddr(sender)
    return message.as_bytes()


def _ingest(replay: Replay, data: bytes, mailbox: str) -> tuple[Ticket | None, str]:
    """The mail through the real pipeline at the replay's moment: its ticket and its status (created...)."""
    services = replay.services
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(data, "demo history", replay.clock.now())],
                                                   mailbox)
        ticket = session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket)) if outcome.ticket else None
        return ticket, outcome.status


def _agent(replay: Replay, queue: str) -> User | None:
    able = [a for a in replay.agents if queue in a.queue_list]
    return replay.rng.choice(able) if able else None


def _answer(replay: Replay, ticket_id: int, texts: tuple[str, ...], status: str) -> None:
    """An agent replies (assigning it to themselves, confirming a complaint's queue) and sets the status."""
    now, config = replay.clock.now(), replay.services.config
    with replay.services.sessions.begin() as session:
        ticket = session.get(Ticket, ticket_id)
        agent = _agent(replay, ticket.queue) if ticket else None
        if ticket is None or agent is None or ticket.status in (Status.SOLVED.value, Status.CLOSED.value):
            return
        agent = session.merge(agent, load=False)
        if ticket.assignee_id is None:
            operations.assign(session, ticket, agent, agent, now)
        if ticket.queue.startswith("complaint"):
            operations.confirm_queue(session, ticket, agent, now)
        name = (ticket.customer.name if ticket.customer else "").split(" ")[0] or "there"
        text = replay.rng.choice(texts).format(name=name, agent=agent.name.split(" ")[0])
        operations.reply(session, config, ticket, agent, text, now)
        operations.set_status(session, ticket, status, now, agent)


def _write_back(replay: Replay, ticket_id: int) -> None:
    """The customer answers our reply, threaded by In-Reply-To, through the pipeline."""
    with replay.services.sessions.begin() as session:
        ticket = session.get(Ticket, ticket_id)
        ours = session.scalar(select(Message.message_id).where(Message.ticket_id == ticket_id,
                                                               Message.direction == Direction.OUTBOUND.value,
                                                               Message.author_id.is_not(None))
                              .order_by(Message.id.desc()).limit(1))
        customer = session.get(Customer, ticket.customer_id) if ticket and ticket.customer_id else None
        if ticket is None or customer is None or ours is None:
            return
        mail = EmailMessage()
        mail["From"], mail["To"] = formataddr((customer.name, customer.email)), "support@aeropressmall.com"
        mail["Subject"] = f"Re: {ticket.subject} [#{ticket.reference}]"
        mail["Message-ID"], mail["In-Reply-To"], mail["References"] = make_msgid(domain="example.com"), ours, ours
        mail["Date"] = format_datetime(replay.clock.now())
        mail.set_content(replay.rng.choice(FOLLOW_UPS))
        mailbox = ticket.mailbox
    _ingest(replay, mail.as_bytes(), mailbox)


def _close(replay: Replay, ticket_id: int) -> None:
    with replay.services.sessions.begin() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is not None and ticket.status != Status.CLOSED.value:
            operations.set_status(session, ticket, Status.CLOSED.value, replay.clock.now())


def _fate(replay: Replay, ticket: Ticket, arrived: dt.datetime) -> None:
    """What happens to a new ticket: answered in time or late, written back to, solved, closed, or left."""
    rng, age = replay.rng, replay.end - arrived
    if ticket.auto:
        replay.later(arrived + dt.timedelta(minutes=rng.randint(1, 30)), lambda: _close(replay, ticket.id))
        return
    if age < dt.timedelta(days=3) and rng.random() < 0.6 or age < dt.timedelta(days=8) and rng.random() < 0.2:
        return  # still waiting for its first answer: at risk or breached by now
    replied = replay.working(arrived + dt.timedelta(hours=rng.uniform(0.3, 16)))
    if rng.random() < 0.12:
        replied = replay.working(replied + dt.timedelta(days=rng.uniform(2, 4)))  # answered late
    texts = REPLIES.get(ticket.queue, ())
    if not texts:
        return
    if rng.random() < 0.3:  # the customer writes back, the agent answers again and solves it
        back = replay.working(replied + dt.timedelta(hours=rng.uniform(3, 30)))
        final = replay.working(back + dt.timedelta(hours=rng.uniform(0.5, 8)))
        replay.later(replied, lambda: _answer(replay, ticket.id, texts, Status.PENDING.value))
        replay.later(back, lambda: _write_back(replay, ticket.id))
        replay.later(final, lambda: _answer(replay, ticket.id, CLOSING_REPLIES, Status.SOLVED.value))
        solved = final
    else:
        solved = replied
        done = replied < replay.end - dt.timedelta(days=4) and rng.random() < 0.9
        status = Status.SOLVED.value if done else Status.PENDING.value
        replay.later(replied, lambda: _answer(replay, ticket.id, texts, status))
    replay.later(solved + dt.timedelta(days=7), lambda: _close(replay, ticket.id))


def _arrive(replay: Replay, arrival: Arrival) -> None:
    ticket, status = _ingest(replay, _as_regular(arrival.file.read_bytes(), arrival.sender), arrival.mailbox)
    if ticket is not None and (status == "created" or status == "auto" and ticket.auto):
        _fate(replay, ticket, arrival.at)


def _staff(session: Session, passwords: Passwords, now: dt.datetime) -> list[User]:
    """The demo's three agents (password `demo`), made once."""
    agents = []
    for address, name, queues in AGENTS:
        agent = session.scalar(select(User).where(User.email == address))
        agents.append(agent or add_user(session, passwords, address, Role.AGENT.value, queues, PASSWORD, now,
                                        name=name))
    return agents


def _scheduler_pass(history: Services, at: dt.datetime) -> None:
    """What the scheduler's SLA check and outbox sender would have done by `at`."""
    with history.sessions.begin() as session:
        check_clocks(session, history.config, history.calendar, at)
    deliver_due(history.sessions, history.config, at)


def needed(services: Services) -> bool:
    """Only a first start replays history: a database with tickets already has one."""
    with services.readonly() as session:
        return not session.scalar(select(func.count()).select_from(Ticket))


def replay_history(services: Services, seed: int = 20, days: int = DAYS) -> dict[str, int]:
    """Six weeks (`days`) up to the services' clock, replayed on history services sharing their router."""
    end = services.clock.now()
    clock = FrozenClock(end - dt.timedelta(days=days + 1))
    history = Services.build(services.config, clock)
    history.router = services.router  # trained once (on a first start, here), for both
    replay = Replay(history, clock, end, random.Random(seed), services.calendar.tz)
    with history.sessions.begin() as session:
        replay.agents = _staff(session, history.passwords, clock.now())
    for arrival in arrivals(replay.rng, end, replay.zone, days):
        replay.later(arrival.at, functools.partial(_arrive, replay, arrival))
    steps, last_pass = 0, clock.now()
    while replay.events:
        at, _, action = heapq.heappop(replay.events)
        if at - last_pass >= SCHEDULER_PASS:
            _scheduler_pass(history, at)
            last_pass = at
        clock.set(at)
        action()
        steps += 1
    clock.set(end)
    _scheduler_pass(history, end)
    with history.readonly() as session:
        tickets = session.scalar(select(func.count()).select_from(Ticket)) or 0
    history.close()
    log.info("demo history: %s events, %s tickets", steps, tickets)
    return {"events": steps, "tickets": tickets}
