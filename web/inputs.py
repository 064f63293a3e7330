"""Integers from URLs and forms, range-checked before any query sees them.

A row id beyond what the database stores (PostgreSQL's `integer`, 2**31 - 1; SQLite's 2**63 - 1
would overflow in the driver) must not reach a query: it would be a 500. `<int:...>` in every
route is bounded (`RowIdConverter`: a larger number is a 404, like any id that does not exist),
and query and form values go through `row_id` (Werkzeug's `type=`: a value it refuses counts as
absent, as a word in a number field always has).
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from tickets.errors import InputError

MAX_ROW_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ROW_ID))


def row_id(text: str) -> int:
    """`text` as an id: ASCII digits only, 0 to MAX_ROW_ID; ValueError otherwise."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > _MAX_DIGITS or int(text) > MAX_ROW_ID:
        raise ValueError(f"not an id: {text[:40]!r}")
    return int(text)


def id_named(text: str, what: str) -> int:
    """`text` as an id, or a 400 saying which field was wrong (`what`)."""
    try:
        return row_id(text)
    except ValueError:
        raise InputError(f"{what} must be an id, not {text[:40]!r}") from None


class RowIdConverter(IntegerConverter):
    """`<int:...>` bounded to what the database can store: a larger number matches no route (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)
