"""Payment-card masking: no full card number is ever stored (Privacy Policy; docs/policies.md)."""
from __future__ import annotations

import base64
import email
import html as html_module
import quopri
import re
from email.policy import default
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tickets.cards import luhn_valid, mask_html, mask_raw, mask_text

VISA = "4111111111111111"
MASKED_VISA = "************1111"
MAIL = Path(__file__).parent.parent / "mail"
CARDLESS_FOLDERS = ("quotes", "charsets", "bounces", "parse")  # fixtures known to hold no card number
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="-<>@=/._"),
                max_size=40)


def with_check_digit(body: str) -> str:
    """`body` plus the digit that makes it pass Luhn."""
    return body + next(d for d in "0123456789" if luhn_valid(body + d))


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), WORDS, WORDS)
def test_any_card_number_in_any_text_keeps_only_its_last_four_digits(body: str, before: str, after: str) -> None:
    # Whatever surrounds it, a Luhn-valid 13-19 digit number never survives in full.
    number = with_check_digit(body)
    masked = mask_text(f"{before} {number} {after}")
    assert masked == f"{before} {'*' * (len(number) - 4)}{number[-4:]} {after}"


@given(st.text(alphabet="0123456789", min_size=13, max_size=19), WORDS)
def test_numbers_failing_the_luhn_check_are_left_alone(number: str, around: str) -> None:
    # Order, phone and tracking numbers are kept: only real card numbers are masked.
    text = f"{around} {number} {around}"
    assert mask_text(text) == (text if not luhn_valid(number) else text.replace(number, "*" * (len(number) - 4)
                                                                                      + number[-4:]))


@given(st.sampled_from([" ", "-"]), st.sampled_from([(4, 4, 4, 4), (4, 6, 5), (4, 4, 4, 4, 3)]))
def test_grouped_card_numbers_keep_their_separators(separator: str, layout: tuple[int, ...]) -> None:
    # '4111 1111 1111 1111' becomes '**** **** **** 1111', readable and still safe.
    digits = with_check_digit("47" + "1" * (sum(layout) - 3))  # no shorter card (and CVV) inside it
    groups, start = [], 0
    for size in layout:
        groups.append(digits[start:start + size])
        start += size
    written = separator.join(groups)
    hidden = iter(range(len(digits) - 4))
    expected = "".join("*" if char.isdigit() and next(hidden, None) is not None else char for char in written)
    assert mask_text(f"card: {written}.") == f"card: {expected}."


def test_everyday_numbers_stay_readable() -> None:
    # Agents need order, phone and tracking numbers; none of these is a card.
    text = "Order AP-123456, phone +1 (555) 123-4567, UPS 1Z999AA10123456784, USPS 9400 1000 0000 0000 0000 00"
    assert mask_text(text) == text


def test_a_card_inside_a_message_id_or_a_link_is_masked_in_decoded_text() -> None:
    # Decoded text is stored and indexed: a card there is a card, whatever it sits in.
    text = "Message-ID <1709123456789.4111111111111111@mail.example>, https://shop.example/t/4111111111111111"
    assert mask_text(text) == text.replace(VISA, MASKED_VISA)


def test_a_card_followed_by_its_security_code_and_expiry_hides_them_too() -> None:
    # Customers type the CVV and expiry right after the number; the card is found and both are hidden.
    assert mask_text("4111 1111 1111 1111 123") == "**** **** **** 1111 ***"
    assert mask_text("card 4111111111111111, exp 09/27, CVV 737. Order 1234 of 12 May") == (
        "card ************1111, exp **/**, CVV ***. Order 1234 of 12 May")


@given(st.sampled_from([" ", "  ", "\t", "\u00a0", ".", "-", "\n", " - ", "\u2009"]), st.booleans())
def test_any_separator_between_groups_and_full_width_digits_are_masked(separator: str, wide: bool) -> None:
    # Whatever a person or a mail client puts between the groups, the number is still found.
    digits = with_check_digit("5" + "4" * 14)
    if wide:
        digits = "".join(chr(ord(char) - 48 + 0xFF10) for char in digits)
    written = separator.join(digits[i:i + 4] for i in range(0, 16, 4))
    masked = mask_text(f"Karte: {written} danke")
    assert digits not in masked.replace(separator, "") and masked.endswith(f"{digits[-4:]} danke")


