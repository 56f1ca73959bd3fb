"""Cut a corpus down to a marking ceiling: everything above it is left out of every output."""

from __future__ import annotations

from dataclasses import replace

from . import refs
from .errors import MarkingLeak
from .model import Corpus
from .vocab import marking_rank


def at_ceiling(corpus: Corpus, ceiling: str, verify: bool = True) -> Corpus:
    """A copy of the corpus holding only records marked at or below the ceiling, and the attachments that kept
    pages link (an attachment is marked as the most restricted page linking it).

    The checker's marking-leak rule guarantees that nothing kept refers to anything withheld; this verifies it
    again with the same reference table (``refs``) and raises MarkingLeak rather than render a leak.
    ``verify=False`` is for earlier revisions (what changed, claim history), which were checked by the rules of
    their day and cannot be corrected now: only records' own texts and statuses are read from them.
    """
    top = marking_rank(ceiling)
    attachments = {path for path, marking in refs.attachment_markings(corpus).items() if marking_rank(marking) <= top}
    files = {path: loc for path, loc in corpus.files.items() if path in attachments}  # unlinked: marking unknown
    if all(marking_rank(r.marking) <= top for _, r in refs.records(corpus)):
        return corpus.copy(files=files)  # no record is withheld, so nothing kept can refer to one withheld

    def keep(records: dict) -> dict:
        return {k: r for k, r in records.items() if marking_rank(r.marking) <= top}

    pages = keep(corpus.pages)
    themes = {k: t if t.page in pages or t.page is None else replace(t, page=None)
              for k, t in keep(corpus.themes).items()}
    cut = corpus.copy(
        sources=keep(corpus.sources),
        claims=keep(corpus.claims),
        entities=keep(corpus.entities),
        events=keep(corpus.events),
        figures=keep(corpus.figures),
        recommendations=keep(corpus.recommendations),
        judgments=keep(corpus.judgments),
        gaps=keep(corpus.gaps),
        themes=themes,
        pages=pages,
        files=files,
    )
    if not verify:
        return cut
    kinds = ("source", "claim", "entity", "theme", "page", "attachment")
    known = {kind: refs.targets(corpus, kind) for kind in kinds}
    kept = {kind: refs.targets(cut, kind) for kind in kinds}
    for kind, record in refs.records(cut):
        for ref in refs.references(kind, record):
            if ref.ident in known[ref.kind] and ref.ident not in kept[ref.kind]:
                raise MarkingLeak(f"{ref.loc}: {refs.RECORD_KINDS[kind]} kept at {ceiling} refers to {ref.kind} "
                                  f"'{ref.ident}', which is withheld; run 'briefing check'")
    return cut
