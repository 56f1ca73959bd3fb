"""Every reference from one record to another, as the schema declares them (``Field.refers``).

The checker resolves them (``unresolved-*``) and refuses a record that depends on one marked above it
(``marking-leak``); ``marking.at_ceiling`` verifies the same before anything is rendered. A new field that
refers to another record is declared in ``schema`` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import schema
from .model import Corpus, Page
from .problems import Loc
from .vocab import marking_rank

# Record kinds as Corpus attributes, with the singular name used in messages.
RECORD_KINDS = {"sources": "source", "claims": "claim", "entities": "entity", "events": "event",
                "figures": "figure", "recommendations": "recommendation", "judgments": "key judgment",
                "gaps": "gap", "themes": "theme", "pages": "page"}


@dataclass(frozen=True)
class Ref:
    """A reference to the record ``ident`` of ``kind`` (source, claim, entity, theme, page, attachment)."""

    kind: str
    ident: str
    loc: Loc


KEPT = "_references"  # where a record keeps its references once walked (a record does not change once loaded)


def references(kind: str, record: Any) -> tuple[Ref, ...]:
    """The references of one record of a kind (a Corpus attribute name), as its schema declares them; walked once
    per record (the checker, the cut to a ceiling, the site's "cited by" lists and the packs' scopes all ask)."""
    found = record.__dict__.get(KEPT)
    if found is None:
        found = record.__dict__[KEPT] = tuple(_walk(kind, record))
    return found


def _walk(kind: str, record: Any) -> Iterator[Ref]:
    if kind == "sources":
        loc = Loc(record.loc.path, record.field_lines.get("derived_from", record.loc.line))
        yield from (Ref("source", key, loc) for key in record.derived_from if key)
    elif kind == "pages":
        yield from _page_refs(record)
    else:
        yield from _declared(schema.KINDS[kind], record)


def hops(entry: str | None) -> list[str]:
    """The records a reference names: 'a' or, in a via chain, 'euronews > reuters' (relayed through a, from b)."""
    return [part.strip() for part in (entry or "").split(">") if part.strip()]


def _declared(kind: schema.Kind, record: Any) -> Iterator[Ref]:
    for f in kind.fields:
        value = getattr(record, f.name)
        if f.refers:
            for entry in value if isinstance(value, list) else [value]:
                for ident in hops(entry):
                    yield Ref(f.refers, ident, record.loc)
        if f.item is not None:
            for item in value:
                yield from _declared(f.item, item)


def _page_refs(page: Page) -> Iterator[Ref]:
    for cite in page.citations:
        yield Ref("source", cite.key, Loc(page.loc.path, cite.line))
    for ident, line in page.claim_refs:
        yield Ref("claim", ident, Loc(page.loc.path, line))
    for target, line in page.links:
        kind = "page" if target.endswith(".md") else "attachment"
        yield Ref(kind, target, Loc(page.loc.path, line))


def records(corpus: Corpus) -> Iterator[tuple[str, Any]]:
    """Every record of the corpus with its kind (packs are not records: they have a ceiling, not a marking)."""
    for kind in RECORD_KINDS:
        for record in getattr(corpus, kind).values():
            yield kind, record


def attachment_markings(corpus: Corpus) -> dict[str, str]:
    """Each attachment in docs/ that a page links, with the marking of the most restricted page linking it."""
    out: dict[str, str] = {}
    for page in corpus.pages.values():
        for target, _ in page.links:
            if target in corpus.files:
                out[target] = max(out.get(target, page.marking), page.marking, key=marking_rank)
    return out


def targets(corpus: Corpus, kind: str) -> dict[str, Any]:
    """The records a reference of this kind may name (attachments map to their marking)."""
    if kind == "attachment":
        return attachment_markings(corpus)
    return getattr(corpus, {"source": "sources", "claim": "claims", "entity": "entities", "theme": "themes",
                            "page": "pages"}[kind])


def marking_of(target: Any) -> str:
    return target if isinstance(target, str) else target.marking


def leaks(corpus: Corpus) -> Iterator[tuple[str, Any, Ref, str]]:
    """(kind, record, reference, target marking) for each reference to something marked above the record."""
    stores = {kind: targets(corpus, kind) for kind in ("source", "claim", "entity", "theme", "page", "attachment")}
    for kind, record in records(corpus):
        for ref in references(kind, record):
            target = stores[ref.kind].get(ref.ident)
            if target is not None and marking_rank(marking_of(target)) > marking_rank(record.marking):
                yield kind, record, ref, marking_of(target)
