"""Agents' re-routes are recorded and teach the router at the next retrain."""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from routekit import NOW, with_routing
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routing import model
from routing.classify import Router
from routing.corpus import Parse, labelled
from services import Services
from tickets import operations
from tickets.config import Config
from tickets.decision import Decision
from tickets.errors import ConfigError
from tickets.intake import Intake
from tickets.mail import ParsedMessage
from tickets.models import RouteCorrection, Ticket

# An invented scheme, in no shipped mail and no rule: only agents' re-routes can teach it.
PROBE = ("Zorblex quantifier", "Could you sort out the zorblex quantifier for me, please?")
TAUGHT = [
    ("zorblex quantifier", "Please activate the zorblex quantifier on my account."),
    ("Question", "Is the zorblex quantifier open this month? I'd like to join."),
    ("Zorblex", "Attached is my zorblex quantifier form, can you process it?"),
    ("quantifier", "Hi, what are the steps for the zorblex quantifier?"),
]


def _ticket(session: Session, services: Services, parsed: ParsedMessage, queue: str, unsure: bool = False) -> Ticket:
    intake = Intake.start(session)
    ticket = operations.open_ticket(intake, services.config, parsed, "support", Decision(queue, unsure=unsure), NOW)
    operations.add_inbound(intake, services.config, services.store, ticket, parsed, "support", "", NOW)
    session.flush()
    return ticket


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a full retrain; corrections are read on both below
def test_reroutes_teach_the_router_a_phrase_it_never_saw(session: Session, config: Config, services: Services,
                                                         tmp_path: Path, shipped_model_file: Path, parse: Parse,
                                                         mail: Callable[..., ParsedMessage]) -> None:
    # Before: the invented phrase is routed elsewhere. Agents re-route four such tickets to wholesale,
    # the retrain picks the corrections up, and the next such mail goes to wholesale.
    path = tmp_path / "router.joblib"
    shutil.copyfile(shipped_model_file, path)
    config = with_routing(config, model_path=path)
    probe = mail(PROBE[1], subject=PROBE[0])
    before = Router.load(config, None, NOW).decide(probe, "support")
    assert before.queue != "wholesale"
    for subject, body in TAUGHT:
        parsed = mail(body, subject=subject)
        ticket = _ticket(session, services, parsed, before.queue)
        operations.reroute(session, config, ticket, "wholesale", None, NOW)
    session.flush()
    assert session.scalar(select(func.count()).select_from(RouteCorrection)) == len(TAUGHT)

    summary = model.retrain(session, config, parse, NOW)

    shipped = sum(1 for entry in labelled("train") if entry.queue != "auto")
    assert summary["corrections"] == len(TAUGHT) and summary["examples"] == shipped + len(TAUGHT)
    assert summary["path"] == str(path) and summary["version"].startswith(f"{model.FORMAT_VERSION}.")
    after = Router.load(config, None, NOW).decide(probe, "support")
    assert after.queue == "wholesale"
    assert after.reasons[0].startswith("model: wholesale") and "zorblex" in after.reasons[1]


def test_a_model_path_that_cannot_be_written_is_a_config_error(session: Session, config: Config, tmp_path: Path,
                                                                parse: Parse) -> None:
    # A model_path inside a plain file cannot be written: one line naming the setting, and no model file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"routing.model_path: cannot write the model file .*not-a-folder"):
        model.retrain(session, with_routing(config, model_path=blocker / "router.joblib"), parse, NOW)


def test_the_last_reroute_of_a_ticket_is_its_label(session: Session, config: Config, services: Services) -> None:
    # A ticket moved twice teaches only where it ended; re-routes to auto or to unknown queues teach nothing.
    def correct(ticket_id: int | None, to_queue: str, text: str) -> None:
        session.add(RouteCorrection(ticket_id=ticket_id, mailbox="support", from_queue="order.tracking",
                                    to_queue=to_queue, subject="s", text=text, created_at=NOW))
        session.flush()

    first = _ticket(session, services, _plain("first"), "order.tracking")
    correct(first.id, "refunds", "moved twice")
    correct(first.id, "returns", "moved twice")
    correct(None, "privacy", "no ticket")
    correct(None, "auto", "looked like spam")
    correct(None, "no.such.queue", "queue since removed")
    learned = [(e.queue, e.text) for e in model.correction_examples(session, config)]
    assert learned == [("returns", "moved twice"), ("privacy", "no ticket")]


def test_placing_an_unsure_ticket_teaches_the_router_even_in_the_queue_it_waited_in(session: Session,
                                                                                  services: Services) -> None:
    # An agent who confirms the default queue of a ticket the router was unsure of, or re-routes it to that
    # same queue, gives it a label; confirming a ticket the router was sure of teaches nothing new.
    confirmed = _ticket(session, services, _plain("any news on my parcel"), "order.tracking", unsure=True)
    kept = _ticket(session, services, _plain("is it coming"), "order.tracking", unsure=True)
    sure = _ticket(session, services, _plain("where is my order"), "order.tracking")
    moved = _ticket(session, services, _plain("any news on my money"), "order.tracking", unsure=True)
    operations.confirm_queue(session, confirmed, None, NOW)
    config = services.config
    operations.reroute(session, config, kept, "order.tracking", None, NOW)
    operations.confirm_queue(session, sure, None, NOW)
    operations.reroute(session, config, moved, "refunds", None, NOW)
    session.flush()
    learned = [(e.queue, e.text) for e in model.correction_examples(session, config)]
    assert learned == [("order.tracking", "any news on my parcel"), ("order.tracking", "is it coming"),
                       ("refunds", "any news on my money")]
    assert all(t.queue_confirmed and t.unsure for t in (confirmed, kept, moved))


def _plain(text: str) -> ParsedMessage:
    return ParsedMessage(message_id=f"<{text}@example.com>", subject=text, sender=None, to=(), cc=(), reply_to=(),
                         date=None, received=NOW, in_reply_to=(), references=(), text=text, new_text=text,
                         quoted_text="", signature="", html="", attachments=(), headers=(), auto=False,
                         auto_reason="")
