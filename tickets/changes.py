"""What a flush changes on an object: for the session listeners that keep derived data current
(the search index, the stored report figures)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import inspect


def changed(obj: Any, names: tuple[str, ...]) -> bool:
    """Whether any of these attributes has a change waiting in this flush."""
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def values(obj: Any, name: str) -> list[Any]:
    """The attribute's old and new values (a message moved by a merge touches both tickets)."""
    return list(inspect(obj).attrs[name].history.sum())
