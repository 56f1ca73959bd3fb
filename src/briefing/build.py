"""``briefing build``: check, render everything into a temporary folder, then swap it into place.

A failed build leaves the previous site/ and dist/ untouched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .changes import Changes, HistoryEntry
from .marking import at_ceiling
from .model import Corpus, Pack
from .versioning import VersionInfo


class BuildError(Exception):
    """A problem that stops a build, with a message meant for the analyst."""


def render_site(corpus: Corpus, out: Path, ceiling: str, version: VersionInfo, changes: Changes | None = None,
                history: dict[str, list[HistoryEntry]] | None = None) -> None:
    from .site import build_site

    build_site(at_ceiling(corpus, ceiling), out, ceiling=ceiling, version=version, changes=changes,
               history=history or {})


def render_pack(corpus: Corpus, pack: Pack, version: VersionInfo, changes: Changes | None = None) -> bytes:
    from .pdf import render_pack as render

    return render(at_ceiling(corpus, pack.ceiling), pack, version=version, changes=changes)


def swap(new: Path, target: Path) -> None:
    """Replace target by new as close to atomically as the file system allows."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(corpus: Corpus, version: VersionInfo, *, ceiling: str, site: bool = True,
          packs: list[Pack] | None = None) -> None:
    """Write site/ and dist/ below the corpus root. Raises BuildError; then nothing has been replaced."""
    root = corpus.config.root
    packs = list(corpus.packs.values()) if packs is None else packs
    with tempfile.TemporaryDirectory(prefix=".briefing-build-", dir=root) as tmp:
        work = Path(tmp)
        if site:
            print("building site ...", file=sys.stderr)
            render_site(corpus, work / "site", ceiling, version)
        dist = work / "dist"
        dist.mkdir()
        for pack in packs:
            print(f"rendering pack '{pack.id}' ...", file=sys.stderr)
            (dist / f"{pack.id}.pdf").write_bytes(render_pack(corpus, pack, version))
        if site:
            swap(work / "site", root / "site")
        if packs:
            swap(dist, root / "dist")
