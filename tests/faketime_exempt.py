"""A pytest plugin for running the suite on a faked date with libfaketime (docs/benchmarks.md).

libfaketime moves the clock of every process that inherits `LD_PRELOAD`, as a moved system clock
would. Chromium and Playwright's node driver stall under it; this plugin starts them without it.
(Dovecot stays on the faked clock: it would clamp an INTERNALDATE in its future to its own now.)
Load it with `-p faketime_exempt` (`tests/` on `PYTHONPATH`).
"""
from __future__ import annotations

import os
import subprocess
from typing import Any

EXEMPT = ("chromium", "chrome", "node", "playwright")
FAKING = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")

_popen_init = subprocess.Popen.__init__


def _program(args: Any) -> str:
    first = args if isinstance(args, str | bytes | os.PathLike) else (args[0] if args else "")
    return os.path.basename(os.fsdecode(first))


def _init_on_the_real_clock(self: subprocess.Popen[Any], args: Any, *rest: Any, **options: Any) -> None:
    if any(name in _program(args) for name in EXEMPT):
        env = dict(options.get("env") or os.environ)
        for variable in FAKING:
            env.pop(variable, None)
        options["env"] = env
    _popen_init(self, args, *rest, **options)


def pytest_configure() -> None:
    subprocess.Popen.__init__ = _init_on_the_real_clock  # type: ignore[method-assign]


def pytest_unconfigure() -> None:
    subprocess.Popen.__init__ = _popen_init  # type: ignore[method-assign]
