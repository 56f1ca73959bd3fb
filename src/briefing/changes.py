"""What changed between two versions of a corpus: claims, statuses, grades, sources, judgments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .checks import best_grade
from .cite import reference_text
from .model import Corpus, Judgment, Recommendation


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    id: str
    title: str  # what the record says now (or said, when removed)
    before: str = ""
    after: str = ""


KINDS: dict[str, str] = {
    "claim-added": "Claims added",
    "claim-removed": "Claims removed",
    "claim-reworded": "Claims reworded",
    "claim-status": "Evidence status changed",
    "claim-confidence": "Confidence changed",
    "claim-grade": "Best evidence grade changed",
    "source-added": "Sources added",
    "source-removed": "Sources dropped",
    "source-grade": "Source grade changed",
    "judgment-added": "Key judgments added",
    "judgment-removed": "Key judgments removed",
    "judgment-changed": "Key judgments changed",
    "recommendation-added": "Recommendations added",
    "recommendation-removed": "Recommendations removed",
    "recommendation-changed": "Recommendations changed",
}


@dataclass
class Changes:
    base: str  # the git revision compared against, e.g. "v1.0"
    base_version: str
    head_version: str
    items: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.items if c.kind == kind]

    def groups(self) -> list[tuple[str, list[Change]]]:
        """(heading, changes) in a fixed order, empty groups left out."""
        return [(heading, self.of(kind)) for kind, heading in KINDS.items() if self.of(kind)]


@dataclass(frozen=True)
class HistoryEntry:
    """One point in a claim's history: from this commit date on, the claim had this status."""

    date: str  # YYYY-MM-DD of the commit
    status: str
    version: str  # git describe of the commit, or its short hash


def _added_removed(kind: str, before: dict, after: dict, title: Callable[[Any], str]) -> list[Change]:
    out = [Change(f"{kind}-added", k, title(after[k])) for k in sorted(after.keys() - before.keys())]
    out += [Change(f"{kind}-removed", k, title(before[k])) for k in sorted(before.keys() - after.keys())]
    return out


def _judgment(j: Judgment) -> str:
    term = f", {j.term}" if j.term else ""
    return f"{j.text} ({j.confidence} confidence{term})"


def _recommendation(r: Recommendation) -> str:
    options = "; ".join(o.title for o in r.options)
    return f"{r.title}: {r.summary} Options: {options}".strip()


def compare(base: Corpus, head: Corpus, base_ref: str, base_version: str, head_version: str) -> Changes:
    """Every change between two corpora that a reviewer asks about, in a stable order."""
    items: list[Change] = []
    items += _added_removed("claim", base.claims, head.claims, lambda c: c.statement)
    for key in sorted(base.claims.keys() & head.claims.keys()):
        old, new = base.claims[key], head.claims[key]
        if " ".join(old.statement.split()) != " ".join(new.statement.split()):
            items.append(Change("claim-reworded", key, new.statement, old.statement, new.statement))
        for kind, before, after in (
            ("claim-status", old.status, new.status),
            ("claim-confidence", old.confidence or "", new.confidence or ""),
            ("claim-grade", best_grade(base, old), best_grade(head, new)),
        ):
            if before != after:
                items.append(Change(kind, key, new.statement, before, after))
    items += _added_removed("source", base.sources, head.sources, reference_text)
    for key in sorted(base.sources.keys() & head.sources.keys()):
        old_grade, new_grade = base.sources[key].reliability or "", head.sources[key].reliability or ""
        if old_grade != new_grade:
            items.append(Change("source-grade", key, reference_text(head.sources[key]), old_grade, new_grade))
    compared: tuple[tuple[str, dict[str, Any], dict[str, Any], Callable[[Any], str]], ...] = (
        ("judgment", base.judgments, head.judgments, _judgment),
        ("recommendation", base.recommendations, head.recommendations, _recommendation),
    )
    for kind, store_base, store_head, describe in compared:
        items += _added_removed(kind, store_base, store_head, describe)
        for key in sorted(store_base.keys() & store_head.keys()):
            before, after = describe(store_base[key]), describe(store_head[key])
            if before != after:
                items.append(Change(f"{kind}-changed", key, after, before, after))
    order = list(KINDS)
    items.sort(key=lambda c: (order.index(c.kind), c.id))
    return Changes(base=base_ref, base_version=base_version, head_version=head_version, items=items)


STEP_KINDS = ("claim-status", "claim-confidence", "claim-grade", "source-grade")
WAS_KINDS = ("claim-reworded", "judgment-changed", "recommendation-changed")


def to_text(changes: Changes, markdown: bool = False) -> str:
    """The changes as terminal text or as Markdown."""
    title = f"What changed since {changes.base} ({changes.base_version} \u2192 {changes.head_version})"
    lines = [f"# {title}" if markdown else title, ""]
    if not changes.items:
        lines.append("No changes to claims, sources, key judgments or recommendations.")
    for heading, group in changes.groups():
        lines += [f"## {heading}", ""] if markdown else [f"{heading}:"]
        for c in group:
            ident = f"`{c.id}`" if markdown else f"  {c.id}"
            step = f": {c.before or 'none'} \u2192 {c.after or 'none'}" if c.kind in STEP_KINDS else ""
            lines.append(f"{'- ' if markdown else ''}{ident}{step} \u2014 {c.title}")
            if c.kind in WAS_KINDS:
                lines.append(f"  - was: {c.before}" if markdown else f"      was: {c.before}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
