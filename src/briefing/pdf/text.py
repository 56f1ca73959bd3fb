"""Plain-text hygiene for everything handed to Typst: no control characters, tidy whitespace."""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}))?$")


def clean(value: object) -> str:
    """A corpus value as printable text: control characters dropped, runs of whitespace made one space."""
    text = CONTROL.sub("", "" if value is None else str(value))
    return _SPACE.sub(" ", text).strip()


_PIECE = re.compile(r"\S+|\s+")
# A word that is a range of numbers and nothing else, between brackets, quotation marks or punctuation.
_RANGE = re.compile(r"([(\[\"'\u201c\u2018]*)([0-9]+)-([0-9]+)(-[0-9]+)?([)\]\"'\u201d\u2019.,;:!?]*)")
# After these, digits joined by a hyphen are an identifier ('ISO 8601-1', 'NIST SP 800-53'), not a range.
IDENTIFIER_CUES = frozenset({"isbn", "issn", "iso", "iec", "en", "rfc", "sp", "no.", "nr.", "doc.", "ref."})
LITERAL_KEYS = frozenset({"id", "url", "file"})  # a label, a link target and a file name: used as they are
LITERAL_NODES = frozenset({"code", "pre"})  # code is printed as written


def _cue(word: str) -> bool:
    """Is this word one after which digits joined by a hyphen are an identifier ('(ISO', '"ISSN', 'ISO/IEC')?"""
    bare = word.lstrip("([\"'\u201c\u2018").lower()
    return bare in IDENTIFIER_CUES or bare.rsplit("/", 1)[-1] in IDENTIFIER_CUES


def dashed(text: str) -> str:
    """A range of numbers set with an en dash ('pp. 3-4', '(2024-2025)'). Only a word that is a range and nothing
    else: an ISO date (2025-08-25, 2023-12), an identifier ('GAO-24-106291', 'ISBN 978-3-16-148410-0',
    'ISSN 0028-0836', 'SP 800-53'), a URL or a DOI keeps its hyphens, so that a reader can type it as printed."""
    if "-" not in text:
        return text
    out: list[str] = []
    previous = ""
    for piece in _PIECE.findall(text):
        word = piece
        if not piece.isspace():
            found = _RANGE.fullmatch(piece)
            if found and not _cue(previous):
                opening, first, second, third, closing = found.groups()
                month = len(first) == 4 and len(second) == 2 and 1 <= int(second) <= 12
                if not third and not month:
                    word = f"{opening}{first}\u2013{second}{closing}"
            previous = piece
        out.append(word)
    return "".join(out)


def typeset(value: Any) -> Any:
    """The data of a pack with ``dashed`` applied to every text but labels, link targets and code."""
    if isinstance(value, str):
        return dashed(value)
    if isinstance(value, list):
        return [typeset(v) for v in value]
    if isinstance(value, dict) and value.get("t") not in LITERAL_NODES:
        return {k: v if k in LITERAL_KEYS else typeset(v) for k, v in value.items()}
    return value


def keep_lines(value: str) -> str:
    """Like clean(), but keeps line breaks and indentation (code blocks)."""
    text = value.replace("\r\n", "\n").replace("\t", "    ")
    return CONTROL.sub("", text).rstrip("\n")


def language(code: str) -> tuple[str, str | None]:
    """'en' -> ('en', None); 'en-GB' -> ('en', 'gb'); anything else -> ('en', None)."""
    match = _LANG.match(code.strip())
    if not match:
        return "en", None
    return match.group(1).lower(), (match.group(2) or "").lower() or None
