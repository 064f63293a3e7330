"""When a message fits several queues: complaints win over refunds, complex complaints over simple."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from routing.precedence import Evidence, apply
from tickets.decision import Decision

QUEUES = frozenset({"refunds", "returns", "order.tracking", "complaint.simple", "complaint.complex", "privacy"})
SIMPLE_LEANING = {"complaint.simple": 0.2, "complaint.complex": 0.1}


def test_a_complaint_asking_for_a_refund_is_a_complaint() -> None:
    # The model leans to refunds, but the customer calls it unacceptable: a complaint, and the reason quotes them.
    evidence = Evidence("This is unacceptable. I want a full refund.", (), SIMPLE_LEANING)
    queue, reasons = apply("refunds", evidence, QUEUES)
    assert queue == "complaint.simple"
    assert reasons == ('precedence: a complaint asking for a refund is a complaint ("unacceptable")',)


def test_a_refund_question_without_complaint_words_stays_a_refund() -> None:
    # Asking when the money arrives is not a complaint.
    assert apply("refunds", Evidence("When will my refund arrive?", (), SIMPLE_LEANING), QUEUES) == ("refunds", ())


def test_a_complaint_about_two_orders_is_complex() -> None:
    # Two distinct order numbers in a complaint make it complex, and the reason lists them.
    evidence = Evidence("Both arrived broken.", ("AP-111111", "AP-222222"), SIMPLE_LEANING)
    assert apply("complaint.simple", evidence, QUEUES) == (
        "complaint.complex", ("precedence: complaint about 2 orders (AP-111111, AP-222222)",))


@pytest.mark.parametrize(("queue", "text", "word"), [
    ("complaint.simple", "Fix this or I will file a chargeback.", "chargeback"),
    ("refunds", "Otherwise I will dispute the charge with my bank.", "dispute the charge with my bank"),
    ("refunds", "Sonst veranlasse ich eine Rückbuchung.", "Rückbuchung"),
    ("returns", "Sinon je demanderai une rétrofacturation.", "rétrofacturation"),
    ("order.tracking", "Si no llega pediré un contracargo.", "contracargo"),
    ("complaint.simple", "My lawyer will contact you.", "lawyer"),
])
def test_a_chargeback_or_legal_threat_is_a_complex_complaint(queue: str, text: str, word: str) -> None:
    # In any language, a chargeback or legal threat over money or a parcel goes to complex complaints.
    assert apply(queue, Evidence(text, (), SIMPLE_LEANING), QUEUES) == (
        "complaint.complex", (f'precedence: chargeback or legal threat ("{word}")',))


def test_a_complaint_across_three_departments_is_complex() -> None:
    # Delivery, refunds and customer service in one complaint: it needs cross-department work.
    text = "The courier lost it, the refund never came, and your customer service ignores me."
    queue, reasons = apply("complaint.simple", Evidence(text, (), SIMPLE_LEANING), QUEUES)
    assert queue == "complaint.complex"
    assert reasons == ("precedence: complaint across departments (delivery, returns/refunds, customer service)",)


def test_a_privacy_request_is_left_alone_even_with_two_orders() -> None:
    # The post-rules only reorder complaints, refunds, returns and tracking; other queues keep the model's verdict.
    evidence = Evidence("Delete my data for orders AP-111111 and AP-222222, or chargeback.", ("AP-111111", "AP-222222"),
                        SIMPLE_LEANING)
    assert apply("privacy", evidence, QUEUES) == ("privacy", ())


def test_a_post_rule_never_picks_a_queue_the_shop_does_not_have() -> None:
    # A shop without complaint.complex keeps the simple complaint rather than inventing a queue.
    evidence = Evidence("Two broken orders.", ("AP-111111", "AP-222222"), SIMPLE_LEANING)
    assert apply("complaint.simple", evidence, QUEUES - {"complaint.complex"}) == ("complaint.simple", ())


def test_the_router_applies_precedence_and_says_why(route: Callable[..., Decision]) -> None:
    # End to end: a complaint about two orders and a refund threatening a chargeback land in complex complaints.
    two = route("I am very disappointed with orders AP-111111 and AP-222222: both arrived damaged.",
                subject="Complaint")
    assert two.queue == "complaint.complex"
    assert two.order_numbers == ("AP-111111", "AP-222222")
    threat = route("I returned the press three weeks ago and still no refund. If the money is not back by Friday "
                   "I will file a chargeback.", subject="Refund for order AP-123456")
    assert threat.queue == "complaint.complex"
    assert threat.reasons[-1] == 'precedence: chargeback or legal threat ("chargeback")'
