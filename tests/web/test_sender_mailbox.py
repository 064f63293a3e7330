"""Replies and acknowledgements leave from the queue's mailbox, with the shop's name on From
(Customer Service Policy section 1: after-sales from support@, bulk from wholesale@, pre-sales from
press@), whichever mailbox the customer wrote to; the thread still threads."""
from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

from mailcli import ingest, write_config
from mailfactory import make_mail
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Staff

from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Outbox, Ticket

WHOLESALE = make_mail(sender="Cafe Uno <orders@cafeuno.example>", to="press@aeropressmall.com",
                      subject="Wholesale pricing for 200 AeroPress units",
                      body="Hello,\n\nwe run twelve cafes and want to buy 200 AeroPress Original units at wholesale "
                           "prices for resale. Please send your bulk price list and minimum order quantity.\n\nMarco\n")
RETURN = make_mail(sender="Emily Carter <emily@example.com>", to="press@aeropressmall.com",
                   message_id="<return-1@example.com>", subject="Return request for order AP-654321",
                   body="Hi,\n\nI would like to return my AeroPress Go from order AP-654321, it arrived cracked. "
                        "Please send me a return authorization.\n\nEmily\n")


def _mails(reader: sessionmaker[Session], reference: str, kind: str) -> list[email.message.EmailMessage]:
    with reader() as s:
        return [email.message_from_bytes(raw, policy=default) for raw in s.scalars(
            select(Outbox.raw).join(Ticket, Ticket.id == Outbox.ticket_id)
            .where(Ticket.reference == reference, Outbox.kind == kind).order_by(Outbox.id))]


def _queue(reader: sessionmaker[Session], reference: str) -> str:
    with reader() as s:
        return s.scalar(select(Ticket.queue).where(Ticket.reference == reference))


def test_mail_to_press_is_answered_from_the_queues_mailbox_and_threads(
        console: Console, reader: sessionmaker[Session], web_config: Config, staff: Staff, tmp_path: Path,
        frozen_clock: FrozenClock) -> None:
    # A wholesale enquiry and a return, both sent to press@: acknowledged from wholesale@ (with the queue's own
    # name) and support@; the agent's reply to the return leaves from support@, and the customer's answer to it,
    # arriving at support@, joins the same ticket.
    config_path = write_config(tmp_path, web_config, '[queues.wholesale]\nfrom_name = "AeroPress Mall Wholesale"\n')
    bulk = ingest(config_path, frozen_clock, WHOLESALE, mailbox="press")["ticket"]
    back = ingest(config_path, frozen_clock, RETURN, mailbox="press")["ticket"]
    assert (_queue(reader, bulk), _queue(reader, back)) == ("wholesale", "returns")
    assert _mails(reader, bulk, "ack")[0]["From"] == "AeroPress Mall Wholesale <wholesale@aeropressmall.com>"
    [ack] = _mails(reader, back, "ack")
    assert ack["From"] == "AeroPress Mall <support@aeropressmall.com>"
    assert "support@aeropressmall.com" in ack.get_body(("plain",)).get_content()

    console.sign_in(staff.agent)
    page = console.get(f"/tickets/{back}").text
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    assert console.post(f"/tickets/{back}/reply", {"text": "Please send it back.", "seen": seen}).status_code == 302
    [reply] = _mails(reader, back, "reply")
    assert reply["From"] == "AeroPress Mall <support@aeropressmall.com>"
    assert reply["In-Reply-To"] == "<return-1@example.com>"

    answer = make_mail(to="support@aeropressmall.com", subject=f"Re: Return request [#{back}]",
                       body="Thanks, shipped today.\n", in_reply_to=reply["Message-ID"],
                       references=f"<return-1@example.com> {reply['Message-ID']}")
    assert ingest(config_path, frozen_clock, answer)["ticket"] == back
