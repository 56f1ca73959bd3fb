"""Every rule the checker enforces. Each rule has a stable id; problems are collected, never raised."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable

from . import refs, schema
from .bibliography import containers, field_loc
from .citations import CLAIM_REF, prose_lines
from .marking import at_ceiling
from .model import GENERATED_DIRS, GENERATED_PAGES, ID_PATTERN, Claim, Corpus, Pack, clip
from .problems import NOTE, WARNING, Loc, Problems, rule, suggest
from .provenance import claim_origins, verifiable
from .sanitise import safe_url, unsafe_markdown
from .schema import valid_date, valid_source_date
from .scope import select
from .vocab import (
    ESTIMATIVE_TERMS,
    NONSTANDARD_ESTIMATIVE,
    PACK_SECTIONS,
    RELIABILITY,
    STATUSES,
    marking_rank,
)

ID_FORMAT = re.compile(f"^{ID_PATTERN}$")


OFFICIAL_CLASSES = ("official-record",)
BOTTOM_LINE_WORDS = 80  # a minister reads it in half a minute


def normalise_text(text: str) -> str:
    """Fold case, whitespace, quotes and dashes so an excerpt matches its archived copy."""
    text = unicodedata.normalize("NFKC", text)
    for chars, plain in (("\u2018\u2019\u201a\u201b\u2032`\u00b4", "'"), ("\u201c\u201d\u201e\u201f\u2033", '"'),
                         ("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")):
        for ch in chars:
            text = text.replace(ch, plain)
    text = text.replace("\u2026", "...")
    return " ".join(text.split()).casefold()


def best_grade(corpus: Corpus, claim: Claim) -> str:
    """The best reliability+credibility among a claim's links, e.g. 'B2'."""
    grades = []
    for link in claim.evidence:
        source = corpus.sources.get(link.source)
        letter = source.reliability if source and source.reliability in RELIABILITY else "F"
        grades.append(f"{letter}{link.credibility or 6}")
    return min(grades) if grades else ""


