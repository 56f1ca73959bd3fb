"""The citation syntax shared by the checker, the site and the PDF: ``[@key]``, ``[@key, p. 4; @other]``
for sources and ``[claim:ID]`` for claims."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Citation

CITE_GROUP = re.compile(r"\[(@[^\[\]\n]+)\]")
CITE_ITEM = re.compile(r"^\s*@([A-Za-z0-9_:.\-/]+)\s*(?:,\s*(.*?))?\s*$")
CLAIM_REF = re.compile(r"\[claim:([A-Za-z0-9_.\-]+)\]")
FENCE = re.compile(r"^\s*(```|~~~)")


def parse_group(inner: str) -> list[tuple[str, str]] | None:
    """'@a, p. 4; @b' -> [('a', 'p. 4'), ('b', '')]; None when it is not a citation group."""
    items = []
    for part in inner.split(";"):
        match = CITE_ITEM.match(part)
        if not match:
            return None
        items.append((match.group(1), match.group(2) or ""))
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
    citations: list[Citation] = []
    claims: list[tuple[str, int]] = []
    for number, line in prose_lines(text, first_line):
        for group in CITE_GROUP.finditer(line):
            for key, locator in parse_group(group.group(1)) or []:
                citations.append(Citation(key, locator, number))
        claims.extend((m.group(1), number) for m in CLAIM_REF.finditer(line))
    return citations, claims
