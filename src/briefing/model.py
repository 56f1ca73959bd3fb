"""The corpus model: plain dataclasses, each record knowing the file and line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .problems import Loc


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, never inside brackets (none is left open)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    while cut.count("(") > cut.count(")"):
        cut = cut[:cut.rindex("(")].rstrip()
    return cut.rstrip(" ,;:") + "\u2026"


@dataclass
class Source:
    """A bibliography entry with its Admiralty reliability grade."""

    key: str
    entry_type: str
    fields: dict[str, str]
    reliability: str | None
    reliability_note: str
    descriptor: str
    source_class: str
    marking: str
    derived_from: list[str]
    archive: str | None
    archive_sha256: str | None
    loc: Loc
    field_lines: dict[str, int] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)  # "Last, First" or a corporate name, in order
    names: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # CSL-JSON names per name field
    inherited: set[str] = field(default_factory=set)  # fields taken from a crossref or xdata parent
    inherited_by: list[str] = field(default_factory=list)  # keys of the entries naming it in crossref or xdata
    protected: dict[str, str] = field(default_factory=dict)  # title-like fields with their {case-protected} words
    style: str = ""  # the CSL file of the corpus's citation style ("" the default)
    rendered: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # cite.py's cache

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def url(self) -> str:
        return self.get("url")


@dataclass
class Evidence:
    """One link from a claim to a source."""

    source: str
    locator: str
    excerpt: str
    stance: str
    credibility: int | None
    note: str
    loc: Loc
    via: list[str] | None = None  # the sources this passage relays ([]: its own finding); None: derived_from


@dataclass
class Claim:
    id: str
    statement: str
    theme: str
    status: str
    confidence: str | None
    tags: list[str]
    entities: list[str]
    marking: str
    reviewed: str | None
    evidence: list[Evidence]
    note: str
    superseded_by: str | None
    loc: Loc

    def opening(self, limit: int) -> str:
        """The start of the statement: how a list names a claim where the whole would not fit."""
        return clip(self.statement.rstrip("."), limit)


@dataclass
class Sanction:
    authority: str
    status: str
    date: str | None
    source: str | None
    note: str
    loc: Loc


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    country: str
    description: str
    aliases: list[str]
    sanctions: list[Sanction]
    sources: list[str]
    marking: str
    loc: Loc


@dataclass
class Event:
    id: str
    date: str
    title: str
    description: str
    theme: str | None
    claims: list[str]
    entities: list[str]
    sources: list[str]
    marking: str
    loc: Loc


@dataclass
class Figure:
    """A key figure: a number from a source, with its unit, period and what it measures."""

    id: str
    label: str
    value: float
    unit: str
    period: str
    measures: str
    qualifier: str
    source: str
    locator: str
    excerpt: str
    theme: str | None
    claims: list[str]
    marking: str
    loc: Loc

    @property
    def value_text(self) -> str:
        number = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,}"
        return f"{self.qualifier} {number}".strip()


@dataclass
class Option:
    id: str
    title: str
    description: str
    pros: list[str]
    cons: list[str]
    risks: list[str]
    advocated_by: list[str]
    loc: Loc


@dataclass
class Recommendation:
    id: str
    title: str
    summary: str
    theme: str | None
    claims: list[str]
    options: list[Option]
    divergence: str
    marking: str
    loc: Loc
    recommended: str = ""  # id of the option the analysts advise


@dataclass
class Judgment:
    """A key judgment: ICD 203 confidence and, where it estimates, a term from the scale."""

    id: str
    text: str
    confidence: str
    term: str | None
    claims: list[str]
    marking: str
    loc: Loc


@dataclass
class Gap:
    id: str
    question: str
    why: str
    would_change: str
    theme: str | None
    claims: list[str]
    marking: str
    loc: Loc


@dataclass
class Theme:
    id: str
    title: str
    summary: str
    page: str | None
    marking: str
    loc: Loc


@dataclass
class Pack:
    """A PDF briefing pack defined in data."""

    id: str
    title: str
    audience: str
    purpose: str
    ceiling: str
    cutoff: str | None
    distribution: str
    sections: list[str]
    themes: list[str]
    tags: list[str]
    max_pages: int | None
    loc: Loc
    subtitle: str = ""
    bottom_line: str = ""
    gaps: list[str] = field(default_factory=list)
    registers: str = "auto"  # vocab.REGISTER_SETTINGS: its registers in the pack, or as annexes of their own


@dataclass
class Citation:
    key: str
    locator: str
    line: int


# Site paths the engine generates: an analyst's page there would be replaced (index.md and methodology.md are
# read into the generated pages of the same name).
GENERATED_PAGES = ("claims/index.md", "themes/index.md", "timeline.md", "entities/index.md", "figures.md",
                   "recommendations.md", "gaps.md", "sources.md", "changes.md", "downloads.md")
GENERATED_DIRS = ("claims/", "entities/", "downloads/", "assets/")
# A record's id (a pack's too): safe as a file name, in a URL and in a cache name, never a folder or a hidden file.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"


@dataclass
class Page:
    """A narrative Markdown page in docs/."""

    path: str
    title: str
    marking: str
    text: str
    citations: list[Citation]
    claim_refs: list[tuple[str, int]]
    loc: Loc
    links: list[tuple[str, int]] = field(default_factory=list)  # local link targets (docs paths) and their lines
    first_line: int = 1  # the line of the file where the text (after front matter) starts


@dataclass
class Config:
    root: Path
    title: str = "Briefing"
    subtitle: str = ""
    originator: str = ""
    language: str = "en"
    default_marking: str = "TLP:CLEAR"
    ceiling: str = "TLP:CLEAR"
    stale_days: int = 180
    archive: Path | None = None
    release_tags: str = "v*"
    citation_style: str = "chicago-notes-bibliography"
    loc: Loc = field(default_factory=lambda: Loc("sources/corpus.yml"))


@dataclass
class Corpus:
    config: Config
    sources: dict[str, Source] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    judgments: dict[str, Judgment] = field(default_factory=dict)
    gaps: dict[str, Gap] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    packs: dict[str, Pack] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, Loc] = field(default_factory=dict)  # other files in docs/ (attachments), by docs path

    def copy(self, **changes: Any) -> Corpus:
        return replace(self, **changes)
