"""Suggested answers on the ticket page: similar solved tickets of the same queue and the reply that
solved each, from the index `helpdesk suggestions rebuild` (and the scheduler) fits."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import webseed
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console, sign_in_page
from webseed import Staff

from cli.main import main
from services import Services, check_config
from services.scheduler import SUGGESTIONS_JOB, make_scheduler
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.errors import ConfigError
from tickets.models import Ticket

CUSTOMS_REPLY = ("Hi Olivia,\n\nparcels held by customs are released once the duty is paid; for order AP-111111 "
                 "the carrier's customs desk is at +1 800 555 0100.\n\nBest, Sam")
HISTORY = [  # (queue, customer, name, subject, body, order, reply)
    ("order.tracking", "olivia@example.com", "Olivia Brown", "Parcel stuck in customs",
     "My AeroPress parcel has been stuck in customs for ten days and the tracking is not updating.",
     "AP-111111", CUSTOMS_REPLY),
    ("order.tracking", "noah@example.com", "Noah Green", "Wrong delivery address",
     "I typed the wrong street in my delivery address, can you change it before shipping?", "",
     "Hi Noah,\n\nwe changed the delivery address before the parcel left.\n\nBest, Sam"),
    ("order.tracking", "liam@example.com", "Liam White", "Tracking number missing",
     "The confirmation mail has no tracking number for my order.", "",
     "Hi Liam,\n\nyour tracking number is in the shipping mail we sent today.\n\nBest, Sam"),
    ("returns", "ava@example.com", "Ava Black", "Parcel stuck in customs, want to return",
     "My parcel is stuck in customs for ten days, I want to return it instead.", "",
     "Hi Ava,\n\nRETURNS-QUEUE-ANSWER: refuse the parcel at customs and it comes back to us.\n\nBest, Sam"),
]


@pytest.fixture
def helpdesk(tmp_path: Path, web_config: Config, frozen_clock: FrozenClock,
             capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """`helpdesk --config <the console's database and storage> ARGS...` on the frozen clock."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{web_config.database.url}"\n[storage]\npath = "{web_config.storage.path}"\n'
                    f'[routing]\nmodel_path = "{web_config.routing.model_path}"\n')

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["--config", str(path), *args], clock=frozen_clock)
        return code, capsys.readouterr().out
    return run


def solved_history(console: Console, writer: sessionmaker[Session], config: Config, staff: Staff) -> dict[str, str]:
    """Tickets customers wrote and Sam (tracking and returns) answered and solved, through the console."""
    references: dict[str, str] = {}
    console.sign_in(staff.agent)
    for queue, sender, name, subject, body, order, answer in HISTORY:
        with writer.begin() as s:
            ticket = webseed.ticket(s, config, webseed.parsed(subject, body, sender=sender, name=name,
                                                              received=webseed.T0 - dt.timedelta(days=20)),
                                    queue=queue, order_numbers=[order] if order else [])
            reference = ticket.reference or ""
        page = console.get(f"/tickets/{reference}").text
        seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
        assert console.post(f"/tickets/{reference}/reply", {"text": answer, "seen": seen, "then": "solved"}
                            ).status_code == 302
        references[subject] = reference
    return references


def new_customs_question(writer: sessionmaker[Session], config: Config) -> Ticket:
    with writer.begin() as s:
        return webseed.ticket(s, config, webseed.parsed(
            "My parcel is stuck at customs", "Hello, my order has been stuck at customs for a week, tracking says "
            "nothing. What do I do?", sender="emily@example.com", name="Emily Carter"), order_numbers=["AP-123456"])


def suggestions_of(page: str) -> str:
    return page.split('id="suggestions-title"')[1].split("</section>")[0]


def test_ticket_page_suggests_the_most_similar_solved_ticket_of_its_queue_with_its_reply(
        console: Console, writer: sessionmaker[Session], web_config: Config, staff: Staff,
        helpdesk: Callable[..., tuple[int, str]]) -> None:
    # The customs question gets the customs ticket first, with the reply that solved it, addressed to this
    # customer and order; the returns queue's similar ticket is not offered in order tracking.
    references = solved_history(console, writer, web_config, staff)
    ticket = new_customs_question(writer, web_config)
    assert "No similar solved ticket" in suggestions_of(console.get(f"/tickets/{ticket.reference}").text)
    code, out = helpdesk("suggestions", "rebuild")
    assert code == 0 and json.loads(out) == {"queues": 2, "tickets": 4}
    shown = suggestions_of(console.get(f"/tickets/{ticket.reference}").text)
    found = re.findall(r'class="ref" href="/tickets/([^"]+)"', shown)
    assert found[0] == references["Parcel stuck in customs"]
    assert set(found) <= {references[s] for s in ("Parcel stuck in customs", "Wrong delivery address",
                                                  "Tracking number missing")}
    assert "Hi Emily,\n\nparcels held by customs are released" in shown
    assert "for order AP-123456 the carrier" in shown
    assert "Olivia" not in shown and "AP-111111" not in shown and "RETURNS-QUEUE-ANSWER" not in shown


