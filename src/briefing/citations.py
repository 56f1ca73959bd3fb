"""The citation syntax shared by the checker, the site and the PDF: pandoc's citations for sources
(``[@key]``, ``[see @key, p. 4; also @other]``, ``[-@key]``, in-text ``@key`` and ``@key [p. 4]``, ``\\@`` for a
plain at sign) and ``[claim:ID]`` for claims."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .model import Citation
from .problems import rule

CLAIM_REF = re.compile(r"\[claim:([A-Za-z0-9_.\-]+)\]")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)

rule("cite-syntax", "something that looks like a citation ([@key], [-@key], @key) and cannot be read as one")

# A citation key as pandoc reads it: a letter, digit or '_' first, then letters, digits and internal punctuation
# (a trailing '.', ',' or ':' ends the sentence, not the key); or any key in braces, @{like this}.
_KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?))"
KEY = re.compile(_KEY)
# Where an in-text @key may start: not after a word character, '.', '@', '\' or a URL's punctuation (e-mail
# addresses, handles in URLs, escaped \@).
IN_TEXT_AT = r"(?<![\w.@\\/:+=&#%~!-])@"  # an '@' no word character, '.', '@', '\\' or URL punctuation precedes
_IN_TEXT = re.compile(IN_TEXT_AT + _KEY)
_BRACKET_AT = re.compile(r"(?:^|[\s;\[(-])@|^-@|[\s;]-@")
# Pandoc's locator terms (and CSL's locator labels they stand for); a bare number is a page.
LABELS = {
    "p.": "page", "pp.": "page", "p": "page", "pp": "page", "page": "page", "pages": "page",
    "ch.": "chapter", "chap.": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec.": "section", "secs.": "section", "section": "section", "sections": "section", "§": "section", "§§": "section",
    "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph", "paragraphs": "paragraph",
    "¶": "paragraph", "¶¶": "paragraph",
    "fig.": "figure", "figs.": "figure", "figure": "figure", "figures": "figure",
    "vol.": "volume", "vols.": "volume", "volume": "volume", "volumes": "volume",
    "n.": "note", "nn.": "note", "note": "note", "notes": "note", "fn.": "note",
    "l.": "line", "ll.": "line", "line": "line", "lines": "line",
    "col.": "column", "cols.": "column", "column": "column", "columns": "column",
    "bk.": "book", "bks.": "book", "book": "book", "books": "book",
    "pt.": "part", "pts.": "part", "part": "part", "parts": "part",
    "no.": "issue", "nos.": "issue", "number": "issue",
    "op.": "opus", "opp.": "opus", "opus": "opus",
    "fol.": "folio", "fols.": "folio", "folio": "folio",
    "v.": "verse", "vv.": "verse", "verse": "verse", "verses": "verse",
    "s.v.": "sub verbo", "s.vv.": "sub verbo", "sv": "sub verbo",
    "tab.": "table", "table": "table", "app.": "appendix", "appendix": "appendix",
}
_LABEL = "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True))
# A locator value: numbers, roman numerals and section numbers, in ranges and lists ('33-35, 38', '4.2', 'iv').
_NUMBER = r"(?:[0-9]+[0-9a-z.]*|[ivxlcdm]+|[IVXLCDM]+)"
_VALUE = rf"{_NUMBER}(?:\s*(?:[-–—]+|,|&|and)\s*{_NUMBER})*"
_LOCATOR = re.compile(rf"^\s*(?:(?P<label>{_LABEL})\s*)?(?P<value>{_VALUE})(?=$|[\s;,)\]])", re.I)


@dataclass(frozen=True)
class CiteItem:
    """One cited source: ``see @key, p. 3 and note 4`` -> prefix 'see', label 'page', locator '3', suffix
    'and note 4'; ``-@key`` suppresses the author."""

    key: str
    prefix: str = ""
    label: str = ""  # a CSL locator label: page, chapter, section, paragraph, ...
    locator: str = ""
    suffix: str = ""
    suppress_author: bool = False
    term: str = ""  # the label as written ('§', 'pp.'), for the site's short form

    @property
    def where(self) -> str:
        """The locator with its label as written: 'p. 3', '§4.2'."""
        if not self.locator:
            return ""
        if not self.term:
            return self.locator
        return f"{self.term}{'' if self.term in ('§', '§§', '¶', '¶¶') else ' '}{self.locator}"

    @property
    def pinpoint(self) -> str:
        """Locator and suffix as one text, for the checker and the evidence tables."""
        return ", ".join(p for p in (self.where, self.suffix) if p)


@dataclass(frozen=True)
class CiteGroup:
    """A bracketed group ``[see @a, p. 3; @b]`` or an in-text citation ``@a`` / ``@a [p. 3]``."""

    items: tuple[CiteItem, ...]
    in_text: bool
    start: int
    end: int


class CiteError(ValueError):
    def __init__(self, message: str, offset: int, end: int = 0):
        super().__init__(message)
        self.offset, self.end = offset, end


def _locator(rest: str) -> tuple[str, str, str, str]:
    """(label, term, locator, suffix) of what follows a key: ', pp. 33-35, emphasis mine'."""
    text = rest.strip()
    text = text[1:].strip() if text.startswith(",") else text
    match = _LOCATOR.match(text)
    if not match or (match.group("label") is None and not match.group("value")[:1].isdigit()):
        return "", "", "", text
    term = match.group("label") or ""
    label = LABELS.get(term.lower(), LABELS.get(term, "page")) if term else "page"
    value = re.sub(r"\s*(?:--|—|–|-)\s*", "\u2013", match.group("value").strip())
    suffix = text[match.end():].strip().lstrip(",").strip()
    return label, term, value, suffix


def _item(part: str, offset: int) -> CiteItem:
    match = re.search(r"(?:(?<=\s)|^)(-?)@" + _KEY, part)
    if match is None:
        raise CiteError(f"'{part.strip()}' in a citation names no source: write @key (or \\@ for an at sign)",
                        offset)
    rest = part[match.end():]
    if re.search(r"(?:^|\s)-?@[\w{]", rest):
        raise CiteError(f"two sources without ';' between them in '{part.strip()}': separate them with ';'", offset)
    prefix = " ".join(part[:match.start()].split()).replace("\\@", "@")
    label, term, locator, suffix = _locator(rest)
    return CiteItem(match.group("braced") or match.group("key"), prefix, label, locator,
                    " ".join(suffix.split()).replace("\\@", "@"), bool(match.group(1)), term)


def parse_group(inner: str, offset: int = 0) -> list[CiteItem]:
    """The items of a bracketed group's inside; CiteError when it cannot be read."""
    items, at = [], offset
    for part in re.split(r"(?<!\\);", inner):
        items.append(_item(part, at))
        at += len(part) + 1
    return items


