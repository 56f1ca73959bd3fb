"""Cut a corpus down to a marking ceiling: everything above it is left out of every output."""

from __future__ import annotations

from dataclasses import replace

from .model import Corpus
from .vocab import marking_rank


def at_ceiling(corpus: Corpus, ceiling: str) -> Corpus:
    """A copy of the corpus holding only records marked at or below the ceiling.

    The checker's marking-leak rule guarantees that nothing left depends on anything removed; evidence
    links and citations to withheld sources are dropped all the same, as a second line of defence.
    """
    top = marking_rank(ceiling)

    def keep(records: dict) -> dict:
        return {k: r for k, r in records.items() if marking_rank(r.marking) <= top}

    sources = keep(corpus.sources)
    claims = {
        k: replace(c, evidence=[e for e in c.evidence if e.source in sources])
        for k, c in keep(corpus.claims).items()
    }
    return corpus.copy(
        sources=sources,
        claims=claims,
        entities=keep(corpus.entities),
        events=keep(corpus.events),
        figures=keep(corpus.figures),
        recommendations=keep(corpus.recommendations),
        judgments=keep(corpus.judgments),
        gaps=keep(corpus.gaps),
        themes=keep(corpus.themes),
        pages=keep(corpus.pages),
    )
