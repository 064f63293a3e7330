"""The router judged on hand-written mail: accuracy, unsure decisions, auto mail, order numbers.

Used by benchmarks/routing.py (which prints it) and by tests/routing (which holds the router to
it). A mail counts as right when the router's answer is: `auto` for machine mail, unsure for
mail that fits no queue (`none`), and otherwise its choice of queue (`guess`, the queue it would
have picked even when unsure and routing to the mailbox's default queue). Separately: how many
decisions were unsure, how many of those the guess would have got wrong, and how many sure
decisions were wrong.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from routing.calibration import Bin, reliability
from routing.classify import Router
from routing.corpus import AUTO, NO_QUEUE, Parse
from routing.mailsets import Sample
from tickets.decision import Decision


@dataclass(frozen=True)
class Judged:
    """One hand-written mail and what the router made of it."""

    sample: Sample
    decision: Decision

    @property
    def answer(self) -> str:
        """The router's own answer: auto, none (fits no queue), or the queue it chose."""
        if self.decision.auto:
            return AUTO
        return self.decision.guess or (NO_QUEUE if self.decision.unsure else self.decision.queue)

    @property
    def right(self) -> bool:
        if self.sample.queue == NO_QUEUE:
            return self.decision.unsure
        return self.answer == self.sample.queue

    @property
    def orders_right(self) -> bool:
        return self.decision.order_numbers == self.sample.orders


@dataclass(frozen=True)
class Report:
    """The figures of one hand-written set."""

    judged: tuple[Judged, ...]

    def _human(self) -> list[Judged]:
        return [j for j in self.judged if j.sample.queue != AUTO]

    @property
    def accuracy(self) -> float:
        return sum(j.right for j in self.judged) / len(self.judged)

    @property
    def human_marked_auto(self) -> int:
        return sum(j.decision.auto for j in self._human())

    @property
    def auto_missed(self) -> int:
        return sum(not j.decision.auto for j in self.judged if j.sample.queue == AUTO)

    @property
    def orders_accuracy(self) -> float:
        return sum(j.orders_right for j in self.judged) / len(self.judged)

    @property
    def unsure(self) -> int:
        return sum(j.decision.unsure for j in self._human())

    @property
    def unsure_share(self) -> float:
        return self.unsure / len(self._human())

    @property
    def unsure_would_be_wrong(self) -> int:
        """Unsure decisions whose guess was wrong: misroutings the threshold prevented."""
        return sum(j.decision.unsure and j.sample.queue != NO_QUEUE and not j.right for j in self._human())

    @property
    def unsure_of_no_queue(self) -> int:
        """Unsure decisions on mail that fits no queue at all (right to be unsure)."""
        return sum(j.decision.unsure for j in self._human() if j.sample.queue == NO_QUEUE)

    @property
    def sure_but_wrong(self) -> int:
        """Misroutings that got through: sure decisions in the wrong queue."""
        return sum(not j.decision.unsure and not j.right for j in self._human())

    def reliability(self) -> list[Bin]:
        """Confidence against correctness of every human mail's answer (none included)."""
        human = self._human()
        return reliability([j.decision.confidence for j in human], [j.right for j in human])


def judge(router: Router, samples: Sequence[Sample], parse: Parse) -> Report:
    """Route every sample as it arrived (mailbox, sender's earlier tickets) and collect the figures."""
    return Report(tuple(Judged(s, router.decide(parse(s.raw), s.mailbox, s.earlier)) for s in samples))
