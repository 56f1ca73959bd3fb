"""The citation syntax shared by the checker, the site and the PDF: ``[@key]``, ``[@key, p. 4; @other]``
for sources and ``[claim:ID]`` for claims."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Citation

CITE_GROUP = re.compile(r"\[(@[^\[\]]+)\]")  # may span a line break inside a paragraph
CITE_ITEM = re.compile(r"^\s*@([A-Za-z0-9_:.\-/]+)\s*(?:,\s*(.*?))?\s*$", re.S)
CLAIM_REF = re.compile(r"\[claim:([A-Za-z0-9_.\-]+)\]")
FENCE = re.compile(r"^\s*(```|~~~)")


def parse_group(inner: str) -> list[tuple[str, str]] | None:
    """'@a, p. 4; @b' -> [('a', 'p. 4'), ('b', '')]; None when it is not a citation group."""
    items = []
    for part in inner.split(";"):
        match = CITE_ITEM.match(part)
        if not match:
            return None
        items.append((match.group(1), " ".join((match.group(2) or "").split())))
    return items


def prose_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """Lines of Markdown outside fenced code blocks, numbered from first_line."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=first_line):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def scan(text: str, first_line: int = 1) -> tuple[list[Citation], list[tuple[str, int]]]:
    """All source citations and claim references in a Markdown text, with their lines."""
    kept = dict(prose_lines(text, first_line))
    prose = "\n".join(kept.get(n, "") for n in range(first_line, first_line + len(text.splitlines())))

    def line(offset: int) -> int:
        return first_line + prose.count("\n", 0, offset)

    citations = [Citation(key, locator, line(group.start()))
                 for group in CITE_GROUP.finditer(prose) for key, locator in parse_group(group.group(1)) or []]
    claims = [(m.group(1), line(m.start())) for m in CLAIM_REF.finditer(prose)]
    return citations, claims
