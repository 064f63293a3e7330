"""Routing fixtures: the real parser, and a router trained once per session on the shipped set."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from mailfactory import make_mail
from routekit import NOW, with_routing

from inbox.parse import parse_message
from routing.classify import Router
from routing.corpus import Parse
from tickets.config import Config
from tickets.decision import Decision
from tickets.mail import ParsedMessage


@pytest.fixture(scope="session")
def parse() -> Parse:
    return partial(parse_message, now=NOW, our_addresses=Config().our_addresses())


@pytest.fixture(scope="session")
def shipped_model_file(router_model: Path) -> Path:
    """The shipped training split's model, trained once per test session (tests/conftest.py)."""
    return router_model


@pytest.fixture(scope="session")
def router(shipped_model_file: Path) -> Router:
    return Router.load(with_routing(Config(), model_path=shipped_model_file), None, NOW)


@pytest.fixture(scope="session")
def mail(parse: Parse) -> Callable[..., ParsedMessage]:
    """A parsed customer mail: `mail("body", subject="...", headers={...})`."""
    def build(body: str, subject: str = "", sender: str = "Kim Lee <kim@example.com>",
              headers: dict[str, str] | None = None) -> ParsedMessage:
        return parse(make_mail(sender=sender, subject=subject, body=body, headers=headers))
    return build


@pytest.fixture(scope="session")
def route(router: Router, mail: Callable[..., ParsedMessage]) -> Callable[..., Decision]:
    """Route a mail built from text: `route("body", subject="...", mailbox="press")`."""
    def decide(body: str, subject: str = "", mailbox: str = "support", **options: object) -> Decision:
        return router.decide(mail(body, subject, **options), mailbox)
    return decide
