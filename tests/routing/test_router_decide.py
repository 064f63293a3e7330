"""The router on fresh mail: languages, mailboxes, quoted history, reasons and the JSON line."""
from __future__ import annotations

import dataclasses
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
    assert re.fullmatch(r"model: returns \([01]\.\d\d\)", decision.reasons[0])
    words = decision.reasons[1].removeprefix("words: ").split(", ")
    assert decision.reasons[1].startswith("words: ") and 1 <= len(words) <= 3
    assert all(part in "i want to return this press it is unused and still boxed".split()  # words and pairs of words
               for word in words for part in word.split())


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
    # `helpdesk route --json` prints file, queue, auto, order numbers and reasons, then whether the router was
    # unsure, its confidence and its own choice of queue, as JSON-ready values.
    decision = route("Where is order #204981? The tracking hasn't moved for a week.", "Tracking", "support")
    assert route_line("mail/1.eml", decision) == {
        "file": "mail/1.eml", "queue": "order.tracking", "auto": False, "order_numbers": ["AP-204981"],
        "reasons": list(decision.reasons), "unsure": False, "confidence": round(decision.confidence, 3),
        "guess": "order.tracking"}
    assert 0.8 <= decision.confidence <= 1


def test_a_journalist_at_press_fits_no_queue_and_the_router_says_it_is_unsure(route: Callable[..., Decision]) -> None:
    # press@ is the pre-sales mailbox, but an interview request is no pre-sales question: it waits in the
    # mailbox's default queue for an agent, and the router says why.
    decision = route("Hello, I'm a reporter with the Daily Courier writing a story about how people brew coffee at "
                     "home. Could someone from your company give me a short interview by phone this week?\n\n"
                     "Maya Brooks\nReporter, The Daily Courier", "Interview request", "press")
    assert (decision.queue, decision.unsure, decision.guess) == ("presales.general", True, "none")
    assert decision.reasons[-1] == ("unsure: the mail fits none of the queues; the default queue of mailbox press, "
                                    "for triage")


def test_a_follow_up_is_placed_by_the_senders_earlier_tickets(router: Router,
                                                              mail: Callable[..., ParsedMessage]) -> None:
    # "Any news?" says nothing by itself: the router is unsure, unless the sender's earlier ticket tells.
    followup = mail("Hi again, any news on this? Thanks")
    assert router.decide(followup, "support").unsure
    for earlier in ("returns", "wholesale"):
        decision = router.decide(followup, "support", (earlier,))
        assert (decision.queue, decision.unsure) == (earlier, False)


def test_below_the_threshold_the_router_is_unsure_and_keeps_its_guess(
        router: Router, mail: Callable[..., ParsedMessage]) -> None:
    # The same mail is sure under a lenient threshold and unsure under a strict one, which sends it to the
    # mailbox's default queue and names the threshold; the guess is kept for the agent.
    parsed = mail("Can I send the Go back? Bought it last week, it's not for me.", subject="Return")
    sure = router.decide(parsed, "press")
    assert (sure.queue, sure.unsure) == ("returns", False) and sure.confidence < 1
    above = sure.confidence + (1 - sure.confidence) / 2
    strict = dataclasses.replace(router, config=dataclasses.replace(router.config, routing=dataclasses.replace(
        router.config.routing, unsure_below=above)))
    unsure = strict.decide(parsed, "press")
    assert (unsure.queue, unsure.unsure, unsure.guess) == ("presales.general", True, "returns")
    assert unsure.reasons[-1] == (f"unsure: returns at {unsure.confidence:.2f} is below {above:.2f}; the default "
                                  "queue of mailbox press, for triage")


def test_an_unknown_mailbox_is_a_config_error(router: Router, mail: Callable[..., ParsedMessage]) -> None:
    # Routing mail "as if it arrived" in a mailbox that is not configured names the ones that are.
    with pytest.raises(ConfigError, match="unknown mailbox 'sales'"):
        router.decide(mail("hello"), "sales")
