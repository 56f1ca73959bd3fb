"""Helpers for checker tests: edit a corpus copy, run the checker, find problems by rule."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from briefing.pipeline import load_and_check
from briefing.problems import Problem

TODAY = dt.date(2024, 11, 1)
CLAIMS = "sources/claims/widgets.yml"
RECORDS = "sources/records.yml"
BIB = "sources/references.bib"


def run(root: Path, today: dt.date = TODAY) -> list[Problem]:
    return load_and_check(root, today)[1].sorted()


def rules(problems: list[Problem]) -> list[str]:
    return [p.rule for p in problems]


def only(problems: list[Problem], rule: str) -> Problem:
    """The one problem with this rule; fails the test otherwise."""
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, f"expected one [{rule}], got: {[str(p) for p in problems]}"
    return found[0]


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    seen = 0
    for number, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not found in {rel}")


def briefing(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the briefing command as a user would, in a child process (``env``: variables set for it)."""
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, check=False,
                          cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})
