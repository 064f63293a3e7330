"""Separating what a customer wrote from the history it quotes and from the signature.

One fixture per mail client and language, text and HTML forms, under tests/mail/quotes/; each
quotes the same reply of ours, so the kept history is checked by one phrase of it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inbox.htmltext import html_to_text
from inbox.parse import parse_message
from inbox.quotes import MAX_SEPARATED_CHARS, separate

QUOTES = Path(__file__).parent.parent / "mail" / "quotes"
NOW = dt.datetime(2026, 3, 13, tzinfo=dt.UTC)
OUR_REPLY = "Your order AP-482913 left our warehouse"

GMAIL = "Thanks Maria, but the tracking page still says 'label created'.\nCould you check with the carrier?\n\nEmily"
OUTLOOK = "Hi Maria,\n\nThe parcel arrived today but the chamber is cracked. Photos attached.\n\nRegards,\nTom Becker"
APPLE = "Hello,\n\nThe parcel is still not here. Can you send a replacement instead?\n\nThanks,\nAnna Lee"
IPHONE = "Still nothing here. Please refund me."
ANDROID = "Thank you! I will look out for the van tomorrow."
THUNDERBIRD = "I would like to return it instead, it is unused and still boxed."
BOTTOM = THUNDERBIRD + "\nHow do I get a return label?"
TB_SIGNATURE = "Dan Kowalski\nKowalski Coffee Roasters\n+49 30 1234567"
YAHOO = "Hi, could you send the return label to this address instead? 12 Elm Street, Leeds."
AOL = "I never received the parcel. Please advise what happens next."
HOTMAIL = "Hello, the discount code SPRING10 still does not apply to the AeroPress Go.\n\nThanks\nSarah"
ZIMBRA = ("Good morning,\n\nwe would like to reorder 50 units of the AeroPress Original for our cafes.\n\n"
          "Best regards\nCafe Lumen")
GERMAN = ("Hallo Maria,\n\nleider ist das Paket immer noch nicht angekommen. Können Sie bitte nachforschen?\n\n"
          "Viele Grüße\nJürgen Müller")
FRENCH = ("Bonjour,\n\nle colis est bien arrivé mais il manque les filtres. Merci de me les envoyer.\n\n"
          "Cordialement\nFrançois Lefèvre")
SPANISH = ("Hola,\n\n¿Podrían decirme cuándo llegará el pedido? Lo necesito antes del viernes.\n\n"
           "Un saludo,\nIñaki Muñoz")

CASES = [  # fixture, the new text, the signature
    ("gmail_reply", GMAIL, ""),
    ("gmail_html_only", GMAIL, ""),
    ("gmail_inline_reply", "It did not: I was home all of Tuesday and nobody came.\n\n"
                           "That number shows nothing on the UPS site.", ""),
    ("outlook_reply", OUTLOOK, ""),
    ("outlook_html_only", OUTLOOK, ""),
    ("outlook_original_message", "Please cancel the order, I found one locally.", ""),
    ("outlook_android", "Ok thanks, I will wait until Monday.", "Get Outlook for Android<https://aka.ms/AAb9ysg>"),
    ("apple_mail_reply", APPLE, ""),
    ("apple_mail_html_only", APPLE, ""),
    ("iphone_reply", IPHONE, "Sent from my iPhone"),
    ("iphone_html_only", IPHONE, "Sent from my iPhone"),
    ("iphone_de_reply", "Das Paket ist immer noch nicht da. Bitte erstatten Sie mir den Betrag.",
     "Von meinem iPhone gesendet"),
    ("iphone_fr_reply", "Le colis n'est toujours pas arrivé. Pouvez-vous me rembourser ?", "Envoyé de mon iPhone"),
    ("iphone_es_reply", "El paquete todavía no ha llegado. ¿Me pueden devolver el dinero?", "Enviado desde mi iPhone"),
    ("android_gmail_reply", ANDROID, ""),
    ("android_samsung_reply", ANDROID, "Sent from my Galaxy"),
    ("thunderbird_reply", THUNDERBIRD, ""),
    ("thunderbird_bottom_post", BOTTOM, TB_SIGNATURE),
    ("thunderbird_html_bottom_post", BOTTOM, TB_SIGNATURE),
    ("yahoo_reply", YAHOO, ""),
    ("yahoo_html_only", YAHOO, ""),
    ("aol_reply", AOL, ""),
    ("aol_html_only", AOL, ""),
    ("hotmail_reply", HOTMAIL, ""),
    ("hotmail_html_only", HOTMAIL, ""),
    ("zimbra_reply", ZIMBRA, ""),
    ("zimbra_html_only", ZIMBRA, ""),
    ("gmail_de_reply", GERMAN, ""),
    ("outlook_de_reply", GERMAN, ""),
    ("outlook_de_html_only", GERMAN, ""),
    ("gmail_fr_reply", FRENCH, ""),
    ("gmail_fr_html_only", FRENCH, ""),
    ("outlook_fr_reply", FRENCH, ""),
    ("gmail_es_reply", SPANISH, ""),
    ("gmail_es_html_only", SPANISH, ""),
    ("outlook_es_reply", SPANISH, ""),
]


@pytest.mark.parametrize("fixture, new_text, signature", CASES, ids=[case[0] for case in CASES])
def test_each_client_reply_splits_into_new_text_history_and_signature(fixture: str, new_text: str,
                                                                       signature: str) -> None:
    # An agent sees exactly what the customer wrote; the quoted reply is kept apart, not lost.
    parsed = parse_message((QUOTES / f"{fixture}.eml").read_bytes(), now=NOW)
    assert parsed.new_text == new_text
    assert parsed.signature == signature
    assert OUR_REPLY in parsed.quoted_text
    assert OUR_REPLY not in parsed.new_text


def test_every_fixture_in_the_folder_is_checked() -> None:
    # A fixture added to tests/mail/quotes without an expectation would silently test nothing.
    assert sorted(path.stem for path in QUOTES.glob("*.eml")) == sorted(case[0] for case in CASES)


def test_mail_without_quotes_is_all_new_text_and_a_sign_off_stays() -> None:
    # A short sign-off is part of what the customer wrote, not a signature to hide.
    parts = separate("Hi,\n\nwhere is my order AP-123456?\n\nThanks,\nEmily\n")
    assert parts.new_text == "Hi,\n\nwhere is my order AP-123456?\n\nThanks,\nEmily"
    assert parts.quoted_text == "" and parts.signature == ""


def test_customer_lines_that_only_look_like_quote_markers_stay_new_text() -> None:
    # Losing a customer's words into the history is worse than keeping some history in view.
    text = ("From: Canada\nTo: the US, by courier\n\nOn Monday I wrote:\nthe parcel never came.\n"
            ">50 units would be our order size.\nSent from my iPhone the photos are attached below.\nThanks")
    assert separate(text).new_text == text


@pytest.mark.parametrize("text", [
    "Name: Tom Becker <tom@example.com>\nOrder: AP-123456\nDate: 12 March 2026 at 10:14\n\nThe cap is missing.",
    "Hello,\n\nName: Tom Becker\nOrder: AP-123456\nDate: 12 March 2026 at 10:14\nEmail: tom@example.com\n\n"
    "The cap is missing.",
    "On the surface, this looks like a quote header but it's not.\n\nOn average, this parser works well.",
    "I wrote to support@aeropressmall.com on Monday.\nThe answer came at 10:14, but nothing since.",
])
def test_a_customer_list_of_fields_or_sentences_that_open_like_attributions_stay_new_text(text: str) -> None:
    # Shapes of header blocks and attributions must not swallow what the customer wrote.
    assert separate(text).new_text == text


def test_a_header_block_in_a_language_without_phrases_is_found_by_its_shape() -> None:
    # Hungarian has no phrase list here: labels, a time, an address and a reply subject still say "history".
    text = ("Köszönöm, megkaptam.\n\nFeladó: AeroPress Mall <support@aeropressmall.com>\n"
            "Elküldve: 2026. március 12. 10:14\nCímzett: Kiss Anna <anna@example.hu>\nTárgy: RE: Rendelés\n\n"
            "Hello Anna")
    parts = separate(text)
    assert parts.new_text == "Köszönöm, megkaptam." and parts.quoted_text.startswith("Feladó:")


def test_a_long_dash_dash_block_is_not_taken_for_a_signature() -> None:
    # '--' followed by many lines is the customer's text (a list, a log), not a signature.
    text = "Details below\n--\n" + "\n".join(f"line {n} of the error log" for n in range(20))
    parts = separate(text)
    assert parts.new_text == text and parts.signature == ""


def test_app_footer_in_the_middle_of_the_text_stays() -> None:
    # 'Sent from my iPhone' only counts at the end; customers quote such lines mid-text too.
    text = "Your app said:\nSent from my iPhone\nand then nothing happened.\nCan you check?\nMy order is AP-1.\nThanks"
    assert separate(text).new_text == text


def test_bottom_posted_reply_after_an_inline_quote_keeps_both_parts() -> None:
    # Thunderbird users answer below the quote: the text after the '>' lines is the new text.
    parts = separate("Maria wrote:\n> Is the box unopened?\n\nYes, still sealed.\n")
    assert parts.new_text == "Yes, still sealed."
    assert parts.quoted_text == "Maria wrote:\n> Is the box unopened?"


def test_text_beyond_the_cap_is_kept_unexamined() -> None:
    # A huge pasted log is not scanned line by line, but none of it is dropped.
    text = "Log follows.\n" + "x" * 80 + "\n" + ("0123456789 " * 9 + "end\n") * (MAX_SEPARATED_CHARS // 100 + 10)
    parts = separate(text)
    assert parts.new_text.startswith("Log follows.")
    assert len(parts.new_text) == len(text.rstrip("\n"))


def test_a_line_longer_than_the_cap_is_kept_as_written() -> None:
    # A 40 MB single-line mail is not scanned, nor broken in the middle of a word.
    text = "refund please my aeropress arrived broken " * (MAX_SEPARATED_CHARS // 40 + 10) + "\n"
    parts = separate(text)
    assert parts.new_text == text.rstrip() and parts.quoted_text == "" and parts.signature == ""


def test_html_blockquotes_become_quoted_lines_and_scripts_disappear() -> None:
    # HTML-only mail is quote-separated like text mail, and scripts or styles never reach agents.
    html = ("<html><head><style>p{color:red}</style></head><body><p>Yes please.</p><script>alert(1)</script>"
            "<div>On Thu, Mar 12, 2026 at 10:14 AM Maria wrote:</div><blockquote>Shall we refund?"
            "<blockquote>Older</blockquote></blockquote></body></html>")
    assert html_to_text(html) == ("Yes please.\n\nOn Thu, Mar 12, 2026 at 10:14 AM Maria wrote:\n\n"
                                  "> Shall we refund?\n>\n> > Older")
    assert separate(html_to_text(html)).new_text == "Yes please."
