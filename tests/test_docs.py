"""docs/policies.md stays true: every file, function and test it cites exists.

Each row names the code that keeps a promise and the test that proves it; a rename that forgets the
page would leave a promise pointing at nothing. Paths are checked against the repository, a test
`path::name` (or a following `::name`, for the same file) against its `def`, and a name that
follows a path in "Kept by" against the words of that file.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "docs" / "policies.md"
_CODE = re.compile(r"`([^`]+)`")
_PATH = re.compile(r"^(tickets|web|sla|inbox|routing|cli|services|templates|tests|docs|benchmarks)/[\w./-]+$")
_NAME = re.compile(r"^[A-Za-z_][\w.]*$")


def _rows() -> list[list[str]]:
    """The table rows of the page whose first cell is a promise's ID, split into cells."""
    rows = []
    for line in POLICIES.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and re.fullmatch(r"[A-Z0-9]+-[\d.]+", cells[0]):
            rows.append(cells)
    return rows


def _missing_in(cell: str, tests: bool) -> list[str]:
    """What `cell` cites that does not exist: paths, tests, and names after a path."""
    missing: list[str] = []
    current: Path | None = None
    for token in _CODE.findall(cell):
        path, _, test = token.partition("::")
        if _PATH.match(path):
            current = ROOT / path
            if not current.exists():
                missing.append(path)
                current = None
        elif token.startswith("::"):
            test = token[2:]
        elif not tests and current is not None and current.suffix == ".py" and _NAME.match(token):
            if not re.search(rf"\b{re.escape(token.split('.')[-1])}\b", current.read_text(encoding="utf-8")):
                missing.append(f"{current.relative_to(ROOT)} {token}")
            continue
        else:
            continue
        if test and current is not None and current.is_file() and \
                not re.search(rf"^def {re.escape(test)}\(", current.read_text(encoding="utf-8"), re.M):
            missing.append(f"{current.relative_to(ROOT)}::{test}")
    return missing


def test_every_code_path_and_test_cited_in_policies_exists() -> None:
    # A promise whose code or test was renamed or removed points at nothing: the page must follow.
    rows = _rows()
    assert len(rows) > 30
    missing = [f"{row[0]}: {item}" for row in rows
               for item in _missing_in(row[3], tests=False) + _missing_in(row[4], tests=True)]
    assert missing == []
