"""Business time in SQL: the expressions that read a table of `sla.reports.business_days` rows.

A timestamp column is joined to the row of its UTC day (`epoch_day`); `elapsed` is then E(t), the
business seconds from the origin, and `local_date` the shop's date of t, both plain arithmetic that
SQLite and PostgreSQL evaluate alike (each dialect's spelling is compiled below).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, FromClause, Integer, SQLColumnExpression, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine

from sla.reports.business_days import SLOTS


class _Spelled(FunctionElement[Any]):
    """A function spelled differently per dialect: `spellings` holds PostgreSQL's, then SQLite's,
    with `{}` standing for the parenthesised arguments."""

    inherit_cache = True
    spellings: tuple[str, str]


@compiles(_Spelled)
def _spell(element: _Spelled, compiler: SQLCompiler, **kw: Any) -> str:
    return element.spellings[0].format(compiler.process(element.clause_expr, **kw))


@compiles(_Spelled, "sqlite")
def _spell_sqlite(element: _Spelled, compiler: SQLCompiler, **kw: Any) -> str:
    return element.spellings[1].format(compiler.process(element.clause_expr, **kw))


def _spelled(name: str, kind: TypeEngine[Any], postgresql: str, sqlite: str) -> type[_Spelled]:
    return type(name, (_Spelled,), {"type": kind, "inherit_cache": True, "spellings": (postgresql, sqlite)})


# Seconds since 1970 of a (naive UTC) timestamp column, and its UTC day number (seconds // 86400).
epoch = _spelled("epoch", Float(), "date_part('epoch', {})", "((julianday{} - 2440587.5) * 86400.0)")
epoch_day = _spelled("epoch_day", Integer(), "(CAST({} AS DATE) - DATE '1970-01-01')",
                     "CAST(julianday{} - 2440587.5 AS INTEGER)")
greatest = _spelled("greatest", Float(), "GREATEST{}", "max{}")
least = _spelled("least", Float(), "LEAST{}", "min{}")
# Seconds as whole minutes, halves rounded away from zero on both databases (PostgreSQL's round()
# of a float rounds halves to even, so it rounds a numeric).
whole_minutes = _spelled("whole_minutes", Integer(), "CAST(round(CAST({} / 60.0 AS NUMERIC)) AS INTEGER)",
                         "CAST(round({} / 60.0) AS INTEGER)")
# A column SQLite must not pick an index for (its unary `+`): a filter on it is then checked while
# SQLite reads the index that gives the GROUP BY order, instead of ranging over the column's own
# index and sorting. PostgreSQL plans from statistics and gets the column as is.
unindexed = _spelled("unindexed", Integer(), "{}", "+{}")


def elapsed(days: FromClause, moment: SQLColumnExpression[Any]) -> ColumnElement[float]:
    """E(moment) from the row of `days` joined on the moment's UTC day."""
    t = epoch(moment)
    total: ColumnElement[float] = days.c.base
    for k in range(SLOTS):
        total = total + greatest(0.0, least(t, days.c[f"hi{k}"]) - days.c[f"lo{k}"])
    return total


def local_date(days: FromClause, moment: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """The ordinal of the shop's date of `moment`, from the row of `days` joined on its UTC day."""
    return case((epoch(moment) < days.c.date_split, days.c.date_before), else_=days.c.date_after)
