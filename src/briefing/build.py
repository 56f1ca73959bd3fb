"""``briefing build`` and ``briefing pack``: render into a temporary folder, then swap it into place.

Packs render in worker processes while the site builds (``parallel.Rendering``); the site's Downloads page is
built last and waits for them. Then the release bundle in dist/: a zip of the site, manifest.json and SHA256SUMS.
A failed build leaves the previous site/ and dist/ untouched, and site/ and dist/ exist at every instant: each is
exchanged with its new version in one atomic step (``outputs.exchange``). Leftovers of an interrupted build are
removed by the next one.
"""

from __future__ import annotations

import errno
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import console, outputs, parallel
from .bundle import SIGNATURE, listed, site_zip_name, vouched, write_manifest
from .changes import Changes
from .errors import BuildError
from .marking import at_ceiling
from .model import Corpus, Pack
from .revisions import RevisionError, changes_since, claim_history, previous_release
from .sitezip import zip_site
from .versioning import VersionInfo

if TYPE_CHECKING:
    from .pdf.parts import Part
    from .site.context import SiteInput

__all__ = ["BuildError", "Plan", "build", "default_since"]


ENGINES = ("mkdocs", "zensical")  # what may build the site: see briefing.site.build_site


@dataclass
class Plan:
    """What one build writes, and against which release it reports changes."""

    ceiling: str
    site: bool = True
    packs: list[Pack] = field(default_factory=list)
    since: str | None = None  # a git revision; None means "no comparison"
    engine: str = "mkdocs"  # or "zensical": see briefing.site.build_site


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


def site_input(corpus: Corpus, version: VersionInfo, ceiling: str, changelog: Changelog,
               dist: Path | None, rendering: Collection[Part] = ()) -> SiteInput:
    """Everything a site build needs, for ``briefing build`` and the MkDocs plugin alike: the corpus cut to the
    ceiling, each claim's history, the changes since a revision (computed once per ceiling by the changelog the
    packs share) and the packs in dist the ceiling allows, with their annexes (and those still ``rendering``)."""
    from .site.context import SiteInput, downloads_in  # imported when needed: 'check' loads no site code

    root = corpus.config.root
    downloads = downloads_in(dist, corpus, ceiling, rendering) if dist else []
    return SiteInput(at_ceiling(corpus, ceiling), ceiling, version, changelog.at(ceiling),
                     claim_history(root, corpus, version, ceiling), downloads)


def pack_parts(corpus: Corpus, packs: list[Pack], dist: Path) -> list[tuple[Corpus, Pack, Part]]:
    """Every PDF of these packs: each pack and its annexes, with the corpus cut to the pack's ceiling (once per
    ceiling). Raises BuildError when two PDFs would have one name (as a file system that ignores case sees it): two
    of these, or one of these and a file of another pack (its PDF, or an annex of it that dist/ keeps)."""
    from .pdf.parts import parts  # imported when needed: 'check' does not load Typst

    rendering = {p.id for p in packs}
    named = {f"{p.id}.pdf".casefold(): f"dist/{p.id}.pdf, the PDF of pack '{p.id}'" for p in corpus.packs.values()
             if p.id not in rendering}
    named.update({name.casefold(): f"dist/{name}, an annex of pack '{entry['pack']}' kept from an earlier build "
                  f"(build it again with 'briefing pack {entry['pack']}' or 'briefing build')"
                  for name, entry in listed(dist).items()
                  if entry.get("kind") == "annex" and entry.get("pack") in corpus.packs.keys() - rendering})
    cuts: dict[str, Corpus] = {}
    out: list[tuple[Corpus, Pack, Part]] = []
    for pack in packs:
        if pack.ceiling not in cuts:
            cuts[pack.ceiling] = at_ceiling(corpus, pack.ceiling)
        cut = cuts[pack.ceiling]
        for part in parts(cut, pack):
            title = " ".join(part.title.split())
            what = f"the annex '{title}' of pack '{pack.id}'" if part.annex else f"the PDF of pack '{pack.id}'"
            key = part.file.casefold()
            if key in named:
                raise BuildError(f"{what} would be written to dist/{part.file}, the name (ignoring case) of "
                                 f"{named[key]}; rename a pack or a theme")
            named[key] = f"dist/{part.file}, {what}"
            out.append((cut, pack, part))
    return out


def build(corpus: Corpus, version: VersionInfo, plan: Plan) -> None:
    """Write site/ and dist/ below the corpus root. Raises BuildError; then nothing has been replaced."""
    root = corpus.config.root
    try:
        with outputs.workspace(root) as work:
            _render(corpus, version, plan, work)
            outputs.install(work, root, ["site", "dist"] if plan.site else ["dist"])
    except OSError as exc:
        raise BuildError(_os_message(exc)) from exc


def _render(corpus: Corpus, version: VersionInfo, plan: Plan, work: Path) -> None:
    root = corpus.config.root
    changelog = Changelog(corpus, version, plan.since)
    dist = work / "dist"
    if not plan.site:  # one pack: dist/ keeps the other files (the old signature no longer holds)
        for name in outputs.copy_files(root / "dist", dist):
            console.say(f"warning: {name} is not a regular file of the corpus (a link, a folder …): left out of "
                        "the new dist/", "warning")
        (dist / SIGNATURE).unlink(missing_ok=True)
    dist.mkdir(exist_ok=True)
    documents = pack_parts(corpus, plan.packs, dist)
    rendered = {p.id for p in plan.packs}
    for name, entry in listed(dist).items():  # 'briefing pack': the annexes this pack had before go with it
        if entry.get("kind") == "annex" and entry.get("pack") in rendered and vouched(name, entry, corpus.packs):
            (dist / name).unlink(missing_ok=True)
    written: set[str] = set()
    jobs = [(cut, pack, changelog.at(pack.ceiling), part) for cut, pack, part in documents]
    for _, pack, part in documents:
        if not part.annex:  # the pack's own PDF, which lists its annexes
            annexes = len(part.annexes)
            more = f" and its {annexes} annex{'es' if annexes > 1 else ''}" if annexes else ""
            console.say(f"rendering pack '{pack.id}'{more} ...", "progress")

    def write_packs() -> None:
        if not written:
            for (_, _, part), pdf in zip(documents, rendering.results(), strict=True):
                (dist / part.file).write_bytes(pdf)
                written.add(part.file)

    with parallel.Rendering(version, jobs, alongside=plan.site) as rendering:  # the site builds meanwhile
        if plan.site:
            console.say("building site ...", "progress")
            from .site import render_site  # imported when needed: 'briefing check' loads neither MkDocs nor Typst

            data = site_input(corpus, version, plan.ceiling, changelog, dist, [part for _, _, part in documents])
            data.wait = write_packs  # the Downloads page, built last, waits for the packs
            render_site(data, work / "site", plan.engine)
        write_packs()
    if plan.site:
        for old_zip in dist.glob("site-*.zip"):
            old_zip.unlink()
        zip_site(work / "site", dist / site_zip_name(version), version.epoch, root)
        written.add(site_zip_name(version))
    write_manifest(dist, corpus, version, plan.ceiling, written, [part for _, _, part in documents])


def _os_message(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full{where}: free some space and build again; the previous output is unchanged"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"cannot write{where}: {exc.strerror}; build in a folder you may write to (or copy the corpus "
                "there); the previous output is unchanged")
    return f"cannot write the output{where}: {exc.strerror or exc}; the previous output is unchanged"
