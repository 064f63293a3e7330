"""Composed outgoing mail: headers a mail server and a mail client read as we meant them."""
from __future__ import annotations

import datetime as dt
import email
from collections.abc import Callable
from email import policy
from email.errors import HeaderParseError
from email.policy import compat32

from hypothesis import given
from hypothesis import strategies as st

from tickets.outbox import SMTP_COMPAT, Outgoing, OutgoingFile, compose

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
STOCK = compat32.clone(linesep="\r\n")
HEADER_TEXT = st.text(st.characters(min_codepoint=9, max_codepoint=126, blacklist_characters="\r\n\x0b\x0c"),
                      max_size=90)


def folded(fold: Callable[[str, str], bytes], name: str, value: str) -> bytes | str:
    try:
        return fold(name, value)
    except HeaderParseError as exc:  # compat32 refuses a value that would smuggle in a header
        return str(exc)


@given(name=st.sampled_from(["Subject", "To", "References", "Content-Type"]), value=HEADER_TEXT)
def test_headers_are_written_exactly_as_compat32_folds_them(name: str, value: str) -> None:
    assert folded(SMTP_COMPAT.fold_binary, name, value) == folded(STOCK.fold_binary, name, value)


def composed(**fields: object) -> email.message.EmailMessage:
    out = Outgoing(**{"kind": "reply", "mail_from": "support@aeropressmall.com", "to": "jane@example.com",
                      "subject": "Re: Where is my order? [#HD-42]", "text": "Hello Jane,\n\nit left today.", **fields})
    _message_id, raw = compose(out, NOW, "support@aeropressmall.com")
    assert all(len(line) <= 78 for line in raw.split(b"\r\n")), "every line stays within RFC 5322's 78"
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_a_subject_carrying_a_line_break_cannot_add_a_header() -> None:
    mail = composed(subject="Re: hello\r\nBcc: victim@example.com [#HD-42]")
    assert mail["Bcc"] is None
    assert mail["Subject"] == "Re: hello Bcc: victim@example.com [#HD-42]"


def test_a_long_thread_folds_its_references_and_keeps_every_id() -> None:
    ids = tuple(f"<message-{n}-with-a-long-local-part@mail.example.com>" for n in range(20))
    mail = composed(in_reply_to=ids[-1], references=ids)
    assert mail["References"].split() == list(ids)
    assert mail["In-Reply-To"] == ids[-1]


def test_names_and_subjects_outside_ascii_arrive_intact() -> None:
    mail = composed(to_name="Jürgen Müller", subject="Re: Wo ist meine Bestellung? Grüße [#HD-42]",
                    text="Hallo Jürgen,\n\n--=_ kein Trenner\n\nGrüße")
    assert mail["To"].addresses[0].display_name == "Jürgen Müller"
    assert mail["Subject"] == "Re: Wo ist meine Bestellung? Grüße [#HD-42]"
    plain, html = mail.iter_parts()
    assert plain.get_content().replace("\r\n", "\n") == "Hallo Jürgen,\n\n--=_ kein Trenner\n\nGrüße"
    assert "<p>Grüße</p>" in html.get_content()


def test_a_long_reply_is_mailed_near_its_own_size() -> None:
    # 1 MB of English goes quoted-printable as plain text alone (no HTML twin doubling it): not 2.6 MB.
    text = ("Please find the steps to descale your AeroPress below, one per line. " * 14 + "\n") * 1000
    _message_id, raw = compose(Outgoing(kind="reply", mail_from="support@aeropressmall.com", to="jane@example.com",
                                        subject="Re: descaling [#HD-42]", text=text), NOW, "support@aeropressmall.com")
    assert len(text) > 960_000 and len(raw) < len(text) * 1.05
    mail = email.message_from_bytes(raw, policy=policy.default)
    assert mail["Content-Transfer-Encoding"] == "quoted-printable"
    assert mail.get_content().replace("\r\n", "\n") == text  # type: ignore[attr-defined]


def test_text_mostly_outside_ascii_goes_base64_and_short_replies_keep_their_html_twin() -> None:
    # Quoted-printable would triple Cyrillic; base64 adds a third.
    mail = composed(text="Здравствуйте, ваш заказ отправлен сегодня. " * 50)
    plain, html = mail.iter_parts()
    assert plain["Content-Transfer-Encoding"] == "base64" and html.get_content_type() == "text/html"
    assert plain.get_content().startswith("Здравствуйте")


def test_files_go_as_mime_parts_cc_in_the_headers_and_bcc_nowhere() -> None:
    mail = composed(cc=("anna@example.com",), bcc=("boss@aeropressmall.com",),
                    files=(OutgoingFile("return label.pdf", "application/pdf", b"%PDF-1.4 label"),
                           OutgoingFile("photo.jpg", "image/jpeg", b"\xff\xd8\xff jpeg")))
    assert mail.get_content_type() == "multipart/mixed"
    assert mail["Cc"] == "anna@example.com" and "boss@" not in mail.as_string()
    body, label, photo = mail.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert (label.get_filename(), label.get_content()) == ("return label.pdf", b"%PDF-1.4 label")
    assert (photo.get_content_type(), photo.get_content()) == ("image/jpeg", b"\xff\xd8\xff jpeg")


@given(name=st.text(max_size=30), local=st.text(min_size=1, max_size=20), domain=st.text(min_size=1, max_size=20))
def test_no_name_or_address_a_customer_has_stops_a_mail_being_composed(name: str, local: str, domain: str) -> None:
    # Composing an acknowledgement inside ingestion must never fail, or the customer's own mail would be quarantined.
    out = Outgoing(kind="ack", mail_from="support@aeropressmall.com", to=f"{local}@{domain}", to_name=name,
                   subject="Re: Grüße [#HD-42]", text="We got your mail.")
    message_id, raw = compose(out, NOW, "support@aeropressmall.com")
    assert message_id and b"\r\nTo: " in raw


def test_an_idn_domain_is_written_as_punycode_and_a_unicode_local_part_as_utf8() -> None:
    # Every server takes an A-label domain; only a Unicode local part needs UTF-8 headers (RFC 6532).
    idn = composed(to="info@bücher.example", to_name="Bücher Müller")
    assert idn["To"].addresses[0].addr_spec == "info@xn--bcher-kva.example"
    assert idn["To"].addresses[0].display_name == "Bücher Müller"
    _message_id, raw = compose(Outgoing(kind="ack", mail_from="support@aeropressmall.com", to="jdöe@mächine.example",
                                        subject="Re: x [#HD-42]", text="x"), NOW, "support@aeropressmall.com")
    assert "\r\nTo: jdöe@xn--mchine-bua.example\r\n".encode() in raw
