"""The one routing decision every package shares: the router makes it, ingestion stores it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The queue for a new ticket, whether its mail is automatic, its order numbers, and why
    (the router's verdict, or a mailbox's default queue when there is no router)."""

    queue: str
    auto: bool = False
    order_numbers: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
