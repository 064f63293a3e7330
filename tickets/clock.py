"""The injectable clock: logic takes `now` from here so tests can freeze time."""
from __future__ import annotations

import datetime as dt
from typing import Callable

_frozen: Callable[[], dt.datetime] | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware UTC."""
    return _frozen() if _frozen else dt.datetime.now(dt.timezone.utc)


def freeze(source: Callable[[], dt.datetime] | None) -> None:
    """Make `now()` call `source` (None restores the real clock). For tests and the demo."""
    global _frozen
    _frozen = source
