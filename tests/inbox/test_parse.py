"""Parsing raw mail into a ParsedMessage: every real-world shape parses, only non-mail is refused."""
from __future__ import annotations

import csv
import datetime as dt
import email
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mailfactory import CORPUS_GENERATOR

from inbox.parse import LARGE_BODY, PARSING, ParseError, parse_message, read_tree, summary
from tickets.errors import InputError

MAIL = Path(__file__).parent.parent / "mail"
NOW = dt.datetime(2026, 3, 13, 12, 0, tzinfo=dt.UTC)
UTC = dt.UTC
OURS = frozenset({"support@aeropressmall.com"})
CPYTHON_MAIL = Path(email.__file__).parent.parent / "test" / "test_email" / "data"
CORPUS_SCRIPT = CORPUS_GENERATOR


def parse(name: str, **kwargs: object) -> object:
    return parse_message((MAIL / name).read_bytes(), now=NOW, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("fixture, sender, subject, phrase", [
    ("koi8r_8bit", "Ирина Смирнова", "Где мой заказ?", "мой заказ AP-551234 до сих пор не пришёл"),
    ("gb2312_label_gbk_bytes", "王芳", "订单查询", "请尽快回复，谢谢。镕"),
    ("big5_qp", "陳大文", "訂單查詢", "我的訂單 AP-551236 還沒有收到"),
    ("shift_jis_8bit", "田中 太郎", "配送状況", "注文番号 AP-551237 の配送状況"),
    ("iso2022jp_7bit", "田中 太郎", "配送状況", "注文番号 AP-551237 の配送状況"),
    ("euc_kr_base64", "김민수", "배송 문의", "주문 AP-551238 배송이 언제 되나요?"),
    ("iso8859_2_qp", "Łukasz Wróbel", "Zamówienie AP-551239", "proszę o szybką odpowiedź"),
    ("latin1_label_cp1252_bytes", "Tom Becker", "Return request",
     "I\u2019d like to return the \u201cAeroPress Go\u201d"),
    ("ascii_label_utf8_bytes", "", "Stornierung", "ich möchte die Bestellung AP-551240 stornieren"),
    ("unknown_charset", "", "Grüße", "ich möchte die Bestellung AP-551240 stornieren"),
    ("utf8_label_latin1_bytes", "", "Commande", "je n'ai pas reçu ma cafetière"),
    ("raw_utf8_headers", "José Álvarez", "¿Dónde está mi pedido?", "¿cuándo llegará el pedido?"),
])
def test_every_charset_real_mail_uses_decodes_to_readable_text(fixture: str, sender: str, subject: str,
                                                               phrase: str) -> None:
    # Customers write in every script, and mailers mislabel charsets; agents must still read it.
    parsed = parse(f"charsets/{fixture}.eml")
    assert parsed.sender.name == sender
    assert parsed.subject == subject
    assert phrase in parsed.new_text and "\ufffd" not in parsed.new_text


def test_broken_headers_degrade_to_their_raw_text_and_are_noted() -> None:
    # A bad encoded-word or date never loses the mail: the raw text stays and a defect is listed.
    parsed = parse("charsets/broken_encoded_words.eml")
    assert parsed.subject == "CaféHelloHello"
    assert parsed.sender.email == "broken@example.com" and parsed.sender.name == "=?utf-8?b?!!!notbase64?="
    assert parsed.date is None and "unparsable Date: not a date at all" in parsed.defects
    assert parsed.new_text == "Body survives."


def test_html_only_mail_becomes_text_and_keeps_its_html() -> None:
    # Routing and search read text; the console shows the (sanitised) original HTML.
    parsed = parse("parse/html_only_outlook.eml")
    assert parsed.text == ("Hello,\n\nWhat is the bundle price for the AeroPress Clear and 2 packs of filters "
                           "\u2013 shipped to Lyon?\n\n- AeroPress Clear\n- Filters (350)\n\nTom")
    assert "<p class=MsoNormal>" in parsed.html and "track()" not in parsed.text
    assert parsed.language == "en"


def test_attachments_get_decoded_safe_names_and_their_bytes() -> None:
    # RFC 2231 and RFC 2047 names are decoded; a path in a name never escapes the storage folder.
    parsed = parse("parse/attachments_rfc2231.eml")
    files = {a.filename: a for a in parsed.attachments}
    assert sorted(files) == ["Foto Kaffeemühle.jpg", "Rücksendeschein AP-551240.pdf", "attachment.png", "evil.exe"]
    assert files["Rücksendeschein AP-551240.pdf"].data.startswith(b"%PDF-1.7")
    assert files["Rücksendeschein AP-551240.pdf"].content_type == "application/pdf"
    photo = files["attachment.png"]
    assert photo.inline and photo.content_id == "photo1@web.de" and photo.data.startswith(b"\x89PNG")
    assert parsed.new_text.startswith("Hallo,\n\nanbei die Fotos") and parsed.language == "de"
    assert 'src="cid:photo1@web.de"' in parsed.html


def test_addresses_are_validated_and_bad_ones_kept() -> None:
    # A malformed address must not lose the mail; it is kept, marked invalid and noted.
    raw = (b"From: \"O'Brien, Sarah\" <sarah.obrien@Hotmail.CO.UK>\r\nTo: support@aeropressmall.com, not-an-address\r\n"
           b"Cc: =?utf-8?q?J=C3=BCrgen?= <juergen@web.de>\r\nReply-To: sarah@example.com\r\nSubject: x\r\n\r\nhi\r\n")
    parsed = parse_message(raw, now=NOW)
    assert (parsed.sender.name, parsed.sender.email, parsed.sender.valid) == (
        "O'Brien, Sarah", "sarah.obrien@hotmail.co.uk",
                                                                           True)
    assert [(a.email, a.valid) for a in parsed.to] == [("support@aeropressmall.com", True), ("not-an-address", False)]
    assert parsed.cc[0].name == "Jürgen" and parsed.reply_to[0].email == "sarah@example.com"
    assert "invalid address: not-an-address" in parsed.defects
    assert parsed.participants == ("sarah.obrien@hotmail.co.uk", "support@aeropressmall.com", "not-an-address",
                                   "juergen@web.de")


def test_received_prefers_internaldate_then_the_top_received_header_then_date_then_now() -> None:
    # SLA clocks start at receipt, so the most trustworthy arrival time wins, always in UTC.
    fixture = (MAIL / "charsets" / "koi8r_8bit.eml").read_bytes()
    internal = dt.datetime(2026, 3, 10, 9, 0)
    assert parse_message(fixture, now=NOW, received=internal).received == internal.replace(tzinfo=UTC)
    assert parse_message(fixture, now=NOW).received == dt.datetime(2026, 3, 10, 14, 5, 9, tzinfo=UTC)
    dated = b"From: a@example.com\r\nDate: Tue, 10 Mar 2026 15:04:58 +0100\r\n\r\nx\r\n"
    assert parse_message(dated, now=NOW).received == dt.datetime(2026, 3, 10, 14, 4, 58, tzinfo=UTC)
    assert parse_message(b"From: a@example.com\r\n\r\nx\r\n", now=NOW).received == NOW


def test_threading_headers_are_normalised() -> None:
    # The threader compares IDs as strings, so every form a mailer writes must come out the same.
    parsed = parse("quotes/gmail_reply.eml")
    assert parsed.message_id == "<CAJx2K9f3mWq8hL0pZ7dVb1Ecr5sT6uYaN4oQ@mail.gmail.com>"
    assert parsed.in_reply_to == ("<reply.10042.1@aeropressmall.com>",)
    assert parsed.references == ("<CAO1x7k2@mail.gmail.com>", "<reply.10042.1@aeropressmall.com>")
    assert ("Subject", "Re: Where is my order AP-482913? [#HD-10042]") in parsed.headers


def test_a_mail_without_message_id_gets_the_same_synthetic_id_in_every_mailbox() -> None:
    # The same mail delivered to two mailboxes is stored once, even without a Message-ID.
    raw = (MAIL / "parse" / "no_message_id.eml").read_bytes()
    other = b"Delivered-To: press@aeropressmall.com\r\nReceived: by mx2.aeropressmall.com; Tue, 10 Mar 2026\r\n" + raw
    first = parse_message(raw, now=NOW).message_id
    assert first.endswith("@synthetic.helpdesk>") and parse_message(other, now=NOW).message_id == first


@pytest.mark.parametrize("raw", [b"", b" \r\n\r\n", b"\n\njust a body\n", b"\x00\x01\x02\xff\xfe binary garbage\n",
                                 b"Some notes I saved\nwithout any header\n"])
def test_input_that_is_not_mail_is_refused_with_a_clear_error(raw: bytes) -> None:
    # Only non-mail is refused; the caller quarantines it with this one-line reason.
    with pytest.raises(ParseError, match="not a mail") as caught:
        parse_message(raw, now=NOW)
    assert isinstance(caught.value, InputError)


@pytest.mark.parametrize("fixture", ["dsn_message_rfc822", "dsn_headers_only", "exim_plain_bounce"])
def test_bounces_name_the_reply_that_was_not_delivered(fixture: str) -> None:
    # A bounce of our reply marks that reply undelivered: its Message-ID must be found.
    parsed = parse(f"bounces/{fixture}.eml", our_addresses=OURS)
    assert parsed.auto
    assert parsed.bounced_message_ids[0] == "<hd.10042.2.7c1e@aeropressmall.com>"


def test_an_out_of_office_reply_is_auto_but_not_a_bounce() -> None:
    # An auto-reply that mentions a Message-ID must not mark our reply as undelivered.
    parsed = parse("bounces/out_of_office.eml", our_addresses=OURS)
    assert (parsed.auto, parsed.auto_reason, parsed.bounced_message_ids) == (True, "Auto-Submitted: auto-replied", ())


@pytest.mark.parametrize("text, language", [
    ("Hi, could you tell me when my order will arrive? Thanks", "en"),
    ("Hallo, ich habe die Bestellung am Montag aufgegeben, danke für Ihre Hilfe.", "de"),
    ("Bonjour, j'ai commandé la cafetière il y a deux semaines, merci d'avance.", "fr"),
    ("Hola, ¿podrían decirme cuándo llegará el pedido? Muchas gracias.", "es"),
    ("Здравствуйте, заранее спасибо за быстрый ответ.", ""),
    ("AP-123456", ""),
])
def test_the_language_guess_helps_routing_and_abstains_when_unsure(text: str, language: str) -> None:
    # A wrong guess misroutes; no guess lets the router fall back to its defaults.
    raw = b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode()
    assert parse_message(raw, now=NOW).language == language


def test_the_parse_command_line_is_one_json_object_per_file() -> None:
    # `helpdesk parse --json` prints exactly the documented keys, JSON-serialisable.
    parsed = parse("parse/attachments_rfc2231.eml", our_addresses=OURS)
    line = summary(parsed, "attachments_rfc2231.eml")
    assert list(line) == ["file", "message_id", "from", "subject", "received", "new_text", "quoted_text",
                          "signature", "attachments", "auto", "auto_reason"]
    assert (line["from"], line["received"], line["auto"]) == ("juergen.mueller@web.de", "2026-03-10T14:04:58+00:00",
                                                              False)
    assert {"filename": "evil.exe", "content_type": "application/octet-stream", "size": 57} in line["attachments"]
    assert json.loads(json.dumps(line, ensure_ascii=False)) == line


@pytest.mark.skipif(not CPYTHON_MAIL.is_dir(), reason="CPython's email test corpus is not installed")
@pytest.mark.parametrize("path", sorted(CPYTHON_MAIL.glob("msg_*.txt")) if CPYTHON_MAIL.is_dir() else [],
                         ids=lambda path: path.name)
def test_cpython_email_corpus_parses_or_is_refused_cleanly(path: Path) -> None:
    # Decades of odd mail from CPython's test suite: no traceback, only a result or ParseError.
    try:
        parsed = parse_message(path.read_bytes(), now=NOW)
    except ParseError:
        return
    assert parsed.message_id.startswith("<") and parsed.received.tzinfo is not None


def test_bench_corpus_replies_separate_new_text_from_their_quote(tmp_path: Path) -> None:
    # Realistic customer replies: each has its own words and keeps the quoted history apart.
    if not CORPUS_SCRIPT.exists():
        pytest.skip(f"{CORPUS_SCRIPT} is not available")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(tmp_path), "--count", "300", "--seed", "7"],
                   check=True, capture_output=True)
    with open(tmp_path / "manifest.csv", newline="") as manifest:
        replies = [row["file"] for row in csv.DictReader(manifest) if row["kind"] == "reply"]
    assert len(replies) > 30
    for name in replies:
        parsed = parse_message((tmp_path / name).read_bytes(), now=NOW, our_addresses=OURS)
        assert parsed.new_text and " wrote:" in parsed.quoted_text, name
        assert "\n>" not in parsed.new_text and " wrote:" not in parsed.new_text, name


