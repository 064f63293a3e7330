"""The router on fresh mail: languages, mailboxes, quoted history, reasons and the JSON line."""
from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage

import pytest

from routing.classify import Router, route_line
from routing.corpus import Parse
from tickets.decision import Decision
from tickets.errors import ConfigError
from tickets.mail import ParsedMessage


@pytest.mark.parametrize(("mailbox", "subject", "body", "queue"), [
    ("press", "Clear", "Is the AeroPress Clear dishwasher safe? I'd like to know before buying one.",
     "presales.general"),
    ("support", "Order AP-204981", "The tracking for my parcel hasn't moved in ten days. Where is it?",
     "order.tracking"),
    ("support", "", "Please erase my account and every bit of personal data you keep on me.", "privacy"),
    ("support", "Rücksendung", "Hallo, ich möchte meine AeroPress Go zurückschicken, sie ist noch originalverpackt. "
                               "Bestellung AP-123456.", "returns"),
    ("support", "Paket", "Mein Paket ist seit zehn Tagen unterwegs und die Sendungsverfolgung zeigt nichts Neues.",
     "order.tracking"),
    ("support", "Devolución", "Quiero devolver la cafetera, no la he usado. ¿Cómo hago la devolución? Pedido 556677.",
     "returns"),
    ("support", "Datos", "Por favor, borren mi cuenta y todos mis datos personales.", "privacy"),
    ("support", "Remboursement", "Bonjour, où en est mon remboursement ? J'ai renvoyé le colis il y a deux semaines.",
     "refunds"),
    ("wholesale", "Revente", "Nous sommes un café à Lyon et souhaitons acheter 100 AeroPress pour la revente. "
                             "Quels sont vos prix de gros ?", "wholesale"),
])
def test_mail_in_four_languages_reaches_its_queue(route: Callable[..., Decision], mailbox: str, subject: str,
                                                  body: str, queue: str) -> None:
    # English, German, Spanish and French mail, none of it in the training set, is routed by what it asks.
    assert route(body, subject, mailbox).queue == queue


def test_the_mailbox_tilts_but_does_not_decide(route: Callable[..., Decision]) -> None:
    # press@ is pre-sales, yet a return sent there is a return; a wholesale enquiry is wholesale anywhere.
    assert route("I'd like to return the AeroPress XL from order AP-381204, it's unused and still boxed.",
                 "Return", "press").queue == "returns"
    assert route("We run three coffee shops and want a wholesale price list for 200 units to resell.",
                 "Bulk order", "support").queue == "wholesale"


def test_the_new_text_decides_not_the_quoted_history(route: Callable[..., Decision]) -> None:
    # A refund question on top of our quoted return authorisation and order confirmation is about the refund,
    # and only the order the customer names in the new text is listed.
    body = ("When will my refund arrive? You received the parcel for order AP-777777 last week.\n\n"
            "On Monday, aeropressmall.com <support@aeropressmall.com> wrote:\n"
            "> Your return authorization number is RA-1234. Please send the parcel to our return warehouse.\n"
            "> Thanks for your order AP-888888: 1x AeroPress Go. Return within 60 days for free.\n")
    decision = route(body, "Re: your return")
    assert decision.queue == "refunds"
    assert decision.order_numbers == ("AP-777777",)


def test_html_only_mail_routes_by_its_text(router: Router, parse: Parse) -> None:
    # A mail with only an HTML part is routed on its converted text.
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.com", "support@aeropressmall.com", "Hello"
    msg.set_content("<html><body><p>Please <b>unsubscribe</b> me from your newsletter and delete my "
                    "data.</p></body></html>", subtype="html")
    assert router.decide(parse(msg.as_bytes()), "support").queue == "privacy"


def test_reasons_name_the_model_score_and_the_words_that_weighed(route: Callable[..., Decision]) -> None:
    # The console shows why: the model's queue with its probability, then the mail's own words.
    decision = route("I want to return this press, it is unused and still boxed.", "Return", "support")
    assert decision.queue == "returns"
    assert re.fullmatch(r"model: returns \(0\.\d\d\)", decision.reasons[0])
    words = decision.reasons[1].removeprefix("words: ").split(", ")
    assert decision.reasons[1].startswith("words: ") and 1 <= len(words) <= 3
    assert all(word in "return this press unused still boxed" for word in words)


def test_human_mail_is_never_auto(route: Callable[..., Decision]) -> None:
    # Words like "out of office" or "unsubscribe" never make a customer's own mail auto mail.
    decision = route("I'm out of the office next week, so please unsubscribe me from the newsletter.", "noreply?")
    assert decision.auto is False and decision.queue != "auto"


def test_auto_mail_goes_to_auto_with_the_parsers_reason(router: Router,
                                                        mail: Callable[..., ParsedMessage]) -> None:
    # A carrier's noreply notice about a delayed parcel is auto mail, however much it reads like tracking.
    notice = mail("Your parcel AP-123456 is delayed.", subject="Delivery update", sender="UPS <no-reply@ups.com>")
    assert router.decide(notice, "support") == Decision("auto", True, ("AP-123456",), (f"auto: {notice.auto_reason}",))


def test_the_route_json_line(route: Callable[..., Decision]) -> None:
    # `helpdesk route --json` prints file, queue, auto, order numbers and reasons, as JSON-ready values.
    decision = route("Where is order #204981?", "Tracking", "support")
    assert route_line("mail/1.eml", decision) == {
        "file": "mail/1.eml", "queue": decision.queue, "auto": False, "order_numbers": ["AP-204981"],
        "reasons": list(decision.reasons)}


def test_an_unknown_mailbox_is_a_config_error(router: Router, mail: Callable[..., ParsedMessage]) -> None:
    # Routing mail "as if it arrived" in a mailbox that is not configured names the ones that are.
    with pytest.raises(ConfigError, match="unknown mailbox 'sales'"):
        router.decide(mail("hello"), "sales")
