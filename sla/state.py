"""A clock's state at a moment, from its deadline: what every page shows.

The `sla-check` job stores at_risk and breached as time passes and notifies once per change, but
it runs only every `[sla] check_interval_seconds`, and not at all while the scheduler is down. A
page that showed the stored state could say "ok" beside "overdue by 4 working days"; pages
compute a running clock's state from its `warn_at` and `due_at` at the moment of display instead.
A paused or stopped clock keeps its stored state (its deadline is not counting down).
"""
from __future__ import annotations

import datetime as dt

STATES = ("ok", "at_risk", "breached")


def state_at(running: bool, stored: str, warn_at: dt.datetime | None, due_at: dt.datetime | None,
             now: dt.datetime) -> str:
    """'breached' past the deadline, 'at_risk' past the warning, else 'ok'; the stored state if not running."""
    if not running:
        return stored
    if due_at is not None and due_at <= now:
        return "breached"
    if warn_at is not None and warn_at <= now:
        return "at_risk"
    return "ok"
