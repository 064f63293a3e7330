"""A huge mail costs the router what a long ordinary one does: it reads a bounded prefix."""
from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Callable

import pytest

from routing.classify import Router
from routing.features import TEXT_CHARS
from tickets.mail import ParsedMessage

MEGABYTE = 1024 * 1024


@pytest.mark.parametrize("shape", ["one word", "one line"])
def test_a_huge_text_is_classified_from_its_opening_with_bounded_memory(
        router: Router, mail: Callable[..., ParsedMessage], shape: str) -> None:
    # A 4 MB one-word or one-line mail (character n-grams over it took gigabytes) is routed as its opening
    # alone would be, allocating a few megabytes at most.
    opening = "Where is my order AP-123456? The tracking has not moved for two weeks. "
    filler = "x" * (4 * MEGABYTE) if shape == "one word" else "and still nothing " * (4 * MEGABYTE // 18)
    small = mail(opening)
    huge = dataclasses.replace(small, text=opening + filler, new_text=opening + filler)
    prefix = dataclasses.replace(small, text=(opening + filler)[:TEXT_CHARS], new_text=(opening + filler)[:TEXT_CHARS])
    tracemalloc.start()
    try:
        decision = router.decide(huge, "support")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decision == router.decide(prefix, "support")
    assert decision.queue == "order.tracking" and decision.order_numbers == ("AP-123456",)
    assert peak < 8 * MEGABYTE
