"""Exponential backoff with full jitter, shared by the IMAP pollers and the SMTP sender.

Jitter spreads the retries of many pollers or senders that failed together (a server restart),
so they do not all knock at the same second (the "full jitter" scheme: a uniform draw below the
exponential ceiling).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays for attempt 1, 2, 3...: uniform in [base/2, min(cap, base * 2**(attempt-1))]."""

    base: float
    cap: float
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(0, min(attempt - 1, 30)))
        return self.rng.uniform(min(self.base / 2, ceiling), ceiling)
