"""The shop's own routing rules from the config: checked at load, first match wins."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from routekit import with_routing

from routing.classify import Router
from tickets import config as config_module
from tickets.config import Config, RoutingRule
from tickets.errors import ConfigError
from tickets.mail import ParsedMessage

RULES = (
    RoutingRule(queue="wholesale", name="cafe chain", sender_domain="beanbox.example"),
    RoutingRule(queue="privacy", name="gdpr in subject", subject=r"\bgdpr\b"),
    RoutingRule(queue="complaint.complex", name="press complaints", mailbox="press", body=r"complain"),
    RoutingRule(queue="refunds", name="never reached", sender_domain="beanbox.example"),
)


@pytest.fixture(scope="module")
def ruled(shipped_model_file: Path) -> Router:
    return Router.load(with_routing(Config(), model_path=shipped_model_file, rules=RULES))


def test_the_first_matching_rule_wins(ruled: Router, mail: Callable[..., ParsedMessage]) -> None:
    # Two rules match a sender's domain; the one written first decides, and the reason names it.
    decision = ruled.decide(mail("I want to return my press", sender="Ana <ana@beanbox.example>"), "support")
    assert (decision.queue, decision.reasons) == ("wholesale", ("rule: cafe chain",))


def test_a_sender_domain_rule_covers_subdomains_but_not_lookalikes(ruled: Router,
                                                                  mail: Callable[..., ParsedMessage]) -> None:
    # shop.beanbox.example is the same company; notbeanbox.example is not.
    body = "Please delete my account and all my personal data."
    assert ruled.decide(mail(body, sender="a@shop.beanbox.example"), "support").queue == "wholesale"
    assert ruled.decide(mail(body, sender="a@notbeanbox.example"), "support").reasons[0].startswith("model:")


def test_subject_rules_ignore_case(ruled: Router, mail: Callable[..., ParsedMessage]) -> None:
    # "GDPR" in a subject matches the rule written as gdpr, whatever the body says.
    decision = ruled.decide(mail("Where is my parcel? Order AP-123456", subject="GDPR question"), "support")
    assert (decision.queue, decision.reasons) == ("privacy", ("rule: gdpr in subject",))


def test_every_condition_of_a_rule_must_hold(ruled: Router, mail: Callable[..., ParsedMessage]) -> None:
    # The press-complaints rule needs both the press mailbox and the word: support@ mail goes to the model.
    body = "I want to complain: the AeroPress arrived scratched."
    assert ruled.decide(mail(body), "press").reasons == ("rule: press complaints",)
    assert ruled.decide(mail(body), "support").reasons[0].startswith("model:")


def test_auto_mail_is_auto_before_any_rule(ruled: Router, mail: Callable[..., ParsedMessage]) -> None:
    # An out-of-office reply from a ruled domain is still auto mail, with the parser's reason.
    ooo = mail("I am out of the office until Monday.", subject="Automatic reply: your order",
               sender="ana@beanbox.example", headers={"Auto-Submitted": "auto-replied"})
    decision = ruled.decide(ooo, "support")
    assert (decision.queue, decision.auto) == ("auto", True)
    assert decision.reasons == (f"auto: {ooo.auto_reason}",)


@pytest.mark.parametrize(("rule", "message"), [
    (RoutingRule(queue="returns", body="(unclosed"), "routing.rules[0].body is not a valid regular expression"),
    (RoutingRule(queue="no.such.queue", subject="x"), "routing.rules[0].queue names unknown queue 'no.such.queue'"),
    (RoutingRule(queue="returns", mailbox="sales", subject="x"), "names unknown mailbox 'sales'"),
    (RoutingRule(queue="returns"), "routing.rules[0] has no condition"),
])
def test_a_bad_rule_is_a_config_error_naming_it(rule: RoutingRule, message: str) -> None:
    # A typo in a rule stops the router from loading with one line that says where, not a crash on a mail.
    with pytest.raises(ConfigError) as caught:
        Router.load(with_routing(Config(), rules=(rule,)))
    assert message in str(caught.value)


def test_rules_written_in_the_config_file_route_mail(tmp_path: Path, shipped_model_file: Path,
                                                     mail: Callable[..., ParsedMessage]) -> None:
    # [[routing.rules]] tables in config.toml are read in order and applied.
    path = tmp_path / "config.toml"
    path.write_text(f"""
[routing]
model_path = "{shipped_model_file}"
[[routing.rules]]
name = "invoices"
queue = "refunds"
subject = "^invoice"
[[routing.rules]]
name = "everything else from the marketplace"
queue = "order.tracking"
sender_domain = "marketplace.example"
""", encoding="utf-8")
    router = Router.load(config_module.load(path))
    assert router.decide(mail("hello", subject="Invoice 7", sender="x@marketplace.example"), "press").queue == "refunds"
    assert router.decide(mail("hello", subject="Question", sender="x@marketplace.example"), "press").queue == \
        "order.tracking"
