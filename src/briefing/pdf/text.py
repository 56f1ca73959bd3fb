"""Plain-text hygiene for everything handed to Typst: no control characters, tidy whitespace."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}))?$")


def clean(value: object) -> str:
    """A corpus value as printable text: control characters dropped, runs of whitespace made one space."""
    text = CONTROL.sub("", "" if value is None else str(value))
    return _SPACE.sub(" ", text).strip()


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
