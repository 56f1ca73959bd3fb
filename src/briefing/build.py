"""``briefing build`` and ``briefing pack``: render into a temporary folder, then swap it into place.

Packs first (the site offers them for download), then the site, then the release bundle in dist/: a zip of
the site, manifest.json and SHA256SUMS. A failed build leaves the previous site/ and dist/ untouched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .bundle import site_zip_name, write_manifest, zip_site
from .changes import Changes, HistoryEntry
from .marking import at_ceiling
from .model import Corpus, Pack
from .revisions import RevisionError, changes_since, claim_history, previous_release
from .versioning import VersionInfo


class BuildError(Exception):
    """A problem that stops a build, with a message meant for the analyst."""


@dataclass
class Plan:
    """What one build writes, and against which release it reports changes."""

    ceiling: str
    site: bool = True
    packs: list[Pack] = field(default_factory=list)
    since: str | None = None  # a git revision; None means "no comparison"


def default_since(corpus: Corpus) -> str | None:
    return previous_release(corpus.config.root, corpus.config.release_tags)


class Changelog:
    """Changes since the plan's revision, computed once per marking ceiling."""

    def __init__(self, corpus: Corpus, version: VersionInfo, since: str | None):
        self.corpus, self.version, self.since = corpus, version, since
        self._cache: dict[str, Changes] = {}

    def at(self, ceiling: str) -> Changes | None:
        if self.since is None:
            return None
        if ceiling not in self._cache:
            try:
                self._cache[ceiling] = changes_since(self.corpus.config.root, self.corpus, self.version, self.since,
                                                     ceiling)
            except RevisionError as exc:
                raise BuildError(f"cannot compare with '{self.since}': {exc}") from exc
        return self._cache[ceiling]


def render_site(corpus: Corpus, out: Path, ceiling: str, version: VersionInfo, changes: Changes | None = None,
                history: dict[str, list[HistoryEntry]] | None = None, dist: Path | None = None) -> None:
    """Build the site; the packs in dist that the site's ceiling allows are offered for download."""
    from .site import build_site
    from .site.context import downloads_in

    downloads = downloads_in(dist, corpus, ceiling) if dist else []
    build_site(at_ceiling(corpus, ceiling), out, ceiling=ceiling, version=version, changes=changes,
               history=history or {}, downloads=downloads)


def render_pack(corpus: Corpus, pack: Pack, version: VersionInfo, changes: Changes | None = None) -> bytes:
    from .pdf import render_pack as render

    return render(at_ceiling(corpus, pack.ceiling), pack, version=version, changes=changes)


def swap(pairs: list[tuple[Path, Path]]) -> None:
    """Move each new folder into place of its target; if one move fails, every old folder is put back."""
    moved: list[tuple[Path, Path, Path]] = []
    try:
        for new, target in pairs:
            old = target.with_name(target.name + ".old")
            if old.exists():
                shutil.rmtree(old)
            if target.exists():
                target.rename(old)
            moved.append((new, target, old))
            new.rename(target)
    except OSError as exc:
        for new, target, old in reversed(moved):
            if target.exists() and not new.exists():
                target.rename(new)
            if old.exists():
                old.rename(target)
        raise BuildError(f"could not put the new output in place ({exc}); the previous output is unchanged") from exc
    for _, _, old in moved:
        if old.exists():
            shutil.rmtree(old)


def build(corpus: Corpus, version: VersionInfo, plan: Plan) -> None:
    """Write site/ and dist/ below the corpus root. Raises BuildError; then nothing has been replaced."""
    root = corpus.config.root
    changelog = Changelog(corpus, version, plan.since)
    with tempfile.TemporaryDirectory(prefix=".briefing-build-", dir=root) as tmp:
        work = Path(tmp)
        dist = work / "dist"
        if not plan.site and (root / "dist").is_dir():
            shutil.copytree(root / "dist", dist)  # one pack: keep the others
        dist.mkdir(exist_ok=True)
        written: set[str] = set()
        for pack in plan.packs:
            print(f"rendering pack '{pack.id}' ...", file=sys.stderr)
            (dist / f"{pack.id}.pdf").write_bytes(render_pack(corpus, pack, version, changelog.at(pack.ceiling)))
            written.add(f"{pack.id}.pdf")
        if plan.site:
            print("building site ...", file=sys.stderr)
            history = claim_history(root, corpus, version, plan.ceiling)
            render_site(corpus, work / "site", plan.ceiling, version, changelog.at(plan.ceiling), history, dist)
            for old_zip in dist.glob("site-*.zip"):
                old_zip.unlink()
            zip_site(work / "site", dist / site_zip_name(version), version)
            written.add(site_zip_name(version))
        write_manifest(dist, corpus, version, plan.ceiling, written)
        pairs = [(dist, root / "dist")]
        if plan.site:
            pairs.insert(0, (work / "site", root / "site"))
        swap(pairs)

