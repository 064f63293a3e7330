"""Automatic mail whose headers say nothing is recognised by its words; people never are."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from routing import mailsets
from routing.automatic import machine_written
from routing.classify import Router
from routing.corpus import Parse
from tickets.decision import Decision
from tickets.mail import ParsedMessage


def test_every_automatic_mail_of_the_hand_written_sets_is_auto_and_no_customer_mail_is(parse: Parse) -> None:
    # Out-of-office replies and delivery failures in a dozen languages, most without any header that says so,
    # are auto mail; none of the 400-odd customer mails (some saying "out of office" or "undeliverable") is.
    samples = mailsets.load(mailsets.CALIBRATION_DIR) + mailsets.load(mailsets.EVALUATION_DIR)
    by_content = 0
    for sample in samples:
        parsed = parse(sample.raw)
        assert parsed.auto == (sample.queue == "auto"), (sample.name, parsed.auto_reason)
        by_content += parsed.auto_reason.startswith("content: ")
    assert by_content >= 40


@pytest.mark.parametrize(("subject", "body", "reason"), [
    ("Automatic reply: Your order", "I am out of the office until 3 December.", "content: automatic reply (subject)"),
    ("自動応答: ご注文", "ただいま不在にしております。", "content: automatic reply (subject)"),
    ("Re: your order", "Dies ist eine automatische Antwort. Ich bin bis zum 4. Dezember im Urlaub.",
     "content: automatic reply (says so)"),
    ("Out of office", "Thank you for your email. I am on leave and will be back in the office on 9 December. For "
                      "urgent matters please contact my colleague.", "content: out-of-office reply"),
    ("Undeliverable: Your refund",
     "Delivery has failed to these recipients:\nkim@example.com\nRemote Server returned '550 5.1.1 User unknown'",
     "content: delivery failure notice"),
    ("No se puede entregar: Reembolso", "No se pudo entregar el mensaje. Código de estado: 550 5.1.1",
     "content: delivery failure notice"),
    ("Delivery Status Notification (Failure)", "Delivery to the following recipient failed permanently: "
     "buyer@shop.example. The email account that you tried to reach does not exist. 550-5.1.1",
     "content: delivery failure notice"),
    ("Absence du bureau: votre commande", "Bonjour, je suis en congés jusqu'au 5 janvier. Pour toute urgence, "
     "merci de contacter mon collègue.", "content: out-of-office reply"),
    ("Re: Twoje zamówienie", "To jest automatyczna odpowiedź. Jestem na urlopie do 8 grudnia.",
     "content: automatic reply (says so)"),
])
def test_automatic_replies_and_delivery_failures_are_recognised_by_their_words(subject: str, body: str,
                                                                                reason: str) -> None:
    # A marker people do not write (a localised auto-reply or non-delivery subject, "this is an automatic
    # reply", a mail server's opening), together with a cue of its own kind, gives it away.
    assert machine_written(subject, body) == reason


@pytest.mark.parametrize(("subject", "body"), [
    ("Out of office next week - hold parcel?", "I'll be out of the office from 1 to 8 December. Could you hold "
                                               "order AP-556120 until I'm back?"),
    ("Return - I'm on holiday", "I'm on holiday until 3 December with limited access to email, but please send the "
                                "return label for order AP-447702."),
    ("Undeliverable?", "The courier says my parcel was undeliverable and could not be delivered to my address."),
    ("RE: Automatic reply: Your order AP-291846", "Sorry, my out of office replied to your email. Where is my parcel?"),
    ("Only an automatic reply", "I only got an automatic reply saying you'd answer within 2 working days."),
    ("your email bounced", "My email bounced back (delivery failed). Is the Clear dishwasher safe?"),
    ("Auto", "My auto-reply is off now. I'm back from vacation until further notice and want to order a press."),
    ("Out of office from tomorrow", "I'm out of the office from tomorrow until 12 December. Before I go: how do I "
                                    "return order AP-552211?"),
    ("This is an automated message?", "Your newsletter says \"this is an automated message\". Unsubscribe me."),
])
def test_customers_who_write_about_absences_or_failed_deliveries_are_not_machines(subject: str, body: str) -> None:
    # The hard constraint: a human mail marked auto is never answered.
    assert machine_written(subject, body) == ""


def test_the_router_sends_headerless_automatic_mail_to_auto(router: Router,
                                                            mail: Callable[..., ParsedMessage]) -> None:
    # An out-of-office reply with no Auto-Submitted header, about an order, is still auto mail: no ticket
    # clock, no acknowledgement.
    parsed = mail("Bonjour, je suis absente jusqu'au 4 décembre inclus. Je vous répondrai à mon retour.",
                  subject="Réponse automatique : Où est ma commande AP-123456 ?")
    decision = router.decide(parsed, "support")
    assert decision == Decision("auto", True, ("AP-123456",), ("auto: content: automatic reply (subject)",))
