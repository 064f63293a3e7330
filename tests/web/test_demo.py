"""`helpdesk demo`'s parts: the in-process IMAP server with the seeded mailboxes, and the sent-mail page."""
from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import Flask
from imapclient import IMAPClient
from webclient import Console
from webseed import Staff

from cli import demo
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
