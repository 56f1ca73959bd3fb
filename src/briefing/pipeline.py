"""The pipeline shared by every command: load, then check, before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .checks import check
from .loader import load
from .model import Corpus
from .problems import Problems


def load_and_check(root: Path, today: dt.date | None = None, shared: bool = False) -> tuple[Corpus, Problems]:
    """The corpus below root and its problems (``shared``: see ``loader.load``)."""
    problems = Problems()
    corpus = load(root, problems, shared=shared)
    if not any(p.rule in ("file-missing",) for p in problems.items):
        check(corpus, problems, today)
    return corpus, problems


def find_root(start: Path) -> Path | None:
    """The corpus root holding start, found as git finds a repository: the nearest folder, from start upwards,
    holding sources/corpus.yml; failing that, the nearest holding a sources/ folder. None when there is none."""
    folders = [start.absolute(), *start.absolute().parents]
    for folder in folders:
        if (folder / "sources" / "corpus.yml").is_file():
            return folder
    for folder in folders:
        if (folder / "sources").is_dir():
            return folder
    return None
