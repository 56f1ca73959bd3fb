"""What changed between two versions of a corpus: claims, statuses, grades, sources, judgments."""

from __future__ import annotations

from dataclasses import dataclass, field


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
