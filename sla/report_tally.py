"""Rolling the report's grouped rows up per queue, per agent and in total.

Every query returns rows grouped (or keyed) by (queue, assignee); a `Tallies` adds each row to
its queue, its agent and the total, so one query serves all three views. Durations are counted
into histograms of whole minutes, and percentiles are taken from them with `percentile_cont`'s
definition (linear interpolation between the two nearest ranks), so SQLite and PostgreSQL agree.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Sequence


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

    def _each(self, queue: str, agent: int | None) -> tuple[Tally, Tally, Tally]:
        by_queue, by_agent = self.queues.get(queue), self.agents.get(agent)
        if by_queue is None:
            by_queue = self.queues[queue] = Tally()
        if by_agent is None:
            by_agent = self.agents[agent] = Tally()
        return by_queue, by_agent, self.total

    def add(self, queue: str, agent: int | None, name: str, n: int) -> None:
        for tally in self._each(queue, agent):
            tally.counts[name] += n

    def add_durations(self, name: str, rows: Iterable[Sequence[Any]]) -> None:
        """Count a stream of (queue, assignee, minutes) rows into the `name` histograms: counted
        once by distinct row (as plain tuples, in C), then rolled up, so a large stream costs
        little Python."""
        for (queue, agent, minutes), n in Counter(map(tuple, rows)).items():
            for tally in self._each(queue, agent):
                tally.histogram(name)[minutes] += n

    def agent_ids(self) -> list[int]:
        return [agent for agent in self.agents if agent is not None]


def keyed(rows: dict[Hashable, Tally], key: Hashable) -> Tally:
    """The tally under `key`, or an empty one (a queue with no tickets in the period)."""
    return rows.get(key) or Tally()