def test_html_hides_cards_split_by_tags_entities_and_references() -> None:
    # HTML is masked as the text a reader sees, and inside links.
    for html in ("<p>4111<b>1111</b> 1111&nbsp;1111</p>", "&#52;111 1111&#32;1111 1111",
                 "<a href='https://x.example/4111111111111111'>x</a>"):
        masked = mask_html(html)
        assert "1111" in masked and html_module.unescape(re.sub("<[^>]*>", "", masked)).count("1") <= 4, masked
        assert VISA not in masked


def test_raw_mail_is_masked_in_headers_and_plain_bodies_and_nothing_else_changes() -> None:
    # The kept raw copy loses the card numbers, the Message-ID's too; every other byte is untouched.
    raw = (b"From: Emily <emily@example.com>\r\nSubject: card 4111 1111 1111 1111 charged twice\r\n"
           b"Message-ID: <4111111111111111@mail.example>\r\nContent-Type: text/plain; charset=utf-8\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\nMy card \xc3\xa9 " + VISA.encode() + b" was charged.\r\n")
    masked = mask_raw(raw)
    assert masked == raw.replace(b"4111 1111 1111 1111", b"**** **** **** 1111").replace(
        b"\xa9 " + VISA.encode(), b"\xa9 " + MASKED_VISA.encode()).replace(b"<4111111111111111@", b"<************1111@")
    assert b"<************1111@mail.example>" in masked


def multipart(part_headers: bytes, part_body: bytes) -> bytes:
    return (b"From: a@example.com\r\nSubject: refund\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n" + part_headers
            + b"\r\n\r\n" + part_body + b"\r\n--b1\r\nContent-Type: application/pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(b"%PDF 4111111111111111")
            + b"--b1--\r\n")


def decoded_text(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=default)
    return next(part for part in msg.walk() if part.get_content_type() == "text/plain").get_content()


def test_base64_text_parts_are_decoded_masked_and_re_encoded() -> None:
    # A card hidden by the transfer encoding is masked too, and the part stays valid base64.
    text = ("Bitte erstatten Sie den Betrag auf die Karte " + VISA + " zurück. " * 6).encode("utf-8")
    raw = multipart(b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64",
                    base64.encodebytes(text).rstrip(b"\n").replace(b"\n", b"\r\n"))
    masked = mask_raw(raw)
    assert MASKED_VISA in decoded_text(masked) and VISA not in decoded_text(masked)
    assert max(len(line) for line in masked.split(b"\r\n")) <= 76
    assert masked.endswith(base64.encodebytes(b"%PDF 4111111111111111") + b"--b1--\r\n")  # attachment untouched


def test_quoted_printable_parts_are_masked_even_across_soft_line_breaks() -> None:
    # Quoted-printable may split the number over two lines; it is still found and masked in place.
    body = quopri.encodestring(("x" * 70 + " card 4111 1111 1111 1111 please").encode()).replace(b"\n", b"\r\n")
    raw = multipart(b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", body)
    masked = mask_raw(raw)
    assert b"=\r\n" in body and "**** **** **** 1111" in decoded_text(masked)
    assert len(masked) == len(raw)


def test_encoded_word_subjects_are_masked() -> None:
    # A card in a MIME-encoded subject is masked inside the encoding, base64 or Q.
    subject_b = b"=?utf-8?b?" + base64.b64encode(("Karte " + VISA + " belastet").encode()) + b"?="
    subject_q = b"=?iso-8859-1?q?Carte_" + VISA.encode() + b"_d=E9bit=E9e?="
    for subject in (subject_b, subject_q):
        raw = b"From: a@example.com\r\nSubject: " + subject + b"\r\n\r\nbody\r\n"
        parsed = email.message_from_bytes(mask_raw(raw), policy=default)
        assert MASKED_VISA in str(parsed["subject"]) and VISA not in str(parsed["subject"])


def test_mail_without_card_numbers_comes_back_unchanged() -> None:
    # Every fixture mail (quoted replies, charsets, bounces) survives masking byte for byte, but for a
    # Message-ID whose digits happen to pass for a card number (a date-stamped one does, one in ten):
    # it is masked like any other header, the same way wherever a reply names it.
    mails = sorted(path for folder in CARDLESS_FOLDERS for path in (MAIL / folder).glob("*.eml"))
    changed = {}
    for path in mails:
        raw, masked = path.read_bytes(), mask_raw(path.read_bytes())
        changed[path.name] = [line for line, kept in zip(raw.split(b"\n"), masked.split(b"\n"), strict=True)
                              if line != kept]
    assert mails and {name: lines for name, lines in changed.items() if lines} == {
        "iso2022jp_7bit.eml": [b"Message-ID: <20260310150459.7A40@example.jp>\r"]}
