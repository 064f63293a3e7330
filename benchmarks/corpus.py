"""The shared mail corpus generator (../shared/bench/make_mail_corpus.py), for benchmarks.

`$HELPDESK_SHARED` names the shared/ folder when it is not beside the repository (a git worktree
elsewhere)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Beside the repository, or where $HELPDESK_SHARED says (a worktree has no shared/ beside it);
# $HELPDESK_CORPUS_GENERATOR names the generator itself, as for the tests.
SHARED = Path(os.environ.get("HELPDESK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
GENERATOR = Path(os.environ.get("HELPDESK_CORPUS_GENERATOR") or SHARED / "bench" / "make_mail_corpus.py")


def make_corpus(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` deterministic customer mails into `out` and return their paths in order."""
    if not GENERATOR.exists():
        sys.exit(f"benchmark needs {GENERATOR} (the shared/ folder beside the repository)")
    subprocess.run([sys.executable, str(GENERATOR), str(out), "--count", str(count), "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return sorted(out.glob("*.eml"))