@pytest.mark.parametrize("content_type", [b"text/plain; name*", b"text/plain; a*0*=x; a*1*", b"text/plain;x*"])
def test_headers_that_crash_the_standard_parser_still_parse(content_type: bytes) -> None:
    # CPython's header registry raises on these; the mail is read without it and the fact noted.
    raw = b"From: a@example.com\r\nSubject: hi\r\nContent-Type: " + content_type + b"\r\n\r\nCaf\xc3\xa9 order\r\n"
    parsed = parse_message(raw, now=NOW)
    assert parsed.text == "Café order\n" and parsed.subject == "hi"
    assert any(defect.startswith("standard parser failed") for defect in parsed.defects)


def test_mail_no_parser_can_read_is_refused_with_the_reason() -> None:
    # When even the fallback parser fails, the caller gets one line to quarantine the mail with.
    raw = b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary*=\x00'en'x\r\n\r\nbody\r\n"
    with pytest.raises(ParseError, match="unreadable MIME structure"):
        parse_message(raw, now=NOW)


def test_malformed_html_markup_sections_do_not_stop_the_conversion() -> None:
    # html.parser asserts on broken '<![' sections; the text around them must still come through.
    raw = (b"From: a@example.com\r\nContent-Type: text/html\r\n\r\n"
           b"<p>Where is my parcel?<![endisoNormal</p><p>Tom</p>\r\n")
    assert parse_message(raw, now=NOW).text.startswith("Where is my parcel?")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(path for folder in ("quotes", "charsets", "bounces", "parse")
                              for path in (MAIL / folder).glob("*.eml"))), st.data())
