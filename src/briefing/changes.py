"""What changed between two versions of a corpus: claims, statuses, grades, sources, judgments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
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


TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The word-level difference of two texts as ``(op, text)`` pieces, op one of 'same', 'del', 'ins'.

    The 'same' and 'del' pieces in order spell ``before``, the 'same' and 'ins' pieces ``after``. Words, runs of
    white space and single punctuation marks are the tokens (Python's difflib: a longest-matching-block
    alignment, exact and deterministic, with no dependency; autojunk off so common words still align). A
    stretch of unchanged white space between two changes joins them, so a reworded phrase reads as one
    deletion and one insertion, not word by word.
    """
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    pieces: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if text:
            if pieces and pieces[-1][0] == op:
                pieces[-1] = (op, pieces[-1][1] + text)
            else:
                pieces.append((op, text))

    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        between = 0 < n < len(opcodes) - 1 and old.isspace()
        if tag == "equal" and not between:
            add("same", old)
        else:  # a change, or white space alone between two changes: deleted and inserted as one
            add("del", old)
            add("ins", new)
    return _ordered(pieces)


def _ordered(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within each run of changes, the deletion first and then the insertion, each once."""
    out: list[tuple[str, str]] = []
    run: dict[str, str] = {}
    for op, text in [*pieces, ("same", "")]:
        if op == "same":
            out += [(k, run[k]) for k in ("del", "ins") if run.get(k)]
            run = {}
            if text:
                out.append((op, text))
        else:
            run[op] = run.get(op, "") + text
    return out


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
