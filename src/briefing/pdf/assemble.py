"""The data of one pack: every text the template prints, as JSON-ready values (never as Typst code)."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import replace
from typing import Any

from .. import figcharts, vocab
from ..changes import STEP_KINDS, WAS_KINDS, Changes
from ..checks import best_grade
from ..cite import Segment, dates_in_words, long_date, reference, styler
from ..errors import Unfit
from ..model import Claim, Corpus, Option, Pack, Source
from ..provenance import claim_origins
from ..sanitise import external_url
from ..scope import Scope, select
from ..shortcite import short_citation, who
from ..versioning import VersionInfo
from . import tree
from .parts import Part, parts
from .text import clean, language, typeset

TITLES = {**vocab.SECTION_TITLES,
          "annexes": "Annexes issued separately"}  # not a section to choose: the pack's registers, when set apart
ALTERNATIVES = 2  # alternatives shown beside a recommended course
BRIEF_SECTIONS = {"bottom-line", "recommended"}  # either one sets the ministerial layout
COMPACT_PAGES = 4  # a pack of at most this many pages starts in the compact layout
LAYOUTS = (("full", "table"), ("compact", "table"), ("compact", "matrix"))  # ever shorter, tried in order


def segments(parts: list[Segment]) -> list[tree.Node]:
    out: list[tree.Node] = []
    for part in parts:
        text = clean(part.text) if part.style else _soft(part.text)
        if part.style == "em":
            out.append({"t": "em", "c": [text]})
        elif part.style == "link" and external_url(part.text):
            out.append({"t": "link", "url": text, "c": [text]})
        else:
            out.append(text)
    return out


def _soft(text: str) -> str:
    """Clean, but keep one leading/trailing space: segments are joined without separators."""
    inner = clean(text)
    if not inner:
        return " " if text else ""
    return (" " if text[:1].isspace() else "") + inner + (" " if text[-1:].isspace() else "")


class Assembler:
    def __init__(self, corpus: Corpus, pack: Pack, version: VersionInfo, changes: Changes | None,
                 layout: tuple[str, str] | None = None, part: Part | None = None):
        """``part``: one of ``parts(corpus, pack)`` (by default the pack itself); ``layout``: one of its
        ``layouts`` (by default the first)."""
        self.corpus, self.pack, self.version, self.changes = corpus, pack, version, changes
        self.part = part or parts(corpus, pack)[0]  # the pack itself, or one of its annexes
        scope = self.part.scope or select(corpus, pack)
        if self.part.register == "evidence":  # an annex of one theme's evidence
            scope = replace(scope, claims=[c for c in scope.claims if c.theme == self.part.theme])
        self.scope: Scope = scope
        size, self.glance = layout or layouts(pack, self.part)[0]  # evidence at a glance: "table" or "matrix"
        self.compact = size == "compact"  # no cover page, no contents, condensed sections
        # claims have a row in this PDF to link to
        self.linked = not self.part.annex and "evidence" in pack.sections and self.glance == "table"
        self._noted: set[str] = set()  # sources with a note already: later notes are short
        self._targets: set[str] = set()  # claims something in the pack links to: their rows are link targets

    # --- shared pieces -------------------------------------------------------------------------------------
    def source(self, key: str) -> Source:
        source = self.corpus.sources.get(key)
        if source is None:
            raise Unfit(f"cites source '{key}', which is withheld at {self.pack.ceiling} or unknown")
        return source

    def label(self, key: str) -> str:
        return clean(short_citation(self.source(key)))

    def claim_ref(self, ident: str, named: bool = False) -> tree.Node:
        claim = self.corpus.claims.get(ident)
        if claim is None:
            raise Unfit(f"refers to claim '{ident}', which is withheld at {self.pack.ceiling} or unknown")
        link = self.linked and ident in self.scope.claim_ids
        if link:
            self._targets.add(clean(ident))
        return {"t": "claim", "id": clean(ident), "status": claim.status, "statement": clean(claim.statement),
                "short": clean(claim.opening(60)), "named": named, "link": link}

    def note(self, cite: etree.Element) -> list[tree.Node]:
        """One source's part of a footnote in the corpus's CSL style: in full the first time the pack cites it,
        short afterwards (for a note style; an author-date style gives its own citation form every time)."""
        source = self.source(cite.get("data-key", ""))
        first = source.key not in self._noted
        self._noted.add(source.key)
        return segments(styler(source.style).note(source, first, cite.get("data-label", ""),
                                                  cite.get("data-locator", ""), cite.get("data-prefix", ""),
                                                  cite.get("data-suffix", "")))

    def cite_group(self, span: etree.Element) -> tree.Node:
        notes = [self.note(c) for c in span if c.tag == "cite"]
        for part in notes[:-1]:  # one note: '...; ...; ....'
            if part and isinstance(part[-1], str):
                part[-1] = part[-1].rstrip().removesuffix(".")
        mark: tree.Node = {"t": "cite", "notes": notes}
        if span.get("data-in-text"):  # @key: the author in the sentence, the reference in the note
            cite = next(c for c in span if c.tag == "cite")
            return {"t": "span", "c": [clean(who(self.source(cite.get("data-key", "")))), mark]}
        return mark

    def claims_of(self, ids: list[str]) -> list[tree.Node]:
        """Claims listed after a record ('Based on: …'): each named by the start of its statement."""
        return [self.claim_ref(i, named=True) for i in ids if i in self.corpus.claims]

    # --- sections ------------------------------------------------------------------------------------------
    def key_judgments(self) -> dict[str, Any]:
        items = []
        for j in self.scope.judgments:
            low_high = vocab.ESTIMATIVE_TERMS.get(j.term or "")
            items.append({"id": clean(j.id), "text": clean(j.text), "confidence": clean(j.confidence),
                          "term": clean(j.term or ""),
                          "range": f"{low_high[0]}\u2013{low_high[1]} %" if low_high else "",
                          "claims": self.claims_of(j.claims), "sources": self.sources_of(j.claims)})
        return {"items": items}

    def sources_of(self, ids: list[str]) -> list[str]:
        """Short citations of the sources whose evidence supports these claims, in order of first use."""
        keys = [e.source for i in ids if i in self.corpus.claims for e in self.corpus.claims[i].evidence
                if e.stance == "supports" and e.source in self.corpus.sources]
        return [self.label(k) for k in dict.fromkeys(keys)]

    def bottom_line(self) -> dict[str, Any]:
        return {"text": clean(self.pack.bottom_line)}

    def option(self, o: Option) -> dict[str, Any]:
        return {"title": clean(o.title), "description": clean(o.description),
                "pros": [clean(x) for x in o.pros], "cons": [clean(x) for x in o.cons],
                "risks": [clean(x) for x in o.risks], "advocates": [self.label(k) for k in o.advocated_by]}

    def recommended(self) -> dict[str, Any]:
        """Each question with an advised option: that option in full, at most two alternatives in brief."""
        items = []
        for r in self.scope.recommendations:
            chosen = next((o for o in r.options if o.id == r.recommended), None)
            if chosen is None:
                continue
            others = [self.option(o) for o in r.options if o is not chosen]
            items.append({"title": clean(r.title), "summary": clean(r.summary), "divergence": clean(r.divergence),
                          "course": self.option(chosen), "alternatives": others[:ALTERNATIVES],
                          "more": max(len(others) - ALTERNATIVES, 0)})
        return {"items": items}

    def recommendations(self) -> dict[str, Any]:
        items = []
        for r in self.scope.recommendations:
            options = [{**self.option(o), "recommended": o.id == r.recommended} for o in r.options]
            items.append({"id": clean(r.id), "title": clean(r.title), "summary": clean(r.summary),
                          "divergence": clean(r.divergence), "options": options, "claims": self.claims_of(r.claims)})
        return {"items": items}

    def evidence(self) -> dict[str, Any]:
        groups: list[dict[str, Any]] = []
        rows = self.glance == "table"  # else only the counts are printed
        for claim in self.scope.claims:
            theme = self.corpus.themes.get(claim.theme)
            title = clean(theme.title if theme else claim.theme) or "Other"
            if not groups or groups[-1]["title"] != title:
                groups.append({"title": title, "rows": []})
            groups[-1]["rows"].append(self.claim_row(claim) if rows else {"status": claim.status})
        return {"groups": groups if rows else [], **self.matrix(groups)}

    @staticmethod
    def matrix(groups: list[dict[str, Any]]) -> dict[str, Any]:
        """Claims per theme and status: the evidence at a glance of a compact pack."""
        used = [s for s in vocab.STATUSES if any(r["status"] == s for g in groups for r in g["rows"])]
        rows = [[g["title"], *[sum(r["status"] == s for r in g["rows"]) for s in used], len(g["rows"])]
                for g in groups]
        totals = ["All themes", *[sum(row[i + 1] for row in rows) for i in range(len(used))],
                  sum(len(g["rows"]) for g in groups)]
        return {"statuses": used, "matrix": rows, "totals": totals}

    def claim_row(self, claim: Claim) -> dict[str, Any]:
        grade = best_grade(self.corpus, claim)
        return {"id": clean(claim.id), "statement": clean(claim.statement), "short": clean(claim.opening(60)),
                "status": claim.status,
                "confidence": clean(claim.confidence or "\u2014"), "grade": grade or "\u2014",
                "origins": len(claim_origins(self.corpus, claim)),
                "against": len(claim_origins(self.corpus, claim, "contradicts"))}

    def discussion(self) -> dict[str, Any]:
        pages = []
        for theme_id, page in self.scope.pages:
            try:
                nodes = tree.convert(page.text, self.cite_group, self.claim_ref)
            except Unfit as exc:
                raise Unfit(f"page '{page.path}' {exc}") from None
            if nodes and isinstance(nodes[0], dict) and nodes[0].get("t") == "h" and nodes[0].get("level") == 1:
                nodes = nodes[1:]  # the page title becomes the section heading
            tree.settle_headings(nodes, base=3)
            theme = self.corpus.themes.get(theme_id)
            pages.append({"title": clean(page.title or (theme.title if theme else page.path)),
                          "summary": clean(theme.summary) if theme else "", "nodes": nodes})
        return {"pages": pages}

    def charts(self) -> list[dict[str, Any]]:
        """The site's key-figure charts (``figcharts``), drawn by the template."""
        out = []
        for chart in figcharts.charts(self.scope.figures):
            bars = [{"label": clean(b.label), "value": b.value, "text": clean(b.text)} for b in chart.bars]
            out.append({"title": clean(chart.title), "bars": bars,
                        "desc": clean(figcharts.describe(chart.bars)),
                        "sources": list(dict.fromkeys(self.label(f.source) for f in chart.figures))})
        return out

    def figures(self) -> dict[str, Any]:
        rows = []
        for f in self.scope.figures:
            source = self.source(f.source)
            rows.append({"label": clean(f.label), "value": clean(f.value_text), "unit": clean(f.unit),
                         "period": clean(dates_in_words(f.period)), "measures": clean(f.measures),
                         "source": self.label(f.source), "locator": clean(f.locator),
                         "grade": source.reliability or "F", "excerpt": clean(f.excerpt)})
        return {"rows": rows, "charts": self.charts()}

    def gaps(self) -> dict[str, Any]:
        return {"items": [{"question": clean(g.question), "why": clean(g.why), "would_change": clean(g.would_change),
                           "claims": self.claims_of(g.claims)} for g in self.scope.gaps]}

    def timeline(self) -> dict[str, Any]:
        return {"rows": [{"date": clean(long_date(e.date)), "title": clean(e.title),
                          "description": clean(e.description), "sources": [self.label(k) for k in e.sources],
                          "claims": self.claims_of(e.claims)} for e in self.scope.events]}

    def entities(self) -> dict[str, Any]:
        rows = []
        for e in self.scope.entities:
            sanctions = [{"authority": clean(s.authority), "status": clean(s.status),
                          "date": clean(long_date(s.date)) if s.date else "",
                          "source": self.label(s.source) if s.source else ""} for s in e.sanctions]
            kind = vocab.ENTITY_KIND_LABELS.get(e.kind, e.kind)
            rows.append({"name": clean(e.name), "kind": clean(kind), "country": clean(e.country),
                         "description": clean(e.description), "aliases": [clean(a) for a in e.aliases],
                         "sanctions": sanctions})
        return {"rows": rows}

    def sources(self) -> dict[str, Any]:
        rows = []
        for s in self.scope.sources:
            grade = s.reliability if s.reliability in vocab.RELIABILITY else "F"
            rows.append({"reference": segments(reference(s)), "grade": grade,
                         "grade_text": vocab.RELIABILITY[grade], "note": clean(s.reliability_note),
                         "kind": clean(vocab.SOURCE_CLASS_LABELS.get(s.source_class, s.source_class)),
                         "descriptor": clean(s.descriptor),
                         "derived": [self.label(k) for k in s.derived_from if k in self.corpus.sources]})
        return {"rows": rows}

    def annexes(self) -> dict[str, Any]:
        return {"items": [{"title": clean(a.title), "purpose": clean(a.purpose), "file": clean(a.file)}
                          for a in self.part.annexes]}

    def annex_scales(self) -> dict[str, Any]:
        return {
            "statuses": [[k, v] for k, v in vocab.STATUSES.items()],
            "reliability": [[k, v] for k, v in vocab.RELIABILITY.items()],
            "credibility": [[str(k), v] for k, v in vocab.CREDIBILITY.items()],
            "confidence": [[k, v] for k, v in vocab.CONFIDENCE.items()],
            "terms": [[k, f"{lo}\u2013{hi} %"] for k, (lo, hi) in vocab.ESTIMATIVE_TERMS.items()],
            "markings": [[k, v] for k, v in vocab.MARKING_TEXT.items()],
            "stances": [[k, v] for k, v in vocab.STANCES.items()],
        }

    def annex_changes(self) -> dict[str, Any]:
        c = self.changes
        assert c is not None, "data() leaves the annex out when there is nothing to compare with"
        groups = []
        for heading, items in c.groups():
            rows = [{"title": clean(i.title), "before": clean(i.before or "none"), "after": clean(i.after or "none"),
                     "step": i.kind in STEP_KINDS, "was": i.kind in WAS_KINDS}
                    for i in items if self._in_scope(i.kind, i.id)]
            if rows:
                groups.append({"heading": heading, "rows": rows})
        return {"base_version": clean(c.base_version),
                "head_version": clean(c.head_version), "groups": groups}

    def _in_scope(self, kind: str, ident: str) -> bool:
        """A filtered pack reports changes to its own records (and removals, whose scope is unknown)."""
        if not self.scope.filtered:
            return True
        store: dict[str, tuple[dict[str, Any], set[str]]] = {"claim": (self.corpus.claims, self.scope.claim_ids),
                 "source": (self.corpus.sources, {s.key for s in self.scope.sources}),
                 "judgment": (self.corpus.judgments, {j.id for j in self.scope.judgments}),
                 "recommendation": (self.corpus.recommendations, {r.id for r in self.scope.recommendations})}
        records, chosen = store.get(kind.split("-", maxsplit=1)[0], ({}, set()))
        return ident not in records or ident in chosen

    # --- the whole pack ------------------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        """The sections of this PDF: an annex's register; else the pack's, its registers set apart listed in one
        section where the first of them stood (the evidence staying, as counts per theme and status)."""
        if self.part.annex:
            return [self.part.register]
        out = []
        for kind in self.pack.sections:
            if kind not in self.part.separate:
                out.append(kind)
                continue
            if kind == "evidence":
                out.append(kind)
            if "annexes" not in out:
                out.append("annexes")
        return out

    def data(self) -> dict[str, Any]:
        sections = []
        annex = 0
        for kind in self.kinds():
            if kind not in TITLES:
                raise Unfit(f"unknown section '{kind}' (sections: {', '.join(vocab.PACK_SECTIONS)})")
            if kind == "annex-changes" and self.changes is None:
                continue  # nothing to compare with: no annex, no contents entry
            if self.scope.empty(kind) or (kind == "bottom-line" and not self.pack.bottom_line.strip()):
                scope = self.scope_text()
                raise Unfit(f"section '{kind}' would be empty at {self.pack.ceiling}{scope}; drop the section, "
                            "widen the pack or raise its ceiling")
            body = getattr(self, kind.replace("-", "_"))()
            title = TITLES[kind]
            if kind.startswith("annex-"):
                title = f"Annex {chr(ord('A') + annex)}. {title}"
                annex += 1
            sections.append({"kind": kind, "title": title, **body})
        for section in sections:  # known once every section is made: which rows a link points to
            for group in section["groups"] if section["kind"] == "evidence" else ():
                for row in group["rows"]:
                    row["target"] = row["id"] in self._targets
        return typeset({"meta": self.meta(), "sections": sections})

    def scope_text(self) -> str:
        parts = []
        if self.pack.themes:
            parts.append("themes " + ", ".join(self.pack.themes))
        if self.pack.tags:
            parts.append("tags " + ", ".join(self.pack.tags))
        return f" for {' and '.join(parts)}" if parts else ""

    def meta(self) -> dict[str, Any]:
        cfg, pack = self.corpus.config, self.pack
        lang, region = language(cfg.language)
        title = clean(pack.title) or clean(cfg.title) or clean(pack.id)
        subtitle = clean(pack.subtitle) or ("" if self.scope.filtered else clean(cfg.subtitle))
        scope = [clean(self.corpus.themes[t].title if t in self.corpus.themes else t) for t in pack.themes]
        corpus, purpose = clean(cfg.title), clean(pack.purpose)
        if self.part.annex:  # titled as the annex, under the pack's title
            title, corpus, subtitle, purpose = clean(self.part.title), title, "", clean(self.part.purpose)
            if self.part.theme in self.corpus.themes:
                scope = [clean(self.corpus.themes[self.part.theme].title)]
        keywords = [k for k in (clean(self.version.version), pack.ceiling, *scope) if k]  # the PDF's properties
        return {
            "title": title, "corpus": corpus, "subtitle": subtitle,
            "author": clean(cfg.originator) or clean(cfg.title) or "briefing",
            "originator": clean(cfg.originator), "lang": lang, "region": region,
            "description": purpose, "purpose": purpose, "keywords": keywords,
            "marking": pack.ceiling, "marking_text": vocab.MARKING_TEXT[pack.ceiling],
            "version": clean(self.version.version), "date": self.version.date,
            "date_long": long_date(self.version.date), "cutoff": clean(long_date(pack.cutoff or "")),
            "audience": clean(pack.audience), "distribution": clean(pack.distribution),
            "scope": scope, "compact": self.compact, "glance": self.glance,
            "annex": self.part.annex, "separate": sorted(self.part.separate),
            "brief": not self.part.annex and bool(BRIEF_SECTIONS & set(pack.sections)),
        }


def layouts(pack: Pack, part: Part | None = None) -> tuple[tuple[str, str], ...]:
    """The layouts to try for a pack, longest first: a short pack starts compact. An annex has one."""
    if part is not None and part.annex:
        return LAYOUTS[1:2]
    short = pack.max_pages is not None and pack.max_pages <= COMPACT_PAGES
    tried: tuple[tuple[str, str], ...] = LAYOUTS[1:] if short else LAYOUTS[:1] if pack.max_pages is None else LAYOUTS
    if part is not None and "evidence" in part.separate:  # its evidence is counts in every layout
        tried = tuple(dict.fromkeys((size, "matrix") for size, _ in tried))
    return tried


def assemble(corpus: Corpus, pack: Pack, version: VersionInfo, changes: Changes | None,
             layout: tuple[str, str] | None = None, part: Part | None = None) -> dict[str, Any]:
    """The JSON-ready data of one PDF of a pack (the pack itself, or one of its annexes: ``parts``) in one layout.
    Raises Unfit when a section cannot stand."""
    return Assembler(corpus, pack, version, changes, layout, part).data()
