"""What the card-safe parse keeps: an ordinary mail byte for byte, a mail with a card in a decoded form
rebuilt with it masked."""
from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP

from inbox.cardsafe import REBUILT_MARK, mask_raw_safely, parse_masked
from tickets.cards import luhn_valid

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
CARD_LIKE = next(str(n) for n in range(4_000_000_000_000_000_000, 5_000_000_000_000_000_000) if luhn_valid(str(n)))


def mail_with_pdf(filename: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Ana <ana@example.com>", "support@aeropressmall.com", "Receipt"
    msg["Message-ID"] = "<172.9857.20260310@example.com>"
    msg.set_content("The receipt is attached.\n")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=filename)
    return msg


def test_a_boundary_of_digits_that_pass_for_a_card_does_not_rebuild_the_mail() -> None:
    # Python's email package writes 19 random digits as the boundary; one time in ten they pass Luhn.
    # The mail is still kept as its own bytes, its text part readable as sent.
    msg = mail_with_pdf("receipt.pdf")
    msg.set_boundary(f"==============={CARD_LIKE}==")
    raw = msg.as_bytes(policy=SMTP)
    kept, parsed = parse_masked(mask_raw_safely(raw), now=NOW)
    assert kept == raw
    assert parsed.text.strip() == "The receipt is attached."


def test_a_card_in_a_file_name_still_rebuilds_the_mail_masked() -> None:
    raw = mail_with_pdf("card 4111 1111 1111 1111.pdf").as_bytes(policy=SMTP)
    kept, parsed = parse_masked(mask_raw_safely(raw), now=NOW)
    assert REBUILT_MARK.encode() in kept
    (attachment,) = parsed.attachments
    assert "4111" not in attachment.filename and attachment.filename.endswith("1111.pdf")
