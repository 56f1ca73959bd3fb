"""The short citation of a source, for lists and tables a reader scans: author or publisher, short title, year.

'Balazs, “China-Russia Dual-Use Cooperation Stays Resilient…”, 2025'. Cut only at a word, never inside brackets,
the title always inside its own pair of quotation marks. Built on ``cite``'s public functions; one place for the
site and the packs (and the site's in-text labels, 'Balazs 2025').
"""

from __future__ import annotations

import re

from .cite import year
from .model import Source, clip

TITLE_CHARS = 48  # a short title: about six words
PUBLISHER_FIELDS = ("organization", "institution", "publisher", "journaltitle", "journal")
_BRACES = re.compile(r"[{}]")


def _family(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return " ".join(p for p in (name.get("non-dropping-particle", ""), name.get("family", "")) if p)


def who(source: Source) -> str:
    """The author part of an in-text label: the authors or publisher, else the short title in quotation marks."""
    title = short_title(source)
    return author_or_publisher(source) or (f"\u201c{title}\u201d" if title else "")


def short_label(source: Source) -> str:
    """The in-text label of a citation on the site: 'Balazs 2025', 'Reuters 2024', '“Exclusive…” 2024'."""
    return f"{who(source)} {year(source)}".strip()


def author_or_publisher(source: Source) -> str:
    """'Balazs', 'Doe and Roe', 'Sabanadze et al.'; without authors or editors the publisher up to its first comma
    ('S. Rajaratnam School of International Studies (RSIS)'); '' when neither is known."""
    names = source.names.get("author") or source.names.get("editor") or []
    if names:
        first = _family(names[0])
        return first + (" et al." if len(names) > 2 else f" and {_family(names[1])}" if len(names) == 2 else "")
    for name in PUBLISHER_FIELDS:
        value = " ".join(_BRACES.sub("", source.get(name)).split())
        if value:
            return clip(_first_part(value), TITLE_CHARS)
    return ""


def _first_part(value: str) -> str:
    """The text before the first comma outside brackets: 'RSIS (Singapore), NTU' -> 'RSIS (Singapore)'."""
    depth = 0
    for i, ch in enumerate(value):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth <= 0:
            return value[:i].strip()
    return value


def short_title(source: Source) -> str:
    """The short title (BibTeX 'shorttitle'), else the title before its subtitle, cut at a word."""
    title = " ".join(_BRACES.sub("", source.get("shorttitle") or source.title).split())
    main = re.split(r":\s|\s[\u2013\u2014-]\s", title, maxsplit=1)[0]
    if len(main.split()) >= 2:
        title = main
    return _balanced(clip(title.rstrip(" .,;:"), TITLE_CHARS))


def _balanced(text: str) -> str:
    """No bracket or quotation left open (the opener goes, with what follows it); inner quotes become single."""
    while True:
        opener = _open(text)
        if opener < 0:
            break
        text = text[:opener].rstrip(" ,;:\u2026") + "\u2026"
    return re.sub(r'"([^"]*)"', "\u2018\\1\u2019", text).replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _open(text: str) -> int:
    """Where the last bracket or quotation mark that is never closed opens; -1 when every one is closed."""
    brackets: list[int] = []
    quotes: list[int] = []
    straight = -1
    for i, ch in enumerate(text):
        if ch == "(":
            brackets.append(i)
        elif ch == ")" and brackets:
            brackets.pop()
        elif ch == "\u201c":
            quotes.append(i)
        elif ch == "\u201d" and quotes:
            quotes.pop()
        elif ch == '"':
            straight = -1 if straight >= 0 else i
    return max([*brackets[-1:], *quotes[-1:], straight])


def short_citation(source: Source) -> str:
    """'Balazs, “China-Russia Dual-Use…”, 2025'; 'Reuters, “Exclusive…”, 2024'; a title alone when no author or
    publisher is known; 'n.d.' when undated."""
    title = short_title(source)
    parts = [author_or_publisher(source), f"\u201c{title}\u201d" if title else "", year(source)]
    return ", ".join(p for p in parts if p)
