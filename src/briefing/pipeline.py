"""The pipeline shared by every command: load, then check, before anything is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path

from .checks import check
from .loader import load
from .model import Corpus
from .problems import Problems


def load_and_check(root: Path, today: dt.date | None = None) -> tuple[Corpus, Problems]:
    problems = Problems()
    with collector_paused():
        corpus = load(root, problems)
    if not any(p.rule in ("file-missing",) for p in problems.items):
        check(corpus, problems, today)
    return corpus, problems


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a corpus loads, and none of its objects scanned again afterwards.

    Parsing creates millions of objects and few cycles: each collection would scan everything loaded so far,
    so loading grew faster than the corpus (10k claims took 2.5 times as long as 5k). After loading, the
    objects move to the collector's permanent generation (``gc.freeze``): the corpus lives as long as the
    command anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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
