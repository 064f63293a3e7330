"""Ticket lists: sorted by next deadline (none last, then id), filtered, and paged by keyset without gaps."""
from __future__ import annotations

import datetime as dt
import random

import webseed
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.config import Config
from tickets.models import Ticket
from web.listing import Cursor, ListFilter, ticket_page


def _tickets(writer: sessionmaker[Session], config: Config, staff: Staff) -> list[tuple[dt.datetime | None, int]]:
    """Twenty tickets over two queues and three statuses, some sharing a deadline, some without one."""
    rng = random.Random(7)
    made = []
    with writer.begin() as s:
        for i in range(20):
            queue = ("order.tracking", "returns")[i % 2]
            ticket = webseed.ticket(s, config, webseed.parsed(f"Question {i}", "text", sender=f"c{i}@example.com"),
                                    queue=queue)
            ticket.status = ("new", "open", "pending")[i % 3]
            ticket.assignee_id = staff.agent.id if i % 4 == 0 else None
            if i % 5:  # started 8 h ago: due in a day (ok), in an hour (at risk), or an hour ago (breached)
                state, minutes = ("ok", "at_risk", "breached")[i % 3], rng.choice([1, 2, 3])
                due = webseed.T0 + dt.timedelta(hours={"ok": 24, "at_risk": 1, "breached": -1}[state], minutes=minutes)
                webseed.clock(s, ticket, "reply", state, webseed.T0 - dt.timedelta(hours=8), due)
            made.append((ticket.next_deadline, ticket.id))
    return made


def _walk(reader: sessionmaker[Session], wanted: ListFilter, size: int) -> list[int]:
    ids: list[int] = []
    after: Cursor | None = None
    with reader() as s:
        while True:
            page = ticket_page(s, wanted, Cursor.decode(after.encode()) if after else None, size=size)
            ids += [t.id for t in page.tickets]
            if page.next_cursor is None:
                return ids
            after = page.next_cursor


def test_pages_cover_every_ticket_once_in_deadline_order(writer: sessionmaker[Session],
                                                         reader: sessionmaker[Session], web_config: Config,
                                                         staff: Staff) -> None:
    # Walking the pages (three tickets each) yields every ticket exactly once, earliest deadline first, none last.
    made = _tickets(writer, web_config, staff)
    expected = [i for d, i in sorted(made, key=lambda m: (m[0] is None, m[0] or webseed.T0, m[1]))]
    assert _walk(reader, ListFilter(("order.tracking", "returns"), now=webseed.T0), size=3) == expected


def test_filters_by_queue_status_assignee_and_sla_state(writer: sessionmaker[Session], reader: sessionmaker[Session],
                                                        web_config: Config, staff: Staff) -> None:
    # Each filter narrows the list to exactly the tickets it names.
    made = _tickets(writer, web_config, staff)
    with reader() as s:
        tickets = {t.id: t for t in s.scalars(select(Ticket))}
        clocks = {i: ("ok", "at_risk", "breached")[n % 3] for n, (_, i) in enumerate(made) if n % 5}
    ids = [i for _, i in made]
    assert set(_walk(reader, ListFilter(("returns",), ("open",), now=webseed.T0), 4)) == \
        {i for i in ids if tickets[i].queue == "returns" and tickets[i].status == "open"}
    mine = ListFilter(("order.tracking", "returns"), assignee=staff.agent.id, now=webseed.T0)
    assert set(_walk(reader, mine, 4)) == \
        {i for i in ids if tickets[i].assignee_id == staff.agent.id}
    assert set(_walk(reader, ListFilter(("order.tracking", "returns"), assignee=0, now=webseed.T0), 4)) == \
        {i for i in ids if tickets[i].assignee_id is None}
    assert set(_walk(reader, ListFilter(("order.tracking", "returns"), sla="breached", now=webseed.T0), 4)) == \
        {i for i, state in clocks.items() if state == "breached"}


def test_list_page_links_to_the_next_page_and_refuses_bad_filters(console: Console, writer: sessionmaker[Session],
                                                                  web_config: Config, staff: Staff) -> None:
    # The console list shows the chosen queue's tickets; a made-up filter is a 400, another's queue a 403.
    _tickets(writer, web_config, staff)
    console.sign_in(staff.agent)
    page = console.get("/tickets?queue=returns&status=all").text
    assert page.count('<tr data-row') == 10 and "Next page" not in page
    assert console.get("/tickets?status=burning").status_code == 400
    assert console.get("/tickets?after=not-a-cursor").status_code == 400
    assert console.get("/tickets?queue=wholesale").status_code == 403