def _bracket_end(text: str, start: int) -> int:
    """The index just past the ']' closing the '[' at start (no nesting), or -1."""
    for i in range(start + 1, len(text)):
        if text[i] == "]" and text[i - 1] != "\\":
            return i + 1
        if (text[i] == "[" and text[i - 1] != "\\") or text[i:i + 2] == "\n\n":
            return -1
    return -1


def parse_at(text: str, i: int) -> CiteGroup | CiteError | None:
    """The citation starting at text[i] ('[' or '@'), a CiteError when it looks like one and cannot be read,
    or None when there is none."""
    ch = text[i]
    if ch == "[" and not text.startswith("[claim:", i):
        end = _bracket_end(text, i)
        stop = text.find("\n\n", i)
        inner = text[i + 1:end - 1] if end > 0 else text[i + 1:stop if stop >= 0 else len(text)]
        if not _BRACKET_AT.search(inner):
            return None
        if end < 0:
            return CiteError("a citation group '[@…' is not closed with ']'", i, i + 1 + len(inner))
        if text[end:end + 1] in ("(", "[") or (text[end:end + 1] == ":" and (i == 0 or text[i - 1] == "\n")):
            return None  # a Markdown link or link reference whose text holds an @: not a citation
        try:
            return CiteGroup(tuple(parse_group(inner, i + 1)), False, i, end)
        except CiteError as exc:
            return CiteError(str(exc), exc.offset, end)
    if ch == "@":
        match = _IN_TEXT.match(text, i)
        if match:
            end = match.end()
            key = match.group("braced") or match.group("key")
            after = re.match(r" ?\[([^\[\]@]*)\]", text[end:])
            label = term = locator = suffix = ""
            if after and text[end + after.end():end + after.end() + 1] not in ("(", "["):
                label, term, locator, suffix = _locator(after.group(1))
                end += after.end()
            return CiteGroup((CiteItem(key, "", label, locator, suffix, False, term),), True, i, end)
        if text[i + 1:i + 2] == "{" and (i == 0 or not text[i - 1].isalnum()) and text[i - 1:i] != "\\":
            return CiteError("'@{' opens a braced citation key that is not closed with '}'", i, i + 2)
    return None


def find(text: str) -> Iterator[CiteGroup | CiteError]:
    """Every citation of a stretch of Markdown prose (code spans already removed), in order; CiteError for what
    looks like a citation and cannot be read. The one parser behind the checker, the site and the PDF."""
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        found = parse_at(text, i) if text[i] in "[@" else None
        if found is None:
            i += 1
            continue
        yield found
        i = max(found.end, i + 1)


def blank_code(text: str) -> str:
    """Inline code spans replaced by spaces of the same length (offsets and lines kept)."""
    return CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def prose_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """Lines of Markdown outside fenced code blocks, numbered from first_line."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=first_line):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def scan(text: str, first_line: int = 1) -> tuple[list[Citation], list[tuple[str, int]], list[tuple[int, str]]]:
    """All source citations and claim references in a Markdown text, with their lines, and the (line, message)
    of every citation that cannot be read."""
    kept = dict(prose_lines(text, first_line))
    prose = blank_code("\n".join(kept.get(n, "") for n in range(first_line, first_line + len(text.splitlines()))))

    def line(offset: int) -> int:
        return first_line + prose.count("\n", 0, offset)

    citations, errors = [], []
    for found in find(prose):
        if isinstance(found, CiteError):
            errors.append((line(found.offset), str(found)))
        else:
            citations += [Citation(item.key, item.pinpoint, line(found.start)) for item in found.items]
    claims = [(m.group(1), line(m.start())) for m in CLAIM_REF.finditer(prose)]
    return citations, claims, errors


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
