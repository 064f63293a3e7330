"""Full-text search (SQLite FTS5 / PostgreSQL tsvector): what it finds, and that the index follows every change."""
from __future__ import annotations

import datetime as dt

import pytest
import webseed
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Customer, Message, Ticket
from tickets.search import fts5_query, search_tickets


def refs(reader: sessionmaker[Session], text: str, queues: list[str] | None = None) -> list[str]:
    with reader() as s:
        return [t.reference or "" for t in search_tickets(s, text, queues).tickets]


def test_search_finds_subject_body_order_number_customer_and_notes(
        writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config, desk: Desk,
        staff: Staff, frozen_clock: FrozenClock) -> None:
    # Every field an agent would search by finds the ticket; every word must match.
    with writer.begin() as s:
        operations.add_note(s, s.get(Ticket, desk.returns.id), staff.agent, "Warehouse says the box was crushed",
                            frozen_clock.now())
    tracking, returns = desk.tracking.reference, desk.returns.reference
    assert refs(reader, "where order") == [tracking]
    assert refs(reader, "parcel week") == [tracking]
    assert refs(reader, "AP-123456") == [tracking] and refs(reader, "ap-654321") == [returns]
    assert refs(reader, "emily@example.com") == [returns, tracking]  # newest first
    assert refs(reader, "crushed") == [returns]
    assert refs(reader, "parcel crushed") == []
    assert refs(reader, "Zürich") == []


def test_search_pages_by_keyset_and_respects_queues(writer: sessionmaker[Session], reader: sessionmaker[Session],
                                                    web_config: Config, staff: Staff) -> None:
    # Pages follow each other without gaps or repeats; an agent's search keeps to their queues.
    with writer.begin() as s:
        made = [webseed.ticket(s, web_config, webseed.parsed(f"Grinder question {i}", "burr grinder settings",
                                                              sender=f"c{i}@example.com"),
                               queue="presales.general" if i % 2 else "wholesale").reference for i in range(7)]
    seen, before = [], None
    with reader() as s:
        while True:
            page = search_tickets(s, "grinder", None, before=before, limit=3)
            seen += [t.reference for t in page.tickets]
            if page.next_before is None:
                break
            before = page.next_before
    assert seen == list(reversed(made))
    assert refs(reader, "grinder", ["wholesale"]) == [r for i, r in reversed(list(enumerate(made))) if i % 2 == 0]


def test_index_follows_merges_renames_and_erased_bodies(writer: sessionmaker[Session], reader: sessionmaker[Session],
                                                        web_config: Config, desk: Desk, staff: Staff,
                                                        frozen_clock: FrozenClock) -> None:
    # Moved messages are found on their new ticket; a changed address and a blanked body leave the index.
    with writer.begin() as s:
        operations.merge(s, s.get(Ticket, desk.returns.id), s.get(Ticket, desk.tracking.id), staff.agent,
                         frozen_clock.now())
    assert refs(reader, "AeroPress Go") == [desk.tracking.reference]
    assert desk.tracking.reference in refs(reader, "ap-654321")  # the order numbers it took over
    with writer.begin() as s:
        s.execute(update(Customer).values(email="erased-1@invalid", name=""))
        s.execute(update(Message).where(Message.ticket_id == desk.tracking.id).values(text="", new_text=""))
    assert refs(reader, "emily") == [] and refs(reader, "parcel") == []
    assert refs(reader, "erased") == [desk.returns.reference, desk.tracking.reference]


def test_new_messages_join_their_ticket_in_the_index_and_leave_it_with_it(
        writer: sessionmaker[Session], reader: sessionmaker[Session], web_config: Config, desk: Desk,
        staff: Staff, frozen_clock: FrozenClock) -> None:
    # Notes added one by one and two in one transaction are all found with the ticket's first words;
    # blanking the thread then drops every one of them from the index, and a status change keeps them.
    ticket_id = desk.returns.id
    with writer.begin() as s:
        operations.add_note(s, s.get(Ticket, ticket_id), staff.agent, "courier lost it", frozen_clock.now())
    with writer.begin() as s:
        ticket = s.get(Ticket, ticket_id)
        operations.add_note(s, ticket, staff.agent, "warehouse found it", frozen_clock.now())
        operations.add_note(s, ticket, staff.agent, "sent again with tracking", frozen_clock.now())
    with writer.begin() as s:
        operations.set_status(s, s.get(Ticket, ticket_id), "pending", frozen_clock.now(), staff.agent)
    assert refs(reader, "courier warehouse tracking AeroPress Go") == [desk.returns.reference]
    with writer.begin() as s:
        s.execute(update(Message).where(Message.ticket_id == ticket_id).values(text="", new_text=""))
    assert refs(reader, "courier") == refs(reader, "warehouse") == refs(reader, "AeroPress Go") == []
    assert refs(reader, "ap-654321") == [desk.returns.reference]


@pytest.mark.parametrize("query", ['"', "NEAR(a b)", "a OR", "(x", "*", "col:x", "AND", "-", "'; DROP TABLE x; --"])
def test_any_user_input_is_a_query_not_an_error(query: str, reader: sessionmaker[Session], desk: Desk) -> None:
    # Query syntax characters are searched as words (or ignored), never an error.
    assert refs(reader, query) == []


def test_words_become_quoted_fts5_phrases() -> None:
    # The user's words never reach FTS5 as syntax; a trailing * keeps prefix search.
    assert fts5_query('grind* "x" NEAR ?!') == '"grind"* """x""" "NEAR"'


def test_search_page_lists_results_and_jumps_to_an_exact_reference(console: Console, writer: sessionmaker[Session],
                                                                   web_config: Config, desk: Desk,
                                                                   staff: Staff) -> None:
    # The console search shows matching tickets; typing a reference opens it; other queues stay hidden.
    with writer.begin() as s:
        webseed.ticket(s, web_config, webseed.parsed("Parcel for our cafe", "parcel of 50 units",
                                                      received=webseed.T0 + dt.timedelta(hours=1)), queue="wholesale")
    console.sign_in(staff.agent)
    page = console.get("/search", query_string={"q": "parcel"}).text
    assert desk.tracking.reference in page and "Parcel for our cafe" not in page
    assert console.get("/search", query_string={"q": desk.tracking.reference.lower()}).location == \
        f"/tickets/{desk.tracking.reference}"
    assert "Parcel for our cafe" in console.sign_in(staff.manager).get("/search?q=parcel").text
