"""What a list row tells an agent: business-time deadlines and waits with the moment on hover, the
customer's newest words, the queue's name, "(no subject)"; and lists sorted by a column's heading."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import webseed
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.config import Config
from tickets.models import Ticket
from web.listing import SORTS, Cursor, ListFilter, ticket_page

MONDAY_10 = webseed.T0 - dt.timedelta(days=1)      # one working day before the frozen Tuesday 10:00
FRIDAY_10 = webseed.T0 - dt.timedelta(days=4)      # two working days before it


def _row(page: str, reference: str) -> str:
    """The HTML of the list row of one ticket."""
    match = re.search(rf'<tr data-row data-href="/tickets/{reference}">(.*?)</tr>', page, re.S)
    assert match, f"no row for {reference}"
    return match.group(1)


def test_rows_show_business_time_left_breaches_and_waits_with_the_moment_on_hover(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        soon = webseed.ticket(s, web_config, webseed.parsed("Parcel late", "Where is it?", received=FRIDAY_10))
        webseed.clock(s, soon, "reply", "ok", FRIDAY_10, webseed.T0 + dt.timedelta(hours=3, minutes=20))
        late = webseed.ticket(s, web_config, webseed.parsed("Still nothing", "Hello?", received=FRIDAY_10))
        webseed.clock(s, late, "reply", "breached", FRIDAY_10, MONDAY_10)
        refs = soon.reference, late.reference
    page = console.sign_in(staff.agent).get("/tickets").text
    soon_row, late_row = _row(page, refs[0]), _row(page, refs[1])
    assert ('<time class="rel" datetime="2026-11-24T18:20:00+00:00" title="Tue 24 Nov 2026 13:20">'
            'due in 3 h 20 m</time>') in soon_row
    assert ">breached 1 d ago</time>" in late_row and 'title="Mon 23 Nov 2026 10:00"' in late_row
    # Friday 10:00 to Tuesday 10:00 is four days of wall time but two working days.
    assert ">waiting 2 d</time>" in soon_row and 'title="Fri 20 Nov 2026 10:00"' in soon_row


def test_rows_show_the_customers_newest_words_the_queue_name_and_a_blank_subject(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        ticket = webseed.ticket(s, web_config, webseed.parsed("", "My first question about the filter caps."))
        newer = dataclasses.replace(webseed.parsed("Re:", "Any news?\n\nI still   need the caps.",
                                                   received=webseed.T0 + dt.timedelta(minutes=5)),
                                    text="Any news? I still need the caps.\n> My first question",
                                    quoted_text="> My first question")
        webseed.follow_up(s, web_config, ticket, newer)
        reference = ticket.reference
    row = _row(console.sign_in(staff.agent).get("/tickets").text, reference)
    assert '<span class="preview">Any news? I still need the caps.</span>' in row
    assert "first question" not in row
    assert "(no subject)" in row
    assert "Order tracking" in row and "order.tracking" not in row


def test_a_column_heading_sorts_the_list_and_its_link_is_kept_by_the_pager(
        console: Console, staff: Staff, writer: sessionmaker[Session], web_config: Config) -> None:
    with writer.begin() as s:
        made = [webseed.ticket(s, web_config, webseed.parsed(f"Question {i}", "text", sender=f"c{i}@example.com",
                                                             received=FRIDAY_10 + dt.timedelta(hours=i)))
                for i in range(3)]
        refs = [t.reference for t in made]
    page = console.sign_in(staff.agent).get("/tickets?queue=order.tracking").text
    assert 'aria-sort="none"><a class="sort sort-none" href="/tickets?queue=order.tracking&amp;sort=ticket"' in page
    newest_first = console.get("/tickets?queue=order.tracking&sort=-ticket").text
    assert [newest_first.index(f'data-href="/tickets/{r}"') for r in refs] == sorted(
        (newest_first.index(f'data-href="/tickets/{r}"') for r in refs), reverse=True)
    assert ('aria-sort="descending"><a class="sort sort-descending" '
            'href="/tickets?queue=order.tracking&amp;sort=ticket"') in newest_first
    assert console.get("/tickets?sort=subject").status_code == 400


@pytest.mark.parametrize("sort", ["-ticket", "waiting", "-waiting", "-due"])
def test_every_sort_pages_through_every_ticket_once_in_its_order(
        sort: str, writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config,
        staff: Staff) -> None:
    with writer.begin() as s:
        for i in range(9):
            ticket = webseed.ticket(s, web_config, webseed.parsed(f"Question {i}", "text", sender=f"c{i}@example.com"),
                                    queue=("order.tracking", "returns")[i % 2])
            ticket.last_customer_message_at = None if i % 4 == 0 else webseed.T0 - dt.timedelta(hours=i % 3)
            ticket.next_deadline = None if i % 3 == 0 else webseed.T0 + dt.timedelta(hours=i % 2)
    column = SORTS[sort].column
    with reader() as s:
        rows = [(getattr(t, column) if column else None, t.id) for t in s.query(Ticket)]
        valued = sorted((r for r in rows if r[0] is not None), reverse=SORTS[sort].descending)
        rest = sorted((r for r in rows if r[0] is None), reverse=SORTS[sort].descending)
        expected = [i for _, i in valued + rest]
        seen: list[int] = []
        after: Cursor | None = None
        while True:
            shown = ListFilter(("order.tracking", "returns"), now=webseed.T0)
            page = ticket_page(s, shown, after, size=2, sort=SORTS[sort])
            seen += [t.id for t in page.tickets]
            if page.next_cursor is None:
                break
            after = Cursor.decode(page.next_cursor.encode())
    assert seen == expected
