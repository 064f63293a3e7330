"""The router's reasons and the SLA clocks' history told in plain words for the ticket page.

The router records terse reasons ("model: returns (0.75)", "words: parcel, tracking") and the clock
keeper terse events ("reply", "retargeted"); an agent reads "Its words read most like Returns
(75% sure)" and "Reply deadline moved to Tue 24 Nov 16:00".
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from tickets.models import SlaClock

CLOCK_NAMES = {"reply": "Reply", "triage": "Triage", "resolution": "Resolution", "refund": "Refund"}
_MODEL = re.compile(r"model: (?P<queue>\S+) \((?P<score>[0-9.]+)\)")
_PREFIXES = (("words: ", "Telling words: "), ("precedence: ", "Policy rule: "), ("unsure: ", "Unsure: "),
             ("no model: ", "No trained model: "))


def routing_reason(reason: str, title: Callable[[str], str]) -> str:
    """One router reason as a sentence, with queue names as people say them."""
    model = _MODEL.fullmatch(reason.strip())
    if model:
        return f"Its words read most like {title(model['queue'])} ({float(model['score']):.0%} sure)."
    for prefix, plain in _PREFIXES:
        if reason.startswith(prefix):
            return plain + reason[len(prefix):]
    return reason[:1].upper() + reason[1:]


EVENT_LABELS = {"created": "opened", "customer_message": "customer wrote", "public_reply": "replied",
                "note": "note added", "assigned": "assigned", "status": "status", "rerouted": "moved",
                "queue_confirmed": "queue confirmed", "return_inspected": "returned goods inspected",
                "refund_completed": "refund paid", "merged": "merged", "merged_from": "merged in",
                "delivery_failed": "a reply could not be delivered", "delivery_retried": "delivery retried"}


def event_label(kind: str) -> str:
    """A history entry's kind as a few words ("moved", not "rerouted")."""
    return EVENT_LABELS.get(kind, kind.replace("_", " "))


def clock_name(kind: str) -> str:
    return CLOCK_NAMES.get(kind, kind.capitalize())


def clock_event(data: dict[str, Any], when: Callable[[dt.datetime | None], str]) -> str:
    """One SLA event ("reply clock retargeted: ok") as a sentence about the deadline."""
    name, action = clock_name(str(data.get("clock", ""))), data.get("action")
    due = when(dt.datetime.fromisoformat(data["due_at"])) if data.get("due_at") else ""
    by = f" ({due})" if due else ""
    said = {
        "started": f"{name} deadline set{': due ' + due if due else ''}",
        "paused": f"{name} clock paused while waiting on the customer",
        "resumed": f"{name} clock running again{': due ' + due if due else ''}",
        "stopped": f"{name} deadline {'met' if data.get('state') == 'met' else 'missed'}",
        "retargeted": f"{name} deadline moved{' to ' + due if due else ''}",
        "at_risk": f"{name} deadline close{by}",
        "breached": f"{name} deadline passed{by}",
    }
    return said.get(str(action), f"{name} clock {action}")


def newest_of_each_kind(clocks: Iterable[SlaClock]) -> list[SlaClock]:
    """A customer's second mail starts a second reply clock; the first one, met or missed, is history."""
    ordered = sorted(clocks, key=lambda c: (c.started_at, c.id or 0))
    newest = {c.kind: c for c in ordered}
    return [c for c in ordered if newest[c.kind] is c]
