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


_WORD = re.compile(r"\S*[0-9]-[0-9]\S*")
_RANGE = re.compile(r"[0-9]+-[0-9]+(?:-[0-9]+)?")  # (digits 0-9 only: what a year and month are written in)
LITERAL_KEYS = frozenset({"id", "url"})  # a label and a link target: used as they are
LITERAL_NODES = frozenset({"code", "pre"})  # code is printed as written


def _range(match: re.Match[str]) -> str:
    first, *rest = match.group().split("-")
    month = len(first) == 4 and len(rest) == 1 and len(rest[0]) == 2 and 1 <= int(rest[0]) <= 12
    return match.group() if len(rest) != 1 or month else f"{first}\u2013{rest[0]}"


def dashed(text: str) -> str:
    """A range of numbers set with an en dash ('pp. 3-4', '2024-2025'). An ISO date (2025-08-25, 2023-12) keeps its
    hyphens, and so does every word with a '/' or ':' (a URL, a DOI): a reader must be able to type it as printed."""
    if "-" not in text:
        return text
    return _WORD.sub(lambda w: w.group() if "/" in w.group() or ":" in w.group() else _RANGE.sub(_range, w.group()),
                     text)


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
