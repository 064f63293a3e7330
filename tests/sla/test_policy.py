"""Targets per queue from the config, and the promise an acknowledgement makes."""
from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sla.calendar import calendar_for
from sla.policy import Target, promise_text, refund_window, shortest_reply, target, ticket_target
from tickets.config import CalendarConfig, Config, MailboxConfig, QueueConfig, SlaConfig
from tickets.models import Ticket

CONFIG = Config()  # New York, 09:00-18:00 Monday to Friday, United States public holidays
NY = ZoneInfo("America/New_York")


def promise(config: Config, queue: str, received: dt.datetime) -> str:
    return promise_text(config, calendar_for(config), queue, received)


TUE = dt.datetime(2026, 11, 24, 10, tzinfo=NY)


@pytest.mark.parametrize("queue, received, text", [
    ("presales.general", TUE,  # Thursday 26 November is Thanksgiving
     "within 2 working days, by Friday 27 November, 10:00 New York time (EST)"),
    ("returns", TUE, "within 1 working day, by Wednesday 25 November, 10:00 New York time (EST)"),
    ("returns", dt.datetime(2026, 11, 24, 20, tzinfo=dt.UTC),  # 15:00 in New York
     "within 1 working day, by Wednesday 25 November, 15:00 New York time (EST)"),
    ("presales.general", dt.datetime(2026, 12, 30, 10, tzinfo=NY),  # New Year's Day is no working day
     "within 2 working days, by Monday 4 January 2027, 10:00 New York time (EST)"),
    ("auto", TUE, ""),
])
def test_promise_in_the_shops_words(queue: str, received: dt.datetime, text: str) -> None:
    # The acknowledgement promises the reply deadline in local time, naming the zone; the year only when it
    # changes; the default calendar skips the United States' public holidays without `holiday_country` set.
    assert promise(CONFIG, queue, received) == text


@pytest.mark.parametrize("language, text", [
    ("de", "innerhalb von 2 Werktagen, bis Freitag, 27. November, 10:00 Uhr (Ortszeit New York, EST)"),
    ("fr", "sous 2 jours ouvrés, d'ici le vendredi 27 novembre à 10:00 (heure de New York, EST)"),
    ("es", "en un plazo de 2 días laborables, antes del viernes 27 de noviembre a las 10:00 (hora de New York, EST)"),
    ("it", "within 2 working days, by Friday 27 November, 10:00 New York time (EST)"),
])
def test_promise_in_the_customers_language(language: str, text: str) -> None:
    # German, French and Spanish mail is promised its deadline in its own words; any other language in English.
    assert promise_text(CONFIG, calendar_for(CONFIG), "presales.general", TUE, language=language) == text


def test_a_calendar_in_berlin_keeps_german_holidays_and_none_keeps_none() -> None:
    # The holidays follow the time zone's country unless `holiday_country` names one, or "none".
    berlin = dataclasses.replace(CONFIG, calendar=CalendarConfig(timezone="Europe/Berlin"))
    christmas_eve = dt.datetime(2026, 12, 24, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    assert "Monday 28 December" in promise(berlin, "returns", christmas_eve)  # 25th and 26th are holidays
    plain = dataclasses.replace(CONFIG, calendar=CalendarConfig(holiday_country="none"))
    assert "Thursday 26 November" in promise(plain, "presales.general", TUE)


def test_promise_follows_the_configured_target() -> None:
    # A shop that promises pre-sales answers in half a day says so.
    queues = {**CONFIG.queues, "presales.general": dataclasses.replace(CONFIG.queues["presales.general"],
                                                                       reply_working_days=0.5)}
    config = dataclasses.replace(CONFIG, queues=queues)
    assert promise(config, "presales.general", TUE) == \
        "within 0.5 working days, by Tuesday 24 November, 14:30 New York time (EST)"


def test_targets_and_at_risk_share_come_from_the_config() -> None:
    # Each clock's target is the queue's setting; the warning mark is the configured share of it.
    config = dataclasses.replace(CONFIG, sla=SlaConfig(at_risk_share=0.5))
    assert target(config, "complaint.complex", "reply") == Target(5, 2.5)
    assert target(config, "complaint.complex", "triage") == Target(1, 0.5)
    assert target(config, "complaint.complex", "resolution") == Target(5, 2.5)
    assert target(config, "presales.general", "triage") is None
    assert target(config, "auto", "reply") is None


def test_refund_window_is_shop_wide_unless_a_queue_sets_its_own() -> None:
    # The 5-10 day refund promise applies to a return in any queue; a queue may override it; without any, none.
    assert refund_window(CONFIG, "returns") == (5, 10)
    assert target(CONFIG, "returns", "refund") == Target(10, 5)
    queues = {**CONFIG.queues, "returns": QueueConfig(refund_warn_working_days=3, refund_breach_working_days=7)}
    assert refund_window(dataclasses.replace(CONFIG, queues=queues), "returns") == (3, 7)
    no_refunds = {name: QueueConfig() for name in CONFIG.queues}
    assert target(dataclasses.replace(CONFIG, queues=no_refunds), "returns", "refund") is None


@pytest.mark.parametrize(("mailbox", "days", "text"), [
    ("support", 1, "within 1 working day, by Wednesday 25 November, 10:00 New York time (EST)"),
    ("press", 2, "within 2 working days, by Friday 27 November, 10:00 New York time (EST)"),
    ("wholesale", 2, "within 2 working days, by Friday 27 November, 10:00 New York time (EST)"),
])
def test_mail_the_router_was_unsure_of_is_promised_what_every_queue_of_its_mailbox_keeps(
        mailbox: str, days: float, text: str) -> None:
    # An unsure ticket may still move to any queue of its mailbox: it is promised the shortest reply target
    # among them (support@: returns, 1 working day), whatever queue it waits in.
    assert shortest_reply(CONFIG, mailbox) == Target(days, days * 0.75)
    assert promise_text(CONFIG, calendar_for(CONFIG), CONFIG.mailbox(mailbox).default_queue, TUE,
                        unsure_at=mailbox) == text


def test_a_mailbox_whose_default_queue_belongs_elsewhere_counts_that_queue_too() -> None:
    # sales@ sends to privacy (5 working days) and owns no queue itself: the promise is privacy's.
    config = dataclasses.replace(CONFIG, mailboxes={**CONFIG.mailboxes, "sales": MailboxConfig(
        address="sales@aeropressmall.com", default_queue="privacy")})
    assert shortest_reply(config, "sales") == Target(5, 3.75)


def test_the_first_reply_to_an_unsure_ticket_keeps_the_promise_then_the_queue_decides() -> None:
    # The reply clock of an unsure ticket in order.tracking runs to support@'s 1 working day until the first
    # reply; a sure ticket, other clocks, and later replies follow the queue.
    unsure = Ticket(queue="order.tracking", mailbox="support", unsure=True)
    assert ticket_target(CONFIG, unsure, "reply") == Target(1, 0.75)
    assert ticket_target(CONFIG, Ticket(queue="order.tracking", mailbox="support", unsure=False),
                         "reply") == Target(2, 1.5)
    unsure.first_reply_at = TUE
    assert ticket_target(CONFIG, unsure, "reply") == Target(2, 1.5)
    assert ticket_target(CONFIG, Ticket(queue="complaint.simple", mailbox="support", unsure=True),
                         "resolution") == Target(3, 2.25)
