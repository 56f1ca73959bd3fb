"""Everything a site build needs, with the cross-references between records computed once."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import refs
from ..bundle import listed, sha256, unchanged
from ..changes import Changes, HistoryEntry
from ..checks import best_grade
from ..model import Claim, Corpus, Evidence
from ..provenance import chain, independent_links, link_origins, verifiable
from ..shortcite import short_label
from ..versioning import VersionInfo
from ..vocab import MARKINGS, RELIABILITY, marking_rank

if TYPE_CHECKING:
    from ..pdf.parts import Part


@dataclass(frozen=True)
class Download:
    """A rendered PDF pack, or an annex of one, offered on the Downloads page."""

    pack: str
    title: str
    marking: str
    file: Path
    annex: bool = False  # an annex of the pack before it: one of its registers, set apart
    checked: str = ""  # its SHA-256, when read already (checked against the manifest)

    @functools.cached_property
    def sha256(self) -> str:
        """The file's SHA-256, read when first asked for (a pack may still be rendering when the site starts)."""
        return self.checked or sha256(self.file)


def downloads_in(dist: Path, corpus: Corpus, ceiling: str, rendering: Collection[Part] = ()) -> list[Download]:
    """The PDFs the site offers: of each pack whose ceiling is within the site's, in pack id order, the pack and
    then its annexes. Those still rendering (``rendering``; the Downloads page waits for them: ``SiteInput.wait``),
    else those in dist/ that its manifest lists for the pack, unchanged since (their SHA-256), with a recorded
    marking within both ceilings: a PDF no manifest vouches for, or rendered at a higher ceiling than the pack's
    now, is not offered."""
    recorded = sorted(((name, entry) for name, entry in listed(dist).items()
                       if entry.get("kind") in ("pack", "annex") and entry.get("marking") in MARKINGS),
                      key=lambda item: (item[1]["kind"] == "annex", _position(item[1])))
    found: list[Download] = []
    for pack in sorted(corpus.packs.values(), key=lambda p: p.id):
        if marking_rank(pack.ceiling) > marking_rank(ceiling):
            continue
        mine = [Download(pack.id, part.title or pack.title, pack.ceiling, dist / part.file, part.annex)
                for part in rendering if part.pack == pack.id]
        for name, entry in [] if mine else recorded:
            if entry.get("pack") == pack.id and marking_rank(entry["marking"]) <= marking_rank(pack.ceiling):
                digest = unchanged(dist, name, entry, corpus.packs)  # the file the manifest vouches for
                if digest is not None:
                    mine.append(Download(pack.id, entry.get("title") or pack.title, entry["marking"], dist / name,
                                         entry["kind"] == "annex", digest))
        found.extend(mine)
    return found


def _position(entry: dict[str, Any]) -> int:
    position = entry.get("position")
    return position if isinstance(position, int) else 0


@dataclass
class SiteInput:
    """The inputs of one site build: a corpus already cut to the ceiling, and its version."""

    corpus: Corpus
    ceiling: str
    version: VersionInfo
    changes: Changes | None = None
    history: dict[str, list[HistoryEntry]] = field(default_factory=dict)
    downloads: list[Download] = field(default_factory=list)
    wait: Callable[[], None] | None = None  # packs still rendering: returns once their files are written


@dataclass(frozen=True)
class CitedBy:
    """One back-link from a source to a record or page that cites it."""

    kind: str  # claim, page, figure, event, entity, recommendation
    target: str  # site path of the page that cites
    label: str
    ident: str = ""  # the record id (claims: shown as a compact reference)


KIND_ORDER = ("claim", "page", "figure", "event", "entity", "recommendation")


@dataclass
class ClaimFacts:
    best_grade: str
    origins: int
    counted: list[str] = field(default_factory=list)  # the origins counted, as a reader names them
    carries: list[str] = field(default_factory=list)  # per evidence link: whose reporting its passage carries
    repeats: bool = False  # some supporting evidence repeats an origin already counted


def source_names(corpus: Corpus) -> Callable[[str], str]:
    """Each source of a corpus as a reader names it, with its grade: 'Reuters 2024 (B)' (each named once)."""

    @functools.cache
    def name(key: str) -> str:
        source = corpus.sources.get(key)
        if source is None:
            return "a source not in this edition"
        grade = source.reliability if source.reliability in RELIABILITY else "ungraded"
        return f"{short_label(source)} ({grade})"

    return name


