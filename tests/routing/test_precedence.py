"""When a message fits several queues: policy sections 2 and 5 decide, and the router says why."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from routing.precedence import Evidence, Outcome, apply
from tickets.decision import Decision

QUEUES = frozenset({"presales.general", "presales.complex", "refunds", "returns", "order.tracking",
                    "complaint.simple", "complaint.complex", "privacy"})
COMPLAINT_FAMILY = frozenset({"refunds", "returns", "complaint.simple", "complaint.complex"})
MONEY = frozenset({"refunds", "returns", "order.tracking", "complaint.simple", "complaint.complex"})


def evidence(text: str, orders: tuple[str, ...] = ()) -> Evidence:
    return Evidence(text, orders, {"complaint.simple": 0.1, "complaint.complex": 0.3})


def test_a_complaint_asking_for_a_refund_is_a_simple_complaint() -> None:
    # The model leans to refunds, but the customer calls it unacceptable: a complaint, quoting them, and a
    # simple one even where the model slightly prefers complex (only the policy's criteria make it complex).
    outcome = apply("refunds", evidence("This is Unacceptable. I want a full refund."), QUEUES)
    assert outcome == Outcome("complaint.simple",
                              ('precedence: a complaint asking for a refund is a complaint ("Unacceptable")',),
                              COMPLAINT_FAMILY)


def test_a_refund_question_without_complaint_words_stays_a_refund() -> None:
    # Asking when the money arrives is not a complaint, and no rule claims the decision.
    assert apply("refunds", evidence("When will my refund arrive?"), QUEUES) == Outcome("refunds")


@pytest.mark.parametrize(("queue", "text", "quoted"), [
    ("order.tracking", "I want to make a formal complaint about the late delivery.", "make a formal complaint"),
    ("presales.general", "This is a complaint about the advice your colleague gave me.", "This is a complaint"),
    ("order.tracking", "Ich möchte mich über Ihren Paketdienst beschweren.",
     "möchte mich über Ihren Paketdienst beschweren"),
    ("returns", "Je souhaite faire une réclamation concernant le retour.", "Je souhaite faire une réclamation"),
    ("order.tracking", "Quiero poner una queja por el retraso.", "Quiero poner una queja"),
])
def test_a_customer_who_says_it_is_a_complaint_makes_one(queue: str, text: str, quoted: str) -> None:
    # "I want to make a formal complaint" is a complaint whatever it is about, in all four languages.
    outcome = apply(queue, evidence(text), QUEUES)
    assert outcome.queue == "complaint.simple"
    assert outcome.reasons == (f'precedence: the customer makes a complaint ("{quoted}")',)


def test_no_complaints_is_not_a_complaint() -> None:
    # A customer with no complaints about the press asking for a return is asking for a return.
    outcome = apply("returns", evidence("No complaints about the press, I just want to return it."), QUEUES)
    assert outcome.queue == "returns"


def test_a_complaint_about_two_orders_is_complex() -> None:
    # Two distinct order numbers in a complaint make it complex, and the reason lists them.
    outcome = apply("complaint.simple", evidence("Both arrived broken.", ("AP-111111", "AP-222222")), QUEUES)
    assert outcome == Outcome("complaint.complex", ("precedence: complaint about 2 orders (AP-111111, AP-222222)",),
                              frozenset({"complaint.simple", "complaint.complex"}))


@pytest.mark.parametrize(("text", "quoted"), [
    ("Both of my orders arrived late and damaged.", "Both of my orders"),
    ("Every single order I placed this year went wrong.", "Every single order"),
    ("Meine beiden Bestellungen kamen beschädigt an.", "beiden Bestellungen"),
    ("Mes deux commandes sont arrivées abîmées.", "deux commandes"),
])
def test_a_complaint_about_several_orders_named_in_words_is_complex(text: str, quoted: str) -> None:
    # "both orders", "every single order": several orders without their numbers still make it complex.
    outcome = apply("complaint.simple", evidence(text), QUEUES)
    assert outcome.queue == "complaint.complex"
    assert outcome.reasons == (f'precedence: complaint about several orders ("{quoted}")',)


@pytest.mark.parametrize(("queue", "text", "word"), [
    ("complaint.simple", "Fix this or I will file a chargeback.", "chargeback"),
    ("refunds", "Otherwise I will dispute the charge with my bank.", "dispute the charge with my bank"),
    ("refunds", "Sonst veranlasse ich eine Rückbuchung.", "Rückbuchung"),
    ("returns", "Sinon je demanderai une rétrofacturation.", "rétrofacturation"),
    ("order.tracking", "Si no llega pediré un contracargo.", "contracargo"),
    ("complaint.simple", "My lawyer will contact you.", "lawyer"),
    ("refunds", "I'm preparing a claim in the small claims court.", "small claims"),
    ("order.tracking", "I'm opening a PayPal dispute today.", "opening a PayPal dispute"),
])
def test_a_chargeback_or_legal_threat_is_a_complex_complaint(queue: str, text: str, word: str) -> None:
    # In any language, a chargeback or legal threat over money or a parcel goes to complex complaints.
    outcome = apply(queue, evidence(text), QUEUES)
    assert outcome.queue == "complaint.complex"
    assert outcome.reasons[-1] == f'precedence: chargeback or legal threat ("{word}")'
    assert outcome.family >= MONEY


def test_an_email_disclaimer_is_not_a_legal_threat() -> None:
    # "may be legally privileged" in a signature threatens nobody.
    text = ("The box was crushed, not happy.\n\nThis email and any attachments are confidential and may be legally "
            "privileged.")
    assert apply("complaint.simple", evidence(text), QUEUES).queue == "complaint.simple"


def test_a_complaint_across_three_departments_is_complex() -> None:
    # Delivery, refunds and customer service in one complaint: it needs cross-department work.
    text = "The courier lost it, the refund never came, and your customer service ignores me."
    outcome = apply("complaint.simple", evidence(text), QUEUES)
    assert outcome.queue == "complaint.complex"
    assert outcome.reasons == (
        "precedence: complaint across departments (delivery, returns/refunds, customer service)",)


@pytest.mark.parametrize(("text", "reason"), [
    ("Does the metal filter fit both the AeroPress Go and the Original? I'd order one for each.",
     'precedence: several models together (Original, Go; "fit")'),
    ("I'd like the XL and a Clear together, plus spare seals.",
     'precedence: several models together (Clear, XL; "together")'),
    ("Can I combine my coupons on one order?", 'precedence: discounts combined ("combine my coupons")'),
    ("Passt die Kappe auf die Original und die Premium?",
     'precedence: several models together (Original, Premium; "Passt")'),
])
def test_several_models_together_or_stacked_discounts_are_complex_presales(text: str, reason: str) -> None:
    # Policy section 2: matching several models and stacking discounts take 3 working days, not 2.
    outcome = apply("presales.general", evidence(text), QUEUES)
    assert outcome == Outcome("presales.complex", (reason,), frozenset({"presales.general", "presales.complex"}))


@pytest.mark.parametrize("text", [
    "Should I buy the Go or the Original? I only want one.",
    "Is the XL dishwasher safe?",
    "Does the metal filter fit my Original?",
    "I need coffee on the go, is the clear plastic BPA free?",
])
def test_choosing_one_model_stays_a_general_question(text: str) -> None:
    # Comparing models to buy one, or one accessory for one press, is a general pre-sales question.
    assert apply("presales.general", evidence(text), QUEUES) == Outcome("presales.general")


def test_a_privacy_request_is_left_alone_even_with_two_orders() -> None:
    # The post-rules only reorder complaints, refunds, returns, tracking and pre-sales; privacy keeps its verdict.
    text = "Delete my data for orders AP-111111 and AP-222222, or chargeback."
    assert apply("privacy", evidence(text, ("AP-111111", "AP-222222")), QUEUES) == Outcome("privacy")


def test_a_post_rule_never_picks_a_queue_the_shop_does_not_have() -> None:
    # A shop without complaint.complex keeps the simple complaint rather than inventing a queue.
    outcome = apply("complaint.simple", evidence("Two broken orders.", ("AP-111111", "AP-222222")),
                    QUEUES - {"complaint.complex"})
    assert outcome == Outcome("complaint.simple")


def test_the_router_applies_precedence_and_says_why(route: Callable[..., Decision]) -> None:
    # End to end: a complaint about two orders and a refund threatening a chargeback land in complex complaints,
    # and the confidence is the model's for the family of queues the rule chose within.
    two = route("I am very disappointed with orders AP-111111 and AP-222222: both arrived damaged.",
                subject="Complaint")
    assert (two.queue, two.unsure) == ("complaint.complex", False)
    assert two.order_numbers == ("AP-111111", "AP-222222")
    threat = route("I returned the press three weeks ago and still no refund. If the money is not back by Friday "
                   "I will file a chargeback.", subject="Refund for order AP-123456")
    assert (threat.queue, threat.unsure) == ("complaint.complex", False)
    assert threat.reasons[-1] == 'precedence: chargeback or legal threat ("chargeback")'
    assert threat.confidence > 0.9
