"""Helpers shared by the routing tests (fixtures live in conftest.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tickets.config import Config, RoutingRule

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)


def with_routing(config: Config, model_path: Path | None = None,
                 rules: tuple[RoutingRule, ...] | None = None) -> Config:
    """`config` with its model file and/or its routing rules replaced."""
    routing = config.routing
    if model_path is not None:
        routing = dataclasses.replace(routing, model_path=str(model_path))
    if rules is not None:
        routing = dataclasses.replace(routing, rules=rules)
    return dataclasses.replace(config, routing=routing)