def carries(corpus: Corpus, link: Evidence, name: Callable[[str], str]) -> str:
    """'Own reporting', or 'Relays Reuters 2024 (B) via Euronews 2024 (C)' (sources named by ``name``)."""
    found = chain(corpus, link)
    if found.own:
        return "Own reporting"
    text = "Relays " + "; ".join(name(k) for k in found.origins)
    if found.through:
        text += " via " + "; ".join(name(k) for k in found.through)
    return text


def claim_facts(corpus: Corpus, claim: Claim, name: Callable[[str], str]) -> ClaimFacts:
    counted = independent_links(corpus, claim)
    names = sorted({name(key) for link in counted for key in link_origins(corpus, link)})
    supporting = [e for e in claim.evidence if e.stance == "supports" and verifiable(corpus, e.source)]
    carried = [carries(corpus, e, name) for e in claim.evidence]
    return ClaimFacts(best_grade(corpus, claim), len(counted), names, carried, len(supporting) > len(counted))


class Index:
    """Derived look-ups: claims per theme/entity, citing records per source, facts per claim."""

    def __init__(self, data: SiteInput, page_of_doc: dict[str, str]):
        c = data.corpus
        name = source_names(c)
        self.facts: dict[str, ClaimFacts] = {k: claim_facts(c, cl, name) for k, cl in c.claims.items()}
        self.claims_by_theme: dict[str, list[Claim]] = defaultdict(list)
        self.claims_by_entity: dict[str, list[Claim]] = defaultdict(list)
        for claim in c.claims.values():
            self.claims_by_theme[claim.theme].append(claim)
            for entity in claim.entities:
                self.claims_by_entity[entity].append(claim)
        self.events_by_claim: dict[str, list] = defaultdict(list)
        self.events_by_entity: dict[str, list] = defaultdict(list)
        for event in c.events.values():
            for claim_id in event.claims:
                self.events_by_claim[claim_id].append(event)
            for entity in event.entities:
                self.events_by_entity[entity].append(event)
        self.figures_by_claim: dict[str, list] = defaultdict(list)
        for figure in c.figures.values():
            for claim_id in figure.claims:
                self.figures_by_claim[claim_id].append(figure)
        self.cited_by = self._cited_by(c, page_of_doc)

    @staticmethod
    def _cited_by(c: Corpus, page_of_doc: dict[str, str]) -> dict[str, list[CitedBy]]:
        """For each source, the records and pages that cite it (every source reference the schema declares)."""
        out: dict[str, dict[tuple[str, str], CitedBy]] = defaultdict(dict)
        for kind, record in refs.records(c):
            shown = _shown(kind, record, page_of_doc)
            if shown is None:
                continue
            for ref in refs.references(kind, record):
                if ref.kind == "source":
                    out[ref.ident].setdefault((shown.kind, shown.target), shown)
        return {k: sorted(v.values(), key=lambda c: (KIND_ORDER.index(c.kind), c.label.casefold()))
                for k, v in out.items()}


def _shown(kind: str, record: Any, page_of_doc: dict[str, str]) -> CitedBy | None:
    """Where the site shows a record that cites sources (None: sources themselves, which derive, not cite)."""
    if kind == "claims":
        return CitedBy("claim", claim_page(record.id), record.statement, record.id)
    if kind == "pages":
        return CitedBy("page", page_of_doc.get(record.path, record.path), record.title)
    places = {"figures": ("figure", "figures.md", "label"), "events": ("event", "timeline.md", "title"),
              "recommendations": ("recommendation", "recommendations.md", "title")}
    if kind in places:
        name, target, label = places[kind]
        return CitedBy(name, target, getattr(record, label))
    if kind == "entities":
        return CitedBy("entity", f"entities/{slug(record.id)}.md", record.name)
    return None


@functools.lru_cache(maxsize=1 << 16)  # every link to a claim asks: thousands of times for one id in a build
def slug(ident: str) -> str:
    """A record id as a file name: ids are already safe, anything else becomes '-'."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in ident).strip(".") or "-"


def claim_page(ident: str) -> str:
    """The docs path of a claim's page (placed in a site by ``SitePaths.page``)."""
    return f"claims/{slug(ident)}.md"


def highest(markings: list[str], floor: str) -> str:
    """The highest of some markings, never below floor."""
    return max([floor, *markings], key=marking_rank)
