"""Where a passage comes from, and how many independent origins support a claim.

Origins are counted per passage. An evidence link's ``via`` names the sources that its passage relays (``via:
[]``: the document's own finding); a chain ``"euronews > reuters"`` says the passage relays Reuters through
Euronews, when Euronews itself relays more than this passage carries. Without ``via`` the source's
``derived_from`` applies to the whole document, as before. Each named source is followed through its own
``derived_from`` to the origins it rests on. Two links are independent when their origins do not overlap, and
one document counts once however many of its passages a claim cites: one document never confirms a claim on its
own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Claim, Corpus, Evidence
from .refs import hops
from .vocab import RELIABILITY


def origins(corpus: Corpus, key: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The independent origins of a whole source: itself, or the origins of the sources it repeats."""
    source = corpus.sources.get(key)
    if source is None or not source.derived_from or key in seen:
        return frozenset({key})
    result: frozenset[str] = frozenset()
    for parent in source.derived_from:
        result |= origins(corpus, parent, seen | {key})
    return result


def relayed(corpus: Corpus, link: Evidence) -> list[str]:
    """The sources this passage relays: its ``via``, else the source's ``derived_from`` (empty: its own)."""
    if link.via is not None:
        return [chain[-1] for chain in (hops(entry) for entry in link.via) if chain]
    source = corpus.sources.get(link.source)
    return list(source.derived_from) if source else []


def link_origins(corpus: Corpus, link: Evidence) -> frozenset[str]:
    """The independent origins of one passage."""
    parents = relayed(corpus, link)
    if not parents:
        return frozenset({link.source})
    result: frozenset[str] = frozenset()
    for parent in parents:
        result |= origins(corpus, parent, frozenset({link.source}))
    return result


def verifiable(corpus: Corpus, key: str) -> bool:
    """A source graded A-E: F ('cannot be judged') and ungraded sources support nothing on their own."""
    source = corpus.sources.get(key)
    return bool(source and source.reliability in RELIABILITY and source.reliability != "F")


def independent_links(corpus: Corpus, claim: Claim, stance: str = "supports") -> list[Evidence]:
    """The claim's links of one stance that are independent of each other: its number of independent origins.

    Only links to graded sources (A-E) count; one per document; a link counts only when its origins do not
    overlap those already counted (links with the fewest origins are taken first, so a count is the largest).
    """
    links = [e for e in claim.evidence if e.stance == stance and verifiable(corpus, e.source)]
    chosen: list[Evidence] = []
    used: frozenset[str] = frozenset()
    documents: set[str] = set()
    for link in sorted(links, key=lambda e: (len(link_origins(corpus, e)), e.source)):
        found = link_origins(corpus, link)
        if link.source not in documents and not found & used:
            chosen.append(link)
            used |= found
            documents.add(link.source)
    return chosen


def claim_origins(corpus: Corpus, claim: Claim, stance: str = "supports") -> set[str]:
    """The documents whose passages count as the claim's independent origins of one stance."""
    return {link.source for link in independent_links(corpus, claim, stance)}


@dataclass(frozen=True)
class Chain:
    """Whose reporting one passage carries: its origins, and the sources in between."""

    own: bool  # the document's own finding
    origins: tuple[str, ...]  # source keys, sorted
    through: tuple[str, ...]  # sources between the document and its origins, sorted


def chain(corpus: Corpus, link: Evidence) -> Chain:
    found = link_origins(corpus, link)
    if found == {link.source}:
        return Chain(True, (link.source,), ())
    between: set[str] = {hop for entry in link.via or [] for hop in hops(entry)[:-1]}
    stack = relayed(corpus, link)
    while stack:
        key = stack.pop()
        if key in found or key in between or key == link.source:
            continue
        between.add(key)
        source = corpus.sources.get(key)
        stack.extend(source.derived_from if source else [])
    return Chain(False, tuple(sorted(found)), tuple(sorted(between)))
