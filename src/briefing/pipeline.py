"""The pipeline shared by every command: load, then check, before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .checks import check
from .loader import load
from .model import Corpus
from .problems import Problems


def load_and_check(root: Path, today: dt.date | None = None) -> tuple[Corpus, Problems]:
    problems = Problems()
    corpus = load(root, problems)
    if not any(p.rule in ("file-missing",) for p in problems.items):
        check(corpus, problems, today)
    return corpus, problems
