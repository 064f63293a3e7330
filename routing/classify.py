"""Which queue a message belongs to, decided in layers, each saying why; and when the router is unsure.

1. Auto mail (the parser's verdict, from headers or content) goes to `auto`; human mail never does.
2. The shop's rules from the config, first match wins.
3. The learned model, then the precedence post-rules (precedence.py) over its calibrated scores.
4. Unsure: when the model's calibrated confidence in its queue is below `[routing] unsure_below`,
   when it finds the mail fits no queue at all (a journalist writing to press@), or when only the
   mailbox points to its queue and the mail's own words point elsewhere, the mail goes to its
   mailbox's default queue marked unsure, for an agent to triage; the acknowledgement then promises
   only what holds for every queue of that mailbox (inbox/acks.py). The model's best guess is kept.
5. Without a usable model: the mailbox's default queue, unsure.

`Router.load` never fails for want of a model: a missing, stale or broken model file is rebuilt in
memory from the shipped training set when a parser is at hand, and without one the router still
routes by rules and mailbox defaults.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from routing import model as model_module
from routing import precedence
from routing.corpus import AUTO, NO_QUEUE, Parse
from routing.extract import OrderPattern
from routing.features import document, example_from_parsed, text_of
from routing.model import ModelFileError, Scored, TextModel
from routing.rules import Rule, compile_rules, first_match
from tickets.config import Config
from tickets.decision import Decision
from tickets.errors import ConfigError
from tickets.mail import ParsedMessage

logger = logging.getLogger(__name__)


def _usable_model(config: Config, parse: Parse | None, now: dt.datetime) -> tuple[TextModel | None, str]:
    """The model file, else one trained in memory on the shipped set, else None; and which it is."""
    path = Path(config.routing.model_path)
    try:
        return model_module.load(path), f"model file {path}"
    except ModelFileError as exc:  # a first start has no file yet: expected, not worth a warning
        (logger.warning if path.exists() else logger.info)("router: %s; falling back", exc)
    if parse is None:
        return None, "no model: no parser to read the shipped training set"
    try:
        model = model_module.train_shipped(parse, now)
    except Exception:  # the last resort must never stop mail: rules and default queues still route
        logger.exception("router: cannot train on the shipped set; routing by rules and mailbox defaults")
        return None, "no model: training on the shipped set failed"
    try:  # keep it, so the next start loads it instead of training again
        model_module.save(model, path)
        return model, f"shipped training set (saved to {path})"
    except OSError as exc:
        logger.warning("router: cannot save the model to %s: %s", path, exc)
        return model, "shipped training set (in memory)"


def order_pattern(config: Config) -> OrderPattern:
    """The shop's order-number pattern from `[routing] order_prefix` and `order_digits`."""
    try:
        return OrderPattern(config.routing.order_prefix, tuple(config.routing.order_digits))
    except ValueError as exc:
        raise ConfigError(f"{config.source}: routing.order_prefix / routing.order_digits: {exc}") from None


def unsure_threshold(config: Config) -> float:
    value = config.routing.unsure_below
    if not 0.0 <= value < 1.0:
        raise ConfigError(f"{config.source}: routing.unsure_below must be at least 0 and below 1, not {value}")
    return value


