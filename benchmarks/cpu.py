"""CPU time from /proc (Linux): of a process with its children, and of the whole machine.

The load test reports how many milliseconds of CPU the console spent per request under load, and
how busy the cores were: a latency figure means little without knowing what else ran beside it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _processes() -> tuple[dict[int, int], dict[int, float]]:
    """Every live process's parent, and its user and system CPU seconds."""
    parents: dict[int, int] = {}
    busy: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
            busy[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    return parents, busy


def process_seconds(root: int) -> float:
    """CPU seconds of `root` and its live descendants (gunicorn's workers)."""
    parents, busy = _processes()
    tree, grew = {root}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | children, bool(children)
    return sum(busy.get(pid, 0.0) for pid in tree)


def database_seconds(database: str) -> float:
    """CPU seconds of the live PostgreSQL backends serving `database` (their title names it)."""
    total = 0.0
    for pid, seconds in _processes()[1].items():
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            total += seconds
    return total


@dataclass(frozen=True)
class MachineTimes:
    """Cumulative busy and total CPU seconds of every core, from /proc/stat."""

    busy: float
    total: float

    @classmethod
    def now(cls) -> MachineTimes:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        idle = ticks[3] + ticks[4]  # idle and iowait
        return cls((sum(ticks) - idle) / _TICK, sum(ticks) / _TICK)

    def busy_cores_since(self, earlier: MachineTimes) -> float:
        """How many cores were busy on average between `earlier` and this reading."""
        share = (self.busy - earlier.busy) / max(1e-9, self.total - earlier.total)
        return share * (os.cpu_count() or 1)