def test_anonymised_and_reopened_tickets_are_no_longer_suggested(
        console: Console, writer: sessionmaker[Session], web_config: Config, staff: Staff,
        frozen_clock: FrozenClock, helpdesk: Callable[..., tuple[int, str]]) -> None:
    # A solved ticket reopened since the index was built drops out at once; one anonymised by retention
    # contributes nothing, before and after the next rebuild.
    references = solved_history(console, writer, web_config, staff)
    customs, address = references["Parcel stuck in customs"], references["Wrong delivery address"]
    assert helpdesk("suggestions", "rebuild")[0] == 0
    console.sign_in(staff.agent)
    assert console.post(f"/tickets/{address}/status", {"status": "open"}).status_code == 302
    assert console.post(f"/tickets/{customs}/status", {"status": "closed"}).status_code == 302
    # A month on, a note keeps the tracking ticket in use; a month later retention takes the closed one
    # (and the reopened one, untouched since), not the ticket in use.
    frozen_clock.advance(dt.timedelta(days=30))
    tracking = references["Tracking number missing"]
    assert console.sign_in(staff.agent).post(f"/tickets/{tracking}/note", {"text": "Same answer as HD-1."}
                                             ).status_code == 302
    frozen_clock.advance(dt.timedelta(days=web_config.privacy.retention_days - 29))
    assert helpdesk("retention", "run")[0] == 0
    ticket = new_customs_question(writer, web_config)
    console.sign_in(staff.agent)  # two months on: the agent signs in again
    for _ in range(2):
        shown = suggestions_of(console.get(f"/tickets/{ticket.reference}").text)
        assert customs not in shown and address not in shown and "customs are released" not in shown
        assert references["Tracking number missing"] in shown
        assert helpdesk("suggestions", "rebuild")[0] == 0


def test_suggestions_need_the_queue_and_a_built_index(console: Console, writer: sessionmaker[Session],
                                                      web_config: Config, staff: Staff,
                                                      helpdesk: Callable[..., tuple[int, str]]) -> None:
    # An agent of another queue cannot open the ticket, so sees none of its queue's answers.
    solved_history(console, writer, web_config, staff)
    ticket = new_customs_question(writer, web_config)
    assert helpdesk("suggestions", "rebuild")[0] == 0
    console.sign_in(staff.outsider)
    refused = console.get(f"/tickets/{ticket.reference}")
    assert refused.status_code == 403 and "customs are released" not in refused.text


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_insert_puts_the_suggested_reply_into_the_reply_box_at_the_cursor(
        page: Any, console: Console, writer: sessionmaker[Session], web_config: Config, staff: Staff,
        helpdesk: Callable[..., tuple[int, str]]) -> None:
    # One click on "Insert reply" adds the solving reply where the cursor is, keeping what was typed.
    expect = pytest.importorskip("playwright.sync_api").expect
    references = solved_history(console, writer, web_config, staff)
    ticket = new_customs_question(writer, web_config)
    assert helpdesk("suggestions", "rebuild")[0] == 0
    sign_in_page(page, staff.agent)
    page.goto(f"/tickets/{ticket.reference}")
    first = page.locator("article.suggestion").first
    expect(first.get_by_role("link", name=references["Parcel stuck in customs"])).to_be_visible()
    reply = page.get_by_label("Reply", exact=True)
    reply.fill("Thanks for writing.\n\nRegards")
    reply.evaluate("box => box.setSelectionRange(21, 21)")
    first.get_by_role("button", name="Insert reply").click()
    personal = CUSTOMS_REPLY.replace("Olivia", "Emily").replace("AP-111111", "AP-123456")
    assert reply.input_value() == f"Thanks for writing.\n\n{personal}Regards"


def test_the_scheduler_rebuilds_the_index_every_configured_interval(
        console: Console, writer: sessionmaker[Session], web_config: Config, staff: Staff, services: Services) -> None:
    # The suggestions-index job runs at start and every [routing] suggestions_rebuild_minutes; a run makes
    # the solved tickets suggestible.
    references = solved_history(console, writer, web_config, staff)
    ticket = new_customs_question(writer, web_config)
    job = make_scheduler(services).get_job(SUGGESTIONS_JOB)
    assert job.trigger.interval == dt.timedelta(minutes=web_config.routing.suggestions_rebuild_minutes)
    job.func()
    assert references["Parcel stuck in customs"] in suggestions_of(console.get(f"/tickets/{ticket.reference}").text)


def test_a_rebuild_interval_of_zero_is_refused_naming_the_key(web_config: Config) -> None:
    # A zero interval would make the scheduler spin: the config check refuses it before anything runs.
    bad = dataclasses.replace(web_config, routing=dataclasses.replace(web_config.routing,
                                                                      suggestions_rebuild_minutes=0.0))
    with pytest.raises(ConfigError, match="routing.suggestions_rebuild_minutes"):
        check_config(bad)
