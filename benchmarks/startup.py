"""Start-up: how much CPU a command spends before it does anything, and how soon the demo serves.

Run: python benchmarks/startup.py [--rounds N]

Each command runs as a fresh process, as a script or a person at a terminal runs it; its user CPU
is read from the kernel (`getrusage` of the finished child), median of N interleaved rounds, next
to the same figure for `python -c "import sqlalchemy.orm"` measured in the same rounds:

| command | target (user CPU, ratio to the baseline) |
|---|---|
| `helpdesk --help` | at most 0.5x |
| `helpdesk sla due --queue ... --received ...` | at most 1.5x |
| `helpdesk stats --json` (an initialised SQLite database) | at most 2x |

Then `helpdesk demo` is started in an empty folder and the seconds until its sign-in page answers
are printed (target: within 5 s on an idle machine); that includes training the router on the
shipped set, which a first start does.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HELPDESK = [sys.executable, "-m", "cli.main"]
BASELINE = [sys.executable, "-c", "import sqlalchemy.orm"]
TARGETS = {"--help": 0.5, "sla due": 1.5, "stats --json": 2.0}


def user_cpu(command: list[str], cwd: Path) -> float:
    """User CPU seconds of one run of `command` (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def commands() -> dict[str, list[str]]:
    return {"--help": [*HELPDESK, "--help"],
            "sla due": [*HELPDESK, "sla", "due", "--queue", "returns", "--received", "2026-11-24T10:00:00-05:00"],
            "stats --json": [*HELPDESK, "stats", "--json"]}


def measure(rounds: int) -> dict[str, float]:
    """Median user CPU per command, the baseline's included, rounds interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = {"baseline": BASELINE, **commands()}
        subprocess.run([*HELPDESK, "init"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, command in runs.items():
                times[name].append(user_cpu(command, folder))
    return {name: statistics.median(values) for name, values in times.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_first_page(timeout: float = 60.0) -> float:
    """Seconds from starting `helpdesk demo` in an empty folder until /login answers 200."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        process = subprocess.Popen([*HELPDESK, "demo", "--port", str(port)], cwd=tmp, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            while time.perf_counter() - began < timeout:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1) as answer:
                        if answer.status == 200:
                            return time.perf_counter() - began
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError(f"helpdesk demo served nothing within {timeout} s")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo's first page")
    args = parser.parse_args()
    medians = measure(args.rounds)
    baseline = medians.pop("baseline")
    print(f"user CPU, median of {args.rounds} rounds")
    print(f"{'command':28} {'seconds':>8} {'ratio':>6} {'target':>7}")
    print(f"{'import sqlalchemy.orm (baseline)':28} {baseline:8.3f} {1.0:6.2f}")
    failed = False
    for name, seconds in medians.items():
        ratio = seconds / baseline
        failed |= ratio > TARGETS[name]
        print(f"{'helpdesk ' + name:28} {seconds:8.3f} {ratio:6.2f} {TARGETS[name]:6.1f}x"
              f"{'' if ratio <= TARGETS[name] else '  OVER'}")
    if not args.no_demo:
        print(f"helpdesk demo, first page: {demo_first_page():.2f} s (target 5 s on an idle machine)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