class Checker:
    def __init__(self, corpus: Corpus, problems: Problems, today: dt.date | None = None):
        self.c = corpus
        self.p = problems
        self.today = today or dt.date.today()
        self.cited: set[str] = set()
        self.unjudged = unjudged_kinds(problems.unreadable)  # kinds an unreadable file may define
        self.skipped = 0  # references into unjudged kinds, not reported one by one

    # --- helpers ---------------------------------------------------------------------------------

    def enum(self, loc: Loc, what: str, value: str | None, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        if value is not None and value not in allowed:
            self.p.error(loc, "invalid-value",
                         f"{what} '{value}' is not one of: {', '.join(allowed)}{suggest(value, allowed)}")

    def date(self, loc: Loc, what: str, value: str | None) -> None:
        if value and not valid_date(value):
            self.p.error(loc, "invalid-date", f"{what} '{value}' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")

    rule("unresolved-source", "a citation key that names no source")
    rule("unresolved-claim", "a claim id that names no claim")
    rule("unresolved-entity", "an entity id that names no entity")
    rule("unresolved-theme", "a theme id that names no theme")
    rule("marking-leak", "a record that depends on content marked above its own marking")

    def check_references(self) -> None:
        """Every reference resolves, and no record depends on one marked above it (see ``refs``).

        A reference to a kind of record that an unreadable file may define cannot be judged: it is counted for one
        note instead of an error each. A record with an invalid marking has its own error; what depends on it is
        not also a leak.
        """
        stores = {kind: refs.targets(self.c, kind) for kind in ("source", "claim", "entity", "theme")}
        packs = [("packs", pack) for pack in self.c.packs.values()]  # packs refer to themes; they have no marking
        for kind, record in [*refs.records(self.c), *packs]:
            for ref in refs.references(kind, record):
                if ref.kind == "source":
                    self.cited.add(ref.ident)
                store = stores.get(ref.kind)
                if store is not None and ref.ident not in store:
                    if ref.kind in self.unjudged:
                        self.skipped += 1
                        continue
                    self.p.error(ref.loc, f"unresolved-{ref.kind}",
                                 f"no {ref.kind} with {'key' if ref.kind == 'source' else 'id'} '{ref.ident}'"
                                 f"{suggest(ref.ident, store)}")
        for kind, record, ref, marking in refs.leaks(self.c):
            if (ref.kind, ref.ident) in self.p.bad_markings:
                continue
            self.p.error(ref.loc, "marking-leak",
                         f"{refs.RECORD_KINDS[kind]} '{_ident(record)}' is marked {record.marking} but depends on "
                         f"{ref.kind} '{ref.ident}' marked {marking}; raise its marking or lower the other's")

    rule("unresolved-skipped", "references not checked because a file that may define their targets could not be "
         "read", NOTE)

    def note_skipped(self) -> None:
        if self.skipped:
            files = ", ".join(self.p.unreadable)
            self.p.note(Loc(self.p.unreadable[0]), "unresolved-skipped",
                        f"{self.skipped} reference(s) to records were not checked because {files} could not be "
                        "read and may define them; fix the error(s) there and check again")

    # --- rules -----------------------------------------------------------------------------------

    def run(self) -> None:
        self.check_sources()
        self.check_claims()
        self.check_records()
        self.check_references()
        self.check_pages()
        self.check_prose()
        self.check_uncited()
        self.check_ids()
        self.check_packs()
        self.note_skipped()

    rule("id-format", "an id that cannot name a file on every system (letters, digits, '.', '_', '-'; unique ignoring "
         "case)")

    def check_ids(self) -> None:
        """Claims, entities, themes and packs become file names (a theme: its page, its evidence annex): on a USB
        stick (FAT, exFAT) case does not tell them apart."""
        for kind, store in (("claim", self.c.claims), ("entity", self.c.entities), ("theme", self.c.themes),
                            ("pack", self.c.packs)):
            seen: dict[str, str] = {}
            for ident, record in store.items():
                if not ID_FORMAT.match(ident):
                    self.p.error(record.loc, "id-format", f"{kind} id '{ident}' may use only letters, digits, "
                                 "'.', '_' and '-', and must start with a letter or digit")
                folded = ident.casefold()
                if folded in seen:
                    self.p.error(record.loc, "id-format", f"{kind} id '{ident}' differs from '{seen[folded]}' only "
                                 "in case; their pages would overwrite each other on many file systems")
                seen.setdefault(folded, ident)

    rule("source-ungraded", "a source without an Admiralty reliability grade")
    rule("source-no-rationale", "a graded source without a one-line rationale", WARNING)
    rule("derived-cycle", "sources whose derived_from links form a loop")
    rule("unsafe-html", "raw HTML or a link in a page or source that the site would not publish (script, event "
         "handler, javascript: URL)")

    def check_sources(self) -> None:
        only_containers = containers(self.c.sources)
        for s in self.c.sources.values():
            if s.reliability is None and s.key in only_containers:
                pass  # a container named by crossref/xdata needs a grade only when cited itself (check_uncited)
            elif s.reliability is None:
                self.p.error(s.loc, "source-ungraded",
                             f"source '{s.key}' has no 'reliability' grade (A-F; F when it cannot be judged)")
            elif not s.reliability_note:
                self.p.warning(s.loc, "source-no-rationale",
                               f"source '{s.key}' has no 'reliability_note' explaining its grade")
            for fld in schema.SOURCE_FIELDS:
                if fld.choices:
                    value = s.reliability if fld.name == "reliability" else s.get(fld.name) or None
                    self.enum(field_loc(s, fld.name), fld.name, value, fld.choices)
            self.date(field_loc(s, "urldate"), "urldate", s.get("urldate") or None)
            for name in ("date", "eventdate", "origdate"):
                value = s.get(name) if name not in s.inherited else ""
                if value and not valid_source_date(value):
                    self.p.error(field_loc(s, name), "invalid-date",
                                 f"{name} '{value}' of source '{s.key}' is not an EDTF date (YYYY, YYYY-MM, "
                                 "YYYY-MM-DD, a range such as 2024-06-10/2024-06-12, or 2024~ / 2024?)")
            if s.url and not safe_url(s.url):
                self.p.error(field_loc(s, "url"), "unsafe-html",
                             f"url of source '{s.key}' is not http, https, mailto or relative: it is not published")
            if s.key in self._derived_cycle_members():
                self.p.error(field_loc(s, "derived_from"), "derived-cycle",
                             f"source '{s.key}' is, through derived_from, derived from itself")
        self.check_archive()

    def _derived_cycle_members(self) -> set[str]:
        if not hasattr(self, "_cycles"):
            members: set[str] = set()
            for key in self.c.sources:
                stack, seen = [key], set()
                while stack:
                    node = stack.pop()
                    for parent in self.c.sources[node].derived_from if node in self.c.sources else []:
                        if parent == key:
                            members.add(key)
                        elif parent not in seen:
                            seen.add(parent)
                            stack.append(parent)
            self._cycles = members
        return self._cycles

    rule("archive-unavailable", "the archive of source copies is not configured or absent", NOTE)
    rule("archive-missing", "a source's archived copy is not in the archive")
    rule("archive-checksum", "a source's archived copy does not match its sha256")
    rule("excerpt-not-found", "an excerpt that does not occur in the source's archived copy")

    def check_archive(self) -> None:
        archived = [s for s in self.c.sources.values() if s.archive]
        archive = self.c.config.archive
        if not archived:
            return
        if archive is None or not archive.is_dir():
            where = f"'{archive}' does not exist" if archive else "no archive is configured"
            self.p.note(self.c.config.loc, "archive-unavailable",
                        f"{where}: excerpts of {len(archived)} archived sources were not verified "
                        f"(set 'archive' in sources/corpus.yml or BRIEFING_ARCHIVE)")
            return
        texts: dict[str, str] = {}
        inside = archive.resolve()
        for s in archived:
            path = (archive / (s.archive or "")).resolve()
            if not path.is_relative_to(inside):
                self.p.error(field_loc(s, "archive"), "path-outside",
                             f"archived copy '{s.archive}' of '{s.key}' is outside the archive {archive}: not read")
                continue
            if not path.is_file():
                self.p.error(field_loc(s, "archive"), "archive-missing",
                             f"archived copy '{s.archive}' of '{s.key}' is not in the archive {archive}")
                continue
            data = path.read_bytes()
            if s.archive_sha256 and hashlib.sha256(data).hexdigest() != s.archive_sha256:
                self.p.error(field_loc(s, "archive_sha256"), "archive-checksum",
                             f"archived copy '{s.archive}' does not match the sha256 recorded for '{s.key}'")
            texts[s.key] = normalise_text(data.decode("utf-8", errors="replace"))
        for claim in self.c.claims.values():
            for link in claim.evidence:
                self._excerpt(texts, link.source, link.excerpt, link.loc)
        for fig in self.c.figures.values():
            self._excerpt(texts, fig.source, fig.excerpt, fig.loc)

    def _excerpt(self, texts: dict[str, str], key: str, excerpt: str, loc: Loc) -> None:
        if key in texts and excerpt:
            parts = [p for p in re.split(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*", excerpt) if p.strip()]
            for part in parts:
                if normalise_text(part) not in texts[key]:
                    self.p.error(loc, "excerpt-not-found",
                                 f"excerpt \"{clip(part, 60)}\" does not occur in the archived copy of '{key}'")
                    break

    rule("claim-no-evidence", "a claim without any evidence link")
    rule("evidence-no-locator", "an evidence link without a locator")
    rule("evidence-no-excerpt", "an evidence link without a verbatim excerpt")
    rule("evidence-excerpt-long", "an excerpt longer than a short quotation", WARNING)
    rule("stale-claim", "a claim not reviewed within the configured number of days", WARNING)

    def check_claims(self) -> None:
        stale_before = self.today - dt.timedelta(days=self.c.config.stale_days)
        for claim in self.c.claims.values():
            reviewed = claim.reviewed or ""
            if len(reviewed) == 10 and valid_date(reviewed) and dt.date.fromisoformat(reviewed) < stale_before:
                self.p.warning(claim.loc, "stale-claim",
                               f"claim '{claim.id}' was last reviewed {reviewed}, more than "
                               f"{self.c.config.stale_days} days ago")
            if claim.status == "superseded" and not claim.superseded_by:
                self.p.error(claim.loc, "status-evidence",
                             f"claim '{claim.id}' is superseded but names no 'superseded_by'")
            if not claim.evidence:
                self.p.error(claim.loc, "claim-no-evidence", f"claim '{claim.id}' has no evidence links")
            for link in claim.evidence:
                if not link.locator:
                    self.p.error(link.loc, "evidence-no-locator",
                                 f"evidence from '{link.source}' has no locator (page, paragraph or section)")
                if not link.excerpt:
                    self.p.error(link.loc, "evidence-no-excerpt",
                                 f"evidence from '{link.source}' has no verbatim excerpt")
                elif len(link.excerpt) > 400:
                    self.p.warning(link.loc, "evidence-excerpt-long",
                                   f"excerpt of {len(link.excerpt)} characters: quote a short passage only")
            self.check_status(claim)

    rule("evidence-unverifiable", "a claim whose evidence comes only from ungraded or F-graded sources")
    rule("status-evidence", "an evidence status the evidence does not justify")

    def check_status(self, claim: Claim) -> None:
        if not claim.evidence or claim.status not in STATUSES:
            return
        if "source" in self.unjudged and any(e.source not in self.c.sources for e in claim.evidence):
            return  # its sources may be in the unreadable BibTeX file
        graded = [e for e in claim.evidence if e.stance != "mentions" and verifiable(self.c, e.source)]
        if claim.status not in ("unassessed", "retracted", "superseded") and not graded and all(
            e.source in self.c.sources for e in claim.evidence
        ):
            self.p.error(claim.loc, "evidence-unverifiable",
                         f"claim '{claim.id}' rests only on ungraded or unverifiable (F) sources; "
                         "mark it 'unassessed' or add graded evidence")
        supports = claim_origins(self.c, claim, "supports")
        if claim.status == "confirmed":
            official = any(
                e.stance == "supports" and self.c.sources.get(e.source) is not None
                and self.c.sources[e.source].source_class in OFFICIAL_CLASSES for e in claim.evidence
            )
            if len(supports) < 2 and not official:
                self.p.error(claim.loc, "status-evidence",
                             f"claim '{claim.id}' is 'confirmed' but has {len(supports)} independent supporting "
                             "origin(s); it needs 2 (derived_from copies count once) or an official record")
        elif claim.status == "disputed":
            if not supports or not claim_origins(self.c, claim, "contradicts"):
                self.p.error(claim.loc, "status-evidence",
                             f"claim '{claim.id}' is 'disputed' but needs both a 'supports' and a 'contradicts' link")
        elif claim.status == "denied" and not any(e.stance == "denies" for e in claim.evidence):
            self.p.error(claim.loc, "status-evidence", f"claim '{claim.id}' is 'denied' but has no 'denies' link")
        elif claim.status == "reported" and not supports:
            self.p.error(claim.loc, "status-evidence", f"claim '{claim.id}' is 'reported' but has no 'supports' link")

    rule("judgment-no-claims", "a key judgment that cites no claim")
    rule("recommendation-no-options", "a recommendation without options")
    rule("unresolved-page", "a theme page that does not exist in docs/")
    rule("recommended-option", "a recommendation whose 'recommended' names none of its options")

    def check_records(self) -> None:
        c = self.c
        for fig in c.figures.values():
            if not fig.locator:
                self.p.error(fig.loc, "evidence-no-locator", f"figure '{fig.id}' has no locator in its source")
            if not fig.excerpt:
                self.p.error(fig.loc, "evidence-no-excerpt", f"figure '{fig.id}' has no verbatim excerpt")
        for rec in c.recommendations.values():
            if not rec.options:
                self.p.error(rec.loc, "recommendation-no-options",
                             f"recommendation '{rec.id}' has no options (each with pros, cons and risks)")
            if rec.recommended and rec.recommended not in {o.id for o in rec.options}:
                self.p.error(rec.loc, "recommended-option",
                             f"recommendation '{rec.id}' recommends '{rec.recommended}', which is not one of its "
                             f"options ({', '.join(o.id for o in rec.options) or 'none'})")
        for j in c.judgments.values():
            self.check_judgment_terms(j.loc, j.id, j.text, j.term)
            if not j.claims:
                self.p.error(j.loc, "judgment-no-claims", f"key judgment '{j.id}' cites no claims")
        for t in c.themes.values():
            if t.page and t.page not in c.pages:
                self.p.error(t.loc, "unresolved-page", f"theme '{t.id}' names page '{t.page}', not found in docs/")

    rule("judgment-term", "a key judgment's estimative term is missing from its text or off the scale")
    rule("judgment-nonstandard-term", "a key judgment uses an estimative word that is not on the ICD 203 scale")

    def check_judgment_terms(self, loc: Loc, ident: str, text: str, term: str | None) -> None:
        lowered = " " + " ".join(text.lower().split()) + " "
        # a term off the scale is the loader's error
        if term in ESTIMATIVE_TERMS and not re.search(rf"\b{re.escape(term or '')}\b", lowered):
            self.p.error(loc, "judgment-term",
                         f"key judgment '{ident}' declares term '{term}' but its text does not use it")
        used = [t for t in ESTIMATIVE_TERMS if _says(lowered, t) and not any(
            t != other and t in other and _says(lowered, other) for other in ESTIMATIVE_TERMS)]
        if term is None and used:
            self.p.error(loc, "judgment-term", f"key judgment '{ident}' says '{used[0]}' but has no 'term': add "
                         f"'term: {used[0]}' so that readers see its range")
        for word in NONSTANDARD_ESTIMATIVE:
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                self.p.error(loc, "judgment-nonstandard-term",
                             f"key judgment '{ident}' says '{word}', which is not an ICD 203 estimative term; "
                             f"use one of: {', '.join(ESTIMATIVE_TERMS)}")

    rule("reserved-path", "a page in docs/ at a path the site generates (e.g. downloads.md)")
    rule("prose-status-mismatch", "a sentence that cites a claim and names an evidence status the claim does not "
         "have", WARNING)
    rule("prose-estimative", "an estimative word outside the ICD 203 scale in a recommendation or a page", WARNING)

    def check_prose(self) -> None:
        """What narrative says of a claim's status agrees with the data; estimates use the ICD 203 scale."""
        for page in self.c.pages.values():
            for line, sentence in sentences(page.text, page.first_line):
                self._status_words(Loc(page.loc.path, line), sentence)
                self._estimative(Loc(page.loc.path, line), sentence, f"page '{page.path}'")
        for rec in self.c.recommendations.values():
            texts = [rec.summary, rec.divergence] + [t for o in rec.options
                                                     for t in (o.description, *o.pros, *o.cons, *o.risks)]
            for text in texts:
                self._estimative(rec.loc, text, f"recommendation '{rec.id}'")

    def _status_words(self, loc: Loc, sentence: str) -> None:
        claims = [self.c.claims[i] for i in CLAIM_REF.findall(sentence) if i in self.c.claims]
        if not claims:
            return
        prose = CLAIM_REF.sub(" ", sentence).lower()
        have = {c.status for c in claims}
        for status in dict.fromkeys(STATUS_WORD.findall(prose)):
            if status not in have:
                named = ", ".join(f"'{c.id}' is {c.status}" for c in claims)
                self.p.warning(loc, "prose-status-mismatch",
                               f"this sentence says '{status}' of a claim it cites, but {named}; make the prose "
                               "say what the data says")
                return

    def _estimative(self, loc: Loc, text: str, what: str) -> None:
        for match in OFF_SCALE.finditer(" ".join(text.lower().split())):
            word = match.group(0)
            self.p.warning(loc, "prose-estimative", f"{what} says '{word}', which is not an ICD 203 estimative "
                           f"term; use one of: {', '.join(ESTIMATIVE_TERMS)}")

    def check_pages(self) -> None:
        for page in self.c.pages.values():
            if page.path in GENERATED_PAGES or page.path.startswith(GENERATED_DIRS):
                self.p.error(page.loc, "reserved-path", f"docs/{page.path} is a page the site generates; rename it")
            for line, what in unsafe_markdown(page.text, page.first_line):
                self.p.error(Loc(page.loc.path, line), "unsafe-html",
                             f"{what}: the site would strip it (see 'Raw HTML' in the README)")
            for target, line in page.links:
                if target.startswith("../"):
                    self.p.error(Loc(page.loc.path, line), "path-outside",
                                 f"link to '{target}', outside docs/: it would not be in the site")

    rule("pack-ceiling", "a pack that explicitly includes content above its ceiling")
    rule("pack-empty-section", "a pack section that would have nothing to show at the pack's ceiling and scope")
    rule("unresolved-gap", "a pack's gaps list names no gap")
    rule("bottom-line-long", f"a pack's bottom line longer than {BOTTOM_LINE_WORDS} words")

    def check_packs(self) -> None:
        cut: dict[str, Corpus] = {}  # the corpus at each pack ceiling, cut once
        for pack in self.c.packs.values():
            if not pack.sections:
                self.p.error(pack.loc, "missing-field", f"pack '{pack.id}' has no 'sections' (in order, from: "
                             f"{', '.join(PACK_SECTIONS)})")
            self.check_bottom_line(pack)
            repeated = sorted({s for s in pack.sections if pack.sections.count(s) > 1})
            if repeated:
                self.p.error(pack.loc, "invalid-value", f"pack '{pack.id}' lists section(s) {', '.join(repeated)} "
                             "more than once")
            for tid in pack.themes:
                if tid not in self.c.themes:
                    continue  # unresolved: reported with every other reference
                theme = self.c.themes[tid]
                page = self.c.pages.get(theme.page) if theme.page else None
                if page and marking_rank(page.marking) > marking_rank(pack.ceiling) \
                        and ("page", page.path) not in self.p.bad_markings:
                    self.p.error(pack.loc, "pack-ceiling",
                                 f"pack '{pack.id}' (ceiling {pack.ceiling}) includes theme '{tid}' whose page "
                                 f"'{page.path}' is marked {page.marking}; raise the ceiling or drop the theme")
            if not self.p.errors:  # what a pack holds is only known of a corpus without errors
                if pack.ceiling not in cut:
                    cut[pack.ceiling] = at_ceiling(self.c, pack.ceiling)
                scope = select(cut[pack.ceiling], pack)
                empty = [f"'{section}'" for section in pack.sections if scope.empty(section)]
                if empty:
                    self.p.error(pack.loc, "pack-empty-section",
                                 f"pack '{pack.id}': section{'s' if len(empty) > 1 else ''} {', '.join(empty)} "
                                 f"would be empty at {pack.ceiling}; drop {'them' if len(empty) > 1 else 'it'}, "
                                 "widen the pack or raise its ceiling")

    def check_bottom_line(self, pack: Pack) -> None:
        words = len(pack.bottom_line.split())
        if "bottom-line" in pack.sections and not words:
            self.p.error(pack.loc, "missing-field", f"pack '{pack.id}' has a 'bottom-line' section but no "
                         "'bottom_line' text")
        for gid in pack.gaps:
            if gid not in self.c.gaps:
                self.p.error(pack.loc, "unresolved-gap", f"pack '{pack.id}' lists gap '{gid}', which names no gap"
                             + suggest(gid, self.c.gaps))
        if words > BOTTOM_LINE_WORDS:
            self.p.error(pack.loc, "bottom-line-long", f"pack '{pack.id}': bottom line of {words} words; a minister "
                         f"reads at most {BOTTOM_LINE_WORDS}")

    rule("source-uncited", "a source that nothing cites", WARNING)

    def check_uncited(self) -> None:
        if self.unjudged - {"source"}:
            return  # what cites a source is not known while a record file is unreadable
        reached = set()
        for key in self.cited:
            reached |= {key} | self._ancestors(key)
        only_containers = containers(self.c.sources)
        for s in self.c.sources.values():
            if s.key in only_containers:
                if s.key in reached and s.reliability is None:
                    self.p.error(s.loc, "source-ungraded", f"source '{s.key}' is cited but has no 'reliability' "
                                 "grade (A-F; F when it cannot be judged)")
                continue  # a container that only its parts name is not a source of its own
            if s.key not in reached:
                self.p.warning(s.loc, "source-uncited", f"source '{s.key}' is not cited anywhere")

    def _ancestors(self, key: str) -> set[str]:
        out, stack = set(), [key]
        while stack:
            src = self.c.sources.get(stack.pop())
            for parent in src.derived_from if src else []:
                if parent not in out:
                    out.add(parent)
                    stack.append(parent)
        return out


def unjudged_kinds(unreadable: Iterable[str]) -> set[str]:
    """The kinds of record that these unreadable files (or folders, ending in '/') below sources/ may define."""
    kinds: set[str] = set()
    for path in unreadable:
        if not path.endswith((".yml", ".yaml")):
            kinds.add("source")
        if not path.endswith(".bib"):
            kinds |= {"claim", "entity", "theme"}
    return kinds


OFF_SCALE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in NONSTANDARD_ESTIMATIVE) + r")\b")
STATUS_WORD = re.compile(r"\b(?:" + "|".join(STATUSES) + r")\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*_(\"\u201c])")


def sentences(markdown: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The sentences of Markdown prose (outside code), each with the line it starts on."""
    out: list[tuple[int, str]] = []
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        text = " ".join(t for _, t in paragraph)
        offsets = [0]
        for _, t in paragraph[:-1]:
            offsets.append(offsets[-1] + len(t) + 1)
        start = 0
        for piece in [*_SENTENCE_END.split(text)]:
            at = text.index(piece, start)
            line = next(n for (n, _), off in reversed(list(zip(paragraph, offsets, strict=True))) if off <= at)
            out.append((line, piece))
            start = at + len(piece)
        paragraph.clear()

    for number, line in prose_lines(markdown, first_line):
        if line.strip():
            paragraph.append((number, line.strip()))
        elif paragraph:
            flush()
    if paragraph:
        flush()
    return out


def _says(lowered: str, words: str) -> bool:
    return re.search(rf"\b{re.escape(words)}\b", lowered) is not None


def _ident(record: object) -> str:
    return str(getattr(record, "id", None) or getattr(record, "key", None) or getattr(record, "path", ""))


def check(corpus: Corpus, problems: Problems, today: dt.date | None = None) -> None:
    """Run every rule over a loaded corpus."""
    Checker(corpus, problems, today).run()
