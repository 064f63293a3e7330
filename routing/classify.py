"""Which queue a message belongs to, decided in layers, each saying why.

1. Auto mail (the parser's verdict from headers) goes to `auto`; human mail is never marked auto.
2. The shop's rules from the config, first match wins.
3. The learned model, then the precedence post-rules (precedence.py) over its scores.
4. Without a usable model: the mailbox's default queue.

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
from routing.corpus import AUTO, Parse
from routing.extract import order_numbers
from routing.features import document, example_from_parsed, text_of
from routing.model import ModelFileError, TextModel
from routing.rules import Rule, compile_rules, first_match
from tickets.config import Config
from tickets.decision import Decision
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


@dataclass(frozen=True)
class Router:
    """Rules and a model, loaded once and shared: `decide` is pure and safe across threads."""

    config: Config
    rules: tuple[Rule, ...]
    model: TextModel | None
    source: str

    @classmethod
    def load(cls, config: Config, parse: Parse | None, now: dt.datetime) -> Router:
        """Load the config's rules (a bad rule is a ConfigError) and the best available model.

        `parse` (bytes -> ParsedMessage) reads the shipped .eml set when the model file is unusable;
        routing does not import inbox, so the caller passes it; `now` stamps a model trained here.
        """
        rules = compile_rules(config)
        model, source = _usable_model(config, parse, now)
        logger.info("router: %d rules, %s", len(rules), source)
        return cls(config=config, rules=rules, model=model, source=source)

    @cached_property
    def _learnable(self) -> frozenset[str]:
        """The configured queues the model may answer: all but auto, which only headers decide."""
        return frozenset(q for q in self.config.queues if q != AUTO)

    def decide(self, parsed: ParsedMessage, mailbox: str) -> Decision:
        """The queue for `parsed`, which arrived at `mailbox` (a ConfigError if unknown)."""
        default_queue = self.config.mailbox(mailbox).default_queue
        example = example_from_parsed(parsed, mailbox)
        orders = order_numbers(text_of(example))
        if parsed.auto:
            return Decision(AUTO, True, orders, (f"auto: {parsed.auto_reason or 'automatic mail'}",))
        sender = parsed.sender.email if parsed.sender else ""
        rule = first_match(self.rules, mailbox, sender, example.subject, example.text)
        if rule:
            return Decision(rule.queue, False, orders, (f"rule: {rule.label}",))
        if self.model is None:
            return Decision(default_queue, False, orders, (f"default queue of mailbox {mailbox} ({self.source})",))
        scored = self.model.score(document(example, orders), self._learnable)
        reasons = [f"model: {scored.best} ({scored.scores[scored.best]:.2f})"]
        if scored.words:
            reasons.append(f"words: {', '.join(scored.words)}")
        evidence = precedence.Evidence(text_of(example), orders, scored.scores)
        queue, why = precedence.apply(scored.best, evidence, self._learnable)
        return Decision(queue, False, orders, (*reasons, *why))


def route_line(file: str, decision: Decision) -> dict[str, Any]:
    """One line of `helpdesk route --json`: {"file","queue","auto","order_numbers","reasons"}."""
    return {"file": file, "queue": decision.queue, "auto": decision.auto,
            "order_numbers": list(decision.order_numbers), "reasons": list(decision.reasons)}
