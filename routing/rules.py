"""Routing rules from the config (`[[routing.rules]]`): the shop's own overrides of the model.

A rule names a queue and any of: a mailbox, a sender domain (which also matches its subdomains),
a subject regex and a body regex (both case-insensitive, searched anywhere; the body is what the
sender wrote in this message, not the history it quotes). Every condition a rule gives must hold;
rules are tried in the order written and the first match wins. A rule is checked when the router
loads, so a typo in a regex is a config error, not a crash on the next mail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tickets.config import Config, RoutingRule
from tickets.errors import ConfigError


@dataclass(frozen=True)
class Rule:
    """A config rule with its regexes compiled and a label for the routing reasons."""

    queue: str
    label: str
    mailbox: str
    sender_domain: str
    subject: re.Pattern[str] | None
    body: re.Pattern[str] | None

    def matches(self, mailbox: str, sender: str, subject: str, body: str) -> bool:
        """True when every condition the rule gives holds for this message."""
        domain = sender.rpartition("@")[2].lower()
        return ((not self.mailbox or self.mailbox == mailbox)
                and (not self.sender_domain or domain == self.sender_domain
                     or domain.endswith("." + self.sender_domain))
                and (self.subject is None or self.subject.search(subject) is not None)
                and (self.body is None or self.body.search(body) is not None))


def _regex(rule: RoutingRule, key: str, where: str) -> re.Pattern[str] | None:
    pattern = getattr(rule, key)
    if not pattern:
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}.{key} is not a valid regular expression: {exc}") from None


def compile_rule(rule: RoutingRule, index: int, config: Config) -> Rule:
    """One config rule, checked: a known queue and mailbox, at least one condition, valid regexes."""
    where = f"{config.source}: routing.rules[{index}]"
    if rule.queue not in config.queues:
        raise ConfigError(f"{where}.queue names unknown queue {rule.queue!r}")
    if rule.mailbox and rule.mailbox not in config.mailboxes:
        raise ConfigError(f"{where}.mailbox names unknown mailbox {rule.mailbox!r}")
    if not (rule.mailbox or rule.sender_domain or rule.subject or rule.body):
        raise ConfigError(f"{where} has no condition (give mailbox, sender_domain, subject or body)")
    label = rule.name or f"routing.rules[{index}]"
    return Rule(queue=rule.queue, label=label, mailbox=rule.mailbox,
                sender_domain=rule.sender_domain.lower().lstrip("@"),
                subject=_regex(rule, "subject", where), body=_regex(rule, "body", where))


def compile_rules(config: Config) -> tuple[Rule, ...]:
    """All config rules in their written order."""
    return tuple(compile_rule(rule, index, config) for index, rule in enumerate(config.routing.rules))


def first_match(rules: tuple[Rule, ...], mailbox: str, sender: str, subject: str, body: str) -> Rule | None:
    """The first rule whose conditions all hold, or None."""
    return next((rule for rule in rules if rule.matches(mailbox, sender, subject, body)), None)