@dataclass(frozen=True)
class Router:
    """Rules and a model, loaded once and shared: `decide` is pure and safe across threads."""

    config: Config
    rules: tuple[Rule, ...]
    model: TextModel | None
    source: str

    @classmethod
    def load(cls, config: Config, parse: Parse | None, now: dt.datetime) -> Router:
        """Load the config's rules and order pattern (a bad one is a ConfigError) and the best model.

        `parse` (bytes -> ParsedMessage) reads the shipped .eml set when the model file is unusable;
        routing does not import inbox, so the caller passes it; `now` stamps a model trained here.
        """
        rules = compile_rules(config)
        order_pattern(config)
        unsure_threshold(config)
        model, source = _usable_model(config, parse, now)
        logger.info("router: %d rules, %s", len(rules), source)
        return cls(config=config, rules=rules, model=model, source=source)

    @cached_property
    def _learnable(self) -> frozenset[str]:
        """What the model may answer: the configured queues but auto (only the parser decides it), or none."""
        return frozenset(q for q in self.config.queues if q != AUTO) | {NO_QUEUE}

    @cached_property
    def _orders(self) -> OrderPattern:
        return order_pattern(self.config)

    @cached_property
    def _threshold(self) -> float:
        return unsure_threshold(self.config)

    def decide(self, parsed: ParsedMessage, mailbox: str, earlier: tuple[str, ...] = ()) -> Decision:
        """The queue for `parsed`, which arrived at `mailbox` (a ConfigError if unknown).

        `earlier` names the queues of the sender's earlier tickets, newest first, when known.
        """
        default_queue = self.config.mailbox(mailbox).default_queue
        example = example_from_parsed(parsed, mailbox, earlier=earlier)
        orders = self._orders.find(text_of(example))
        if parsed.auto:
            return Decision(AUTO, True, orders, (f"auto: {parsed.auto_reason or 'automatic mail'}",))
        sender = parsed.sender.email if parsed.sender else ""
        rule = first_match(self.rules, mailbox, sender, example.subject, example.text)
        if rule:
            return Decision(rule.queue, False, orders, (f"rule: {rule.label}",))
        if self.model is None:
            return Decision(default_queue, False, orders, (f"default queue of mailbox {mailbox} ({self.source})",),
                            unsure=True, confidence=0.0)
        scored = self.model.score(document(example, orders), self._learnable)
        reasons = [f"model: {scored.best} ({scored.scores[scored.best]:.2f})"]
        if scored.words:
            reasons.append(f"words: {', '.join(scored.words)}")
        if scored.best == NO_QUEUE:
            reasons.append(f"unsure: the mail fits none of the queues; the default queue of mailbox {mailbox}, "
                           "for triage")
            return Decision(default_queue, False, orders, tuple(reasons), unsure=True,
                            confidence=scored.scores[NO_QUEUE], guess=NO_QUEUE)
        if scored.by_content != scored.best:  # the customer's words point elsewhere: the mailbox alone decided
            reasons.append(f"unsure: only the mailbox points to {scored.best}, the words to {scored.by_content}; "
                           f"the default queue of mailbox {mailbox}, for triage")
            return Decision(default_queue, False, orders, tuple(reasons), unsure=True,
                            confidence=scored.scores[scored.best], guess=scored.best)
        return self._settle(scored, precedence.Evidence(text_of(example), orders, scored.scores), mailbox,
                            default_queue, reasons)

    def _settle(self, scored: Scored, evidence: precedence.Evidence, mailbox: str, default_queue: str,
                reasons: list[str]) -> Decision:
        """Precedence over the model's best queue, then sure or unsure by the calibrated confidence."""
        outcome = precedence.apply(scored.best, evidence, self._learnable)
        family = outcome.family or {scored.best}
        confidence = sum(scored.scores.get(queue, 0.0) for queue in family)
        reasons.extend(outcome.reasons)
        if confidence >= self._threshold:
            return Decision(outcome.queue, False, evidence.orders, tuple(reasons), confidence=confidence,
                            guess=outcome.queue)
        reasons.append(f"unsure: {outcome.queue} at {confidence:.2f} is below {self._threshold:.2f}; "
                       f"the default queue of mailbox {mailbox}, for triage")
        return Decision(default_queue, False, evidence.orders, tuple(reasons), unsure=True, confidence=confidence,
                        guess=outcome.queue)


def route_line(file: str, decision: Decision) -> dict[str, Any]:
    """One line of `helpdesk route --json`: {"file","queue","auto","order_numbers","reasons","unsure",
    "confidence","guess"}."""
    return {"file": file, "queue": decision.queue, "auto": decision.auto,
            "order_numbers": list(decision.order_numbers), "reasons": list(decision.reasons),
            "unsure": decision.unsure, "confidence": round(decision.confidence, 3), "guess": decision.guess}
