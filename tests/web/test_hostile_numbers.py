"""Every route, given numbers no database column can hold (in its path, query string or form), answers
404 or 400 or ignores them: never a 500. The keys tried are every key the console's code reads."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker
from test_console_authz import _url_args
from webclient import Console
from webseed import Desk, Staff

from tickets.clock import FrozenClock
from tickets.config import Config

WEB = Path(__file__).resolve().parents[2] / "web"
HOSTILE = ["9" * 30, str(2**63), str(2**31), "-" + "9" * 30, "\u00b2"]  # 2**31: past PostgreSQL's integer
VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")
SKIPPED = {"static", "auth.logout"}  # no input; signing out would end the test's own session


def read_keys() -> set[str]:
    """Every name the console reads from a query string or form (`.get("after", ...)`, `_text("text")`)."""
    source = "\n".join(path.read_text(encoding="utf-8") for path in WEB.glob("*.py"))
    return set(re.findall(r"""(?:\.get|\.getlist|_text|_date)\(\s*["']([a-z_]+)["']""", source))


def fill(rule: str, args: dict[str, Any], value: str) -> str:
    """The rule's path with `value` in every integer variable and the real rows' values elsewhere."""
    def one(match: re.Match[str]) -> str:
        kind, name = match.groups()
        return value if kind == "int" else str(args.get(name, value))
    return VARIABLE.sub(one, rule)


def test_no_route_answers_500_to_numbers_out_of_range(app: Flask, writer: sessionmaker[Session], web_config: Config,
                                                      desk: Desk, staff: Staff, frozen_clock: FrozenClock) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    args = _url_args(writer, web_config, desk, staff, frozen_clock)
    keys = read_keys()
    assert {"after", "before", "assignee", "ticket", "seen", "to_user", "agent", "images"} <= keys
    admin = Console(app.test_client()).sign_in(staff.admin)
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        known = {**args["*"], **args.get(rule.endpoint, {})}
        for value in HOSTILE:
            fields = {key: value for key in keys}
            paths = {fill(rule.rule, known, value), fill(rule.rule, {}, value)}
            for path in sorted(paths):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = admin.client.open(path, method=method, query_string=fields if method == "GET" else None,
                                                 data=fields if method == "POST" else None)
                    if response.status_code >= 500:
                        failures.append(f"{method} {path} {value}: {response.status_code}")
    assert not failures, "\n".join(failures)
