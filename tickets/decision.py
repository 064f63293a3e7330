"""The one routing decision every package shares: the router makes it, ingestion stores it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The queue for a new ticket, whether its mail is automatic, its order numbers, and why
    (the router's verdict, or a mailbox's default queue when there is no router).

    `unsure` marks a mail the router could not place with confidence: `queue` is then its mailbox's
    default queue and `guess` the model's best guess (`none` when it finds the mail fits no queue).
    `confidence` is the calibrated probability of that guess (1.0 for auto mail and rules).
    """

    queue: str
    auto: bool = False
    order_numbers: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    unsure: bool = False
    confidence: float = 1.0
    guess: str = ""
