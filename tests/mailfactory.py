"""Build small RFC 5322 messages for tests, as customers' clients would send them."""
from __future__ import annotations

import datetime as dt
import os
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

# The realistic-mail generator kept beside the repository (../shared/bench/), or where
# $HELPDESK_CORPUS_GENERATOR says (a git worktree has no shared/ beside it), for tests that want a
# large, varied corpus; they skip where it is absent.
CORPUS_GENERATOR = Path(os.environ.get("HELPDESK_CORPUS_GENERATOR")
                        or Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_mail_corpus.py")


def make_mail(sender: str = "Emily Carter <emily@example.com>", to: str = "support@aeropressmall.com",
              subject: str = "Where is my order AP-123456?", body: str = "Hi,\n\nMy parcel has not arrived.\n\nEmily\n",
              message_id: str | None = None, in_reply_to: str | None = None, references: str | None = None,
              cc: str | None = None, date: dt.datetime | None = None, headers: dict[str, str] | None = None) -> bytes:
    """One text/plain mail; `message_id=""` leaves the header out."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    if message_id != "":
        msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)
