"""`helpdesk demo`'s parts: the in-process IMAP server with the seeded mailboxes, and the sent-mail page."""
from __future__ import annotations

import datetime as dt
import re
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from imapclient import IMAPClient
from sqlalchemy import func, select
from webclient import Console
from webseed import Staff

from cli import demo, demo_history
from services import Services
from tickets.clock import FrozenClock
from tickets.config import Config
from tickets.models import Message, SlaClock, Ticket
from web import demo_mail


def test_demo_imap_serves_the_three_mailboxes_with_customer_mail() -> None:
    # The demo's pymap server holds press, support and wholesale folders seeded with mail of every queue.
    folders = demo.seed_mail()
    assert set(folders) == {"press", "support", "wholesale"} and sum(map(len, folders.values())) >= 30
    imap = demo.DemoImap(demo.free_port())
    imap.start()
    try:
        imap.seed(folders)
        with IMAPClient("127.0.0.1", imap.port, ssl=False) as client:
            client.login(demo.DEMO_USER, demo.DEMO_PASSWORD)
            for name, mails in folders.items():
                assert client.select_folder(name, readonly=True)[b"EXISTS"] == len(mails)
    finally:
        imap.stop()


def test_sent_mail_page_shows_what_the_sink_caught_to_admins_only(app: Flask, console: Console, staff: Staff,
                                                                  tmp_path: Path) -> None:
    # Mail the demo sends lands in the SMTP sink and is listed for admins; agents are refused.
    folder = tmp_path / "sent"
    demo_mail.register(app, folder)
    sink = demo.start_sink(folder, demo.free_port())
    try:
        mail = EmailMessage()
        mail["From"], mail["To"] = "support@aeropressmall.com", "emily@example.com"
        mail["Subject"] = "Re: Parcel [#HD-7]"
        mail.set_content("We are on it.")
        with smtplib.SMTP("127.0.0.1", sink.port) as client:
            client.send_message(mail)
    finally:
        sink.stop()
    page = console.sign_in(staff.admin).get("/admin/demo-mail/")
    assert page.status_code == 200 and "Re: Parcel" in page.text and "emily@example.com" in page.text
    [link] = re.findall(r'href="(/admin/demo-mail/[^"]+)"', page.text)
    assert "We are on it." in console.get(link).text
    assert 'href="/admin/demo-mail/">Demo: sent mail</a>' in console.get("/admin/").text
    assert console.sign_in(staff.agent).get("/admin/demo-mail/").status_code == 403


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_demo_history_replays_weeks_of_mail_answers_and_deadlines_through_the_product(
        web_config: Config, frozen_clock: FrozenClock, tmp_path: Path) -> None:
    # A first start replays the weeks before now: mail arriving in working hours through the pipeline, customers
    # who write again, agents' replies delivered to the sink, solved and closed tickets, unanswered ones at risk or
    # breached, automatic mail closed at once; a second start replays nothing.
    sink = demo.start_sink(tmp_path / "sent", demo.free_port())
    services = Services.build(demo.demo_config(web_config, 1, sink.port, 8080), frozen_clock)
    try:
        assert demo_history.needed(services)
        demo_history.replay_history(services, days=12)
        with services.readonly() as s:
            tickets = list(s.scalars(select(Ticket)))
            first = min(t.created_at for t in tickets)
            hours = {t.created_at.astimezone(services.calendar.tz).hour for t in tickets}
            repeat = s.scalar(select(func.count()).select_from(
                select(Ticket.customer_id).group_by(Ticket.customer_id).having(func.count() > 1).subquery()))
            running = set(s.scalars(select(SlaClock.state).where(SlaClock.running.is_(True))))
            replies = s.scalar(select(func.count()).select_from(Message).where(Message.author_id.is_not(None)))
            statuses = {t.status for t in tickets}
        assert frozen_clock.now() - first > dt.timedelta(days=10) and len(hours) > 4
        assert repeat >= 1 and replies >= 10 and {"solved", "closed", "new"} <= statuses
        assert running & {"at_risk", "breached"}
        assert all(t.status == "closed" for t in tickets if t.auto) and any(t.auto for t in tickets)
        assert len(list((tmp_path / "sent" / "new").iterdir())) >= replies
        assert not demo_history.needed(services)
    finally:
        services.close()
        sink.stop()
