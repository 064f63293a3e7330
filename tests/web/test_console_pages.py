"""What agents see: the queue overview, the ticket page, mail HTML in its sandbox, attachments, canned replies."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import webseed
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from webclient import Console
from webseed import Desk, Staff

from tickets import operations
from tickets.clock import FrozenClock
from tickets.config import Config, ShopConfig
from tickets.mail import Attachment
from tickets.models import AttachmentFile, AuditEvent, Message, Outbox, Ticket


def test_overview_counts_open_tickets_by_status_and_sla_state_in_my_queues(
        console: Console, writer: sessionmaker[Session], web_config: Config, desk: Desk, staff: Staff) -> None:
    # Each of the agent's queues shows its open tickets by status and by worst running clock; other queues are absent.
    with writer.begin() as s:
        tracking = s.get(Ticket, desk.tracking.id)
        days_ago = webseed.T0 - dt.timedelta(days=3)
        webseed.clock(s, tracking, "reply", "breached", days_ago, webseed.T0 - dt.timedelta(hours=1))
        webseed.clock(s, tracking, "resolution", "at_risk", days_ago, webseed.T0 + dt.timedelta(hours=1))
        other = webseed.ticket(s, web_config, webseed.parsed("Parcel?", "Where is it?", sender="li@example.com"))
        webseed.clock(s, other, "reply", "ok", webseed.T0, webseed.T0 + dt.timedelta(days=2))
        # its warning is due now, its deadline in three hours: at risk, though the last sla-check stored "ok"
        late = webseed.ticket(s, web_config, webseed.parsed("Still?", "Any news?", sender="kim@example.com"))
        webseed.clock(s, late, "reply", "ok", webseed.T0 - dt.timedelta(hours=9), webseed.T0 + dt.timedelta(hours=3))
        webseed.ticket(s, web_config, webseed.parsed("Bulk order", "50 units", sender="cafe@example.com"),
                       queue="wholesale")
    page = console.sign_in(staff.agent).get("/").text
    row = re.search(r"Order tracking.*?</tr>", page, re.S).group(0)
    numbers = re.findall(r">(\d+)<", row)
    assert numbers == ["3", "3", "0", "0", "1", "1", "1"]  # active, new/open/pending, SLA ok/at risk/breached
    assert "Returns" in page and "Wholesale" not in page


def test_ticket_page_shows_the_whole_thread_and_its_context(
        console: Console, writer: sessionmaker[Session], web_config: Config, desk: Desk, staff: Staff,
        frozen_clock: FrozenClock) -> None:
    # Inbound mail, our reply with its delivery state, internal notes, orders, routing reasons, clocks, other tickets.
    with writer.begin() as s:
        tracking = s.get(Ticket, desk.tracking.id)
        operations.reply(s, web_config, tracking, staff.agent, "We are checking with the carrier.", frozen_clock.now())
        operations.add_note(s, tracking, staff.agent, "Carrier ticket opened, see HD-2 as well.", frozen_clock.now())
        webseed.clock(s, tracking, "reply", "ok", dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC),
                      dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC))
        webseed.ticket(s, web_config, webseed.parsed("Bulk order", "50 units"), queue="wholesale")
    page = console.sign_in(staff.agent).get(f"/tickets/{desk.tracking.reference}").text
    assert "Customer</span>" in page and "Reply</span>" in page and "Internal note</span>" in page
    assert "We are checking with the carrier." in page and "delivery-queued" in page
    assert '<a href="/tickets/HD-2">HD-2</a>' in page  # references in thread text are links
    assert "AP-123456" in page and "Order number AP-123456" in page
    assert re.search(r"<strong>Reply</strong>.*?due Tue 01 Dec 2026 12:00.*?left", page, re.S)
    others = re.search(r"Customer's other tickets.*?</ul>", page, re.S).group(0)
    assert desk.returns.reference in others and "Bulk order" not in others  # wholesale is not the agent's queue


def test_time_left_is_counted_in_business_hours(console: Console, writer: sessionmaker[Session], desk: Desk,
                                                staff: Staff, frozen_clock: FrozenClock) -> None:
    # Friday 17:00 to Monday 10:00 New York time is two working hours, not a weekend's worth.
    frozen_clock.set(dt.datetime(2026, 11, 27, 22, 0, tzinfo=dt.UTC))  # Friday 17:00 in New York
    with writer.begin() as s:
        webseed.clock(s, s.get(Ticket, desk.tracking.id), "reply", "at_risk", webseed.T0,
                      dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC))  # Monday 10:00
    page = console.sign_in(staff.agent).get(f"/tickets/{desk.tracking.reference}").text
    assert "2 h left" in page


def test_mail_html_is_served_alone_in_a_sandbox_without_script_or_remote_images(
        console: Console, writer: sessionmaker[Session], web_config: Config, staff: Staff) -> None:
    # The frame's own policy forbids script and remote images; asking for images allows them for that message only.
    html = ('<p onclick="steal()">Hello</p><script>alert(1)</script><img src="https://pixel.example/t.gif">'
            '<a href="javascript:alert(1)">x</a>')
    with writer.begin() as s:
        ticket = webseed.ticket(s, web_config, webseed.parsed("Hi", "Hello", html=html))
        message_id = s.scalar(select(Message.id).where(Message.ticket_id == ticket.id))
    console.sign_in(staff.agent)
    frame = console.get(f"/tickets/{ticket.reference}/messages/{message_id}/html")
    policy = frame.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert "img-src data:;" in policy and frame.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "<script" not in frame.text and "onclick" not in frame.text and "javascript:" not in frame.text
    page = console.get(f"/tickets/{ticket.reference}").text
    assert "Remote images in this message are blocked." in page and 'sandbox="allow-popups' in page
    allowed = console.get(f"/tickets/{ticket.reference}/messages/{message_id}/html?images=1")
    assert "img-src data: https: http:" in allowed.headers["Content-Security-Policy"]
    assert allowed.headers["Referrer-Policy"] == "no-referrer"


def test_attachments_download_with_a_safe_type_and_only_from_their_ticket(
        console: Console, writer: sessionmaker[Session], web_config: Config, desk: Desk, staff: Staff) -> None:
    # A PDF downloads as a PDF attachment; an HTML file as opaque bytes; another ticket's attachment is not found.
    with writer.begin() as s:
        hostile = webseed.ticket(s, web_config, webseed.parsed("File", "see file", attachments=[
            Attachment("../../evil\r\n.html", "text/html", b"<script>alert(1)</script>")]), queue="returns")
        pdf = s.scalar(select(AttachmentFile.id).join(Message).where(Message.ticket_id == desk.tracking.id))
        evil = s.scalar(select(AttachmentFile.id).join(Message).where(Message.ticket_id == hostile.id))
    console.sign_in(staff.agent)
    response = console.get(f"/tickets/{desk.tracking.reference}/attachments/{pdf}")
    assert response.data == b"%PDF-1.4 receipt" and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=receipt.pdf"
    response = console.get(f"/tickets/{hostile.reference}/attachments/{evil}")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;") and "/" not in \
        response.headers["Content-Disposition"].split("filename=")[1]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert console.get(f"/tickets/{desk.tracking.reference}/attachments/{evil}").status_code == 404


def test_canned_return_authorization_fills_number_address_and_repackaging_notes(
        console: Console, desk: Desk, staff: Staff) -> None:
    # Choosing the template puts a ready reply, with a fresh RA number, into the reply box.
    page = console.sign_in(staff.agent).get(f"/tickets/{desk.returns.reference}?canned=return_authorization").text
    reply = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert re.search(rf"return authorization number is RA-{desk.returns.id}-[A-Z0-9]{{4}}\.", reply)
    assert "return warehouse" in reply and "Repackaging notes" in reply and "AP-654321" in reply
    assert "    77 Test Street\n    Springfield, OR 97477\n" in reply and "Harbor Logistics" not in reply
    assert "Dear Emily Carter," in reply and "Sam Agent\naeropressmall.com customer service" in reply
    assert 'name="confirmed"' in page and "inside the 60-day return window" in page


def test_the_return_authorisation_is_sent_only_once_the_agent_confirms_the_window(
        console: Console, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    # The reply says the order is inside the return window: unconfirmed, it is refused and kept in the box.
    console.sign_in(staff.agent)
    ref = desk.returns.reference
    text = "Your return is approved: RA-1."
    seen = re.search(r'name="seen" value="(\d+)"', console.get(f"/tickets/{ref}").text).group(1)
    refused = console.post(f"/tickets/{ref}/reply", {"text": text, "seen": seen, "canned": "return_authorization"})
    assert refused.status_code == 400 and "Not sent: confirm first (I checked that the order is inside" in refused.text
    assert f">{text}</textarea>" in refused.text and 'name="confirmed"' in refused.text
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
    sent = console.post(f"/tickets/{ref}/reply", {"text": text, "seen": seen, "canned": "return_authorization",
                                                  "confirmed": "1"})
    assert sent.status_code == 302
    with reader() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 1


def test_without_a_warehouse_address_the_return_authorisation_says_which_setting_is_missing(
        app_for, web_config: Config, desk: Desk, staff: Staff) -> None:  # type: ignore[no-untyped-def]
    # No address is invented: the reply box stays empty and the agent reads what to set.
    bare = dataclasses.replace(web_config, shop=ShopConfig())
    console = Console(app_for(bare).test_client()).sign_in(staff.agent)
    page = console.get(f"/tickets/{desk.returns.reference}?canned=return_authorization").text
    assert "the return authorization reply cannot be used: set [shop] return_warehouse_address" in page
    assert re.search(r'<textarea id="reply"[^>]*></textarea>', page)


def test_canned_refund_rejection_itemises_reasons_and_cites_the_policy(console: Console, desk: Desk,
                                                                       staff: Staff) -> None:
    # The inspection findings become a numbered list, followed by the policy clause they rest on.
    page = console.sign_in(staff.agent).get(f"/tickets/{desk.returns.reference}", query_string={
        "canned": "refund_rejection", "reasons": "Chamber cracked\nFilter cap missing"}).text
    reply = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "1. Chamber cracked\n2. Filter cap missing" in reply
    assert "section 4 of our Customer Service Policy" in reply and "5-10 working" in reply


def test_an_unknown_canned_reply_or_ticket_is_not_found(console: Console, desk: Desk, staff: Staff) -> None:
    # A made-up template name (or a path) and a made-up ticket are answered 404, not 500.
    console.sign_in(staff.agent)
    assert console.get(f"/tickets/{desk.returns.reference}?canned=../../etc/passwd").status_code == 404
    assert console.get("/tickets/HD-999999").status_code == 404


def test_reading_a_ticket_or_its_attachment_is_audited_without_the_customers_address(
        console: Console, reader: sessionmaker[Session], desk: Desk, staff: Staff) -> None:
    # Every read of customer data leaves a trace: who, which customer (by id), which ticket, from where.
    with reader() as s:
        pdf = s.scalar(select(AttachmentFile.id).join(Message).where(Message.ticket_id == desk.tracking.id))
    console.sign_in(staff.agent)
    console.get(f"/tickets/{desk.tracking.reference}")
    console.get(f"/tickets/{desk.tracking.reference}/attachments/{pdf}")
    with reader() as s:
        views = s.scalars(select(AuditEvent).where(AuditEvent.action == "view").order_by(AuditEvent.id)).all()
    assert [(v.actor, v.target, v.detail) for v in views] == [
        ("sam@aeropressmall.com", f"customer:{desk.tracking.customer_id}", {"ticket": desk.tracking.reference}),
        ("sam@aeropressmall.com", f"customer:{desk.tracking.customer_id}",
         {"ticket": desk.tracking.reference, "attachment": pdf})]
    assert all(v.address == "127.0.0.1" and "emily" not in str(v.detail) for v in views)
