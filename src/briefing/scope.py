"""What a pack covers: the records tied to its themes or tags, and only the sources they cite."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from . import refs
from .cite import reference_text
from .model import Claim, Corpus, Entity, Event, Figure, Gap, Judgment, Pack, Page, Recommendation, Source


@dataclass
class Scope:
    """The records of one pack, in reading order."""

    claims: list[Claim] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    pages: list[tuple[str, Page]] = field(default_factory=list)  # (theme id or "", page)
    sources: list[Source] = field(default_factory=list)
    filtered: bool = False

    @functools.cached_property
    def claim_ids(self) -> set[str]:
        """The ids of the pack's claims (made once: a pack's links ask for every claim they name)."""
        return {c.id for c in self.claims}

    def held(self, section: str) -> list[Any] | None:
        """The records a pack section shows (a register: one row each); None for a section made of none."""
        if section == "recommended":
            return [r for r in self.recommendations if r.recommended]
        held: dict[str, list[Any]] = {
            "key-judgments": self.judgments, "recommendations": self.recommendations, "evidence": self.claims,
            "discussion": self.pages, "figures": self.figures, "gaps": self.gaps, "timeline": self.events,
            "entities": self.entities, "sources": self.sources}
        return held.get(section)

    def empty(self, section: str) -> bool:
        """True when a pack section would have nothing to show (annexes always have something)."""
        return self.held(section) == []


def _theme_order(corpus: Corpus) -> dict[str, int]:
    return {tid: n for n, tid in enumerate(corpus.themes)}


def select(corpus: Corpus, pack: Pack) -> Scope:
    """The records a pack shows. Without themes or tags: everything at the (already applied) ceiling."""
    themes, tags = set(pack.themes), set(pack.tags)
    filtered = bool(themes or tags)
    order = _theme_order(corpus)

    def theme_key(theme: str | None) -> int:
        return order.get(theme or "", len(order))

    claims = [c for c in corpus.claims.values() if not filtered or c.theme in themes or tags & set(c.tags)]
    claims.sort(key=lambda c: (theme_key(c.theme), c.id))
    chosen = {c.id for c in claims}

    def tied(theme: str | None, claim_ids: list[str]) -> bool:
        return not filtered or (theme is not None and theme in themes) or bool(chosen & set(claim_ids))

    scope = Scope(claims=claims, filtered=filtered)
    scope.judgments = [j for j in corpus.judgments.values() if tied(None, j.claims)]
    scope.recommendations = [r for r in corpus.recommendations.values() if tied(r.theme, r.claims)]
    scope.figures = sorted((f for f in corpus.figures.values() if tied(f.theme, f.claims)),
                           key=lambda f: (theme_key(f.theme), f.label.casefold(), f.id))
    scope.gaps = [g for g in corpus.gaps.values() if tied(g.theme, g.claims)]
    if pack.gaps:  # the pack's own choice, in its order
        held = {g.id: g for g in scope.gaps}
        scope.gaps = [held[i] for i in pack.gaps if i in held]
    scope.events = sorted((e for e in corpus.events.values() if tied(e.theme, e.claims)), key=lambda e: (e.date, e.id))
    scope.pages = _pages(corpus, themes, chosen, filtered)

    wanted_entities = {e for c in claims for e in c.entities} | {e for ev in scope.events for e in ev.entities}
    entities = [e for e in corpus.entities.values() if not filtered or e.id in wanted_entities]
    scope.entities = sorted(entities, key=lambda e: (e.name.casefold(), e.id))

    if filtered:
        keys = _cited(scope)
        sources = [s for k, s in corpus.sources.items() if k in keys]
    else:
        sources = list(corpus.sources.values())
    scope.sources = sorted(sources, key=lambda s: (reference_text(s).casefold(), s.key))
    return scope


def _pages(corpus: Corpus, themes: set[str], chosen: set[str], filtered: bool) -> list[tuple[str, Page]]:
    """Theme pages in theme order; a tag-only pack takes the theme pages that refer to its claims."""
    out = []
    for theme in corpus.themes.values():
        page = corpus.pages.get(theme.page or "")
        if page is None:
            continue
        refers = chosen & {cid for cid, _ in page.claim_refs}
        if not filtered or theme.id in themes or (not themes and refers):
            out.append((theme.id, page))
    return out


def _cited(scope: Scope) -> set[str]:
    """The sources the records of a pack refer to (as the schema declares references)."""
    held: list[tuple[str, list[Any]]] = [("claims", scope.claims), ("figures", scope.figures), ("events", scope.events),
                                         ("recommendations", scope.recommendations), ("entities", scope.entities),
                                         ("pages", [page for _, page in scope.pages])]
    return {ref.ident for kind, records in held for record in records for ref in refs.references(kind, record)
            if ref.kind == "source"}