def test_damaged_mail_parses_or_is_refused_but_never_crashes(path: Path, data: st.DataObject) -> None:
    # Truncated, spliced or corrupted mail never takes the ingester down: a result or ParseError.
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw)))
        cut = data.draw(st.integers(0, 200))
        raw[at:at + cut] = data.draw(st.binary(max_size=40) | st.sampled_from(
            [b"\r\n\r\n", b"=?utf-8?b?", b"?=", b"; charset=x-unknown", b"--", b"<![if", b"filename*0*=utf-8''%E2"]))
    try:
        parsed = parse_message(bytes(raw), now=NOW, our_addresses=OURS)
    except ParseError:
        return
    assert summary(parsed, path.name)["received"]


LARGE = LARGE_BODY + 10


@pytest.mark.parametrize("raw", [
    b"From: a@example.com\r\nSubject: one line\r\n\r\n" + b"caf\xc3\xa9 " * (LARGE // 6) + b"\r\nend\r\n",
    b"From: a@example.com\nSubject: many lines\n\n" + b"a line\n" * (LARGE // 7),
    b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n" + b"x" * LARGE
    + b"\r\n--b--\r\n",
    b"From: a@example.com\r\nnot a header\r\nSubject: lost\r\n\r\n" + b"z" * LARGE,
    b"From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\n" + b"y" * LARGE,
], ids=["one long line", "many lines", "multipart", "odd header line", "message/rfc822"])
def test_large_mail_reads_as_the_standard_parser_reads_it(raw: bytes) -> None:
    # A large body is read without the standard parser's copies of it, into the same message.
    ours, theirs = read_tree(raw, PARSING), email.message_from_bytes(raw, policy=PARSING)
    assert ours.as_bytes() == theirs.as_bytes()
    assert [type(d) for d in ours.defects] == [type(d) for d in theirs.defects]
    assert ours.get_payload(decode=True) == theirs.get_payload(decode=True)
