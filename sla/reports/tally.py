"""Rolling the report's grouped rows up per queue, per agent and in total.

Counts arrive grouped by (queue, assignee); a `Tallies` adds each row to its queue, its agent and
the total, so one query serves all three views. Durations arrive as histograms of whole minutes
per queue and per assignee, and percentiles are taken from them with `percentile_cont`'s definition (linear
interpolation between the two nearest ranks), so SQLite and PostgreSQL agree.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

_Key = TypeVar("_Key", bound=Hashable)


def percentile(histogram: Counter[int], p: float) -> float | None:
    """The p-th percentile (0..1) of the values counted in `histogram`, or None when it is empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = p * (n - 1)
    low, high = math.floor(rank), math.ceil(rank)
    found: dict[int, int] = {}
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        for wanted in (low, high):
            if wanted not in found and wanted < seen:
                found[wanted] = value
        if high in found:
            break
    return found[low] + (rank - low) * (found[high] - found[low])


@dataclass
class Tally:
    """Counts by name, and minute histograms by name, for one queue, agent or the total."""

    counts: Counter[str] = field(default_factory=Counter)
    minutes: dict[str, Counter[int]] = field(default_factory=dict)

    def count(self, name: str) -> int:
        return self.counts[name]

    def histogram(self, name: str) -> Counter[int]:
        found = self.minutes.get(name)
        if found is None:
            found = self.minutes[name] = Counter()
        return found


@dataclass
class Tallies:
    """The tallies of every queue, every assignee (None: unassigned) and the total."""

    queues: dict[str, Tally] = field(default_factory=dict)
    agents: dict[int | None, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    weeks: Counter[tuple[int, str]] = field(default_factory=Counter)  # (Monday's ordinal, met|missed)

    def _queue(self, queue: str) -> Tally:
        found = self.queues.get(queue)
        if found is None:
            found = self.queues[queue] = Tally()
        return found

    def _agent(self, agent: int | None) -> Tally:
        found = self.agents.get(agent)
        if found is None:
            found = self.agents[agent] = Tally()
        return found

    def add(self, queue: str, agent: int | None, name: str, n: int) -> None:
        for tally in (self._queue(queue), self._agent(agent), self.total):
            tally.counts[name] += n

    def add_durations(self, name: str, rows: Iterable[Sequence[Any]]) -> None:
        """Count (by agent, queue, assignee, minutes, tickets) rows into the `name` histograms: a
        queue's rows (by agent 0) into the queue's and the total's, an assignee's into theirs.
        A long period sends a hundred thousand rows, so each key's histograms are looked up once."""
        found: dict[tuple[Any, ...], tuple[Counter[int], ...]] = {}
        for by_agent, queue, agent, minutes, n in rows:
            key = (by_agent, queue, agent)
            histograms = found.get(key)
            if histograms is None:
                histograms = found[key] = (self._agent(agent).histogram(name),) if by_agent else \
                    (self._queue(queue).histogram(name), self.total.histogram(name))
            for histogram in histograms:
                histogram[minutes] += n

    def agent_ids(self) -> list[int]:
        return [agent for agent in self.agents if agent is not None]


def keyed(rows: Mapping[_Key, Tally], key: _Key) -> Tally:
    """The tally under `key`, or an empty one (a queue with no tickets in the period)."""
    return rows.get(key) or Tally()
