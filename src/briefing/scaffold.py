"""``briefing init DIR``: write a small, complete corpus that checks clean and builds, to start from.

The starter corpus is package data (``briefing/starter/``): a fictional ferry crossing with one record of each
kind, a narrative page, ``mkdocs.yml``, ``.gitignore`` and a local archive holding one source's copy. Review dates
and the pack's cut-off are set to the day it is written, so ``briefing check --strict`` passes at once.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

STARTER = "starter"
RENAMED = {"gitignore": ".gitignore"}  # dot files do not travel well as package data
TODAY = "@TODAY@"


class InitError(Exception):
    """The folder cannot take a new corpus; nothing was written."""


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("__", ".")):
            continue
        name = RENAMED.get(entry.name, entry.name) if not prefix else entry.name
        if entry.is_dir():
            found.extend(_files(entry, f"{prefix}{name}/"))
        else:
            found.append((f"{prefix}{name}", entry.read_bytes()))
    return found


def starter_files(today: dt.date) -> list[tuple[str, bytes]]:
    """(path, content) of every file of the starter corpus, dated today."""
    stamp = today.isoformat().encode()
    return [(path, data.replace(TODAY.encode(), stamp)) for path, data in
            _files(resources.files("briefing").joinpath(STARTER))]


def init(target: Path, today: dt.date | None = None) -> list[Path]:
    """Write the starter corpus into target (a new or empty folder); return the files written."""
    if target.exists() and not target.is_dir():
        raise InitError(f"'{target}' exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise InitError(f"'{target}' is not empty: 'briefing init' writes only into a new or empty folder, so "
                        "that nothing is overwritten")
    files = starter_files(today or dt.date.today())
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path, data in files:
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("xb") as handle:  # never overwrite, even if something appeared meanwhile
            handle.write(data)
        written.append(out)
    return written
