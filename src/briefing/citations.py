"""The citation syntax shared by the checker, the site and the PDF: ``[@key]``, ``[@key, p. 4; @other]``
for sources and ``[claim:ID]`` for claims."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

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


LINK_TARGETS = (
    re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?"),  # [text](target) and ![alt](target)
    re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)"),  # [label]: target
    re.compile(r"""\b(?:src|href|data)\s*=\s*["']([^"']+)["']""", re.I),  # raw HTML
)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def local_links(text: str, here: str, first_line: int = 1) -> list[tuple[str, int]]:
    """Local link targets of a Markdown page at docs path ``here``, resolved to docs paths, with their lines.

    A target outside docs/ comes back starting with '../' (the caller refuses it).
    """
    out = []
    base = posixpath.dirname(here)
    for number, line in prose_lines(text, first_line):
        for pattern in LINK_TARGETS:
            for match in pattern.finditer(line):
                target = match.group(1)
                if SCHEME.match(target) or target.startswith("#"):
                    continue
                target = unquote(target.split("#", 1)[0].split("?", 1)[0])
                if not target:
                    continue
                joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                out.append((posixpath.normpath(joined), number))
    return out
