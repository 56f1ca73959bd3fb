"""``render_pack``: a pack of an already cut corpus as PDF bytes."""

from __future__ import annotations

import typst

from ..changes import Changes
from ..errors import BuildError, Unfit
from ..model import Corpus, Pack
from ..versioning import VersionInfo
from .assemble import assemble, layouts
from .cache import compiled
from .compile import compile_pdf


def render_pack(corpus: Corpus, pack: Pack, *, version: VersionInfo, changes: Changes | None) -> bytes:
    """The PDF of one pack. The corpus must already be cut to the pack's ceiling (``marking.at_ceiling``).

    A pack with ``max_pages`` is tried in ever shorter layouts (compact: no cover page or contents; then the
    evidence as counts per theme and status) until it fits. Raises ``BuildError`` when a section
    cannot stand at this ceiling or scope, and when the pack runs over its ``max_pages`` all the same.
    """
    tried = []
    for layout in layouts(pack):
        try:
            data = assemble(corpus, pack, version, changes, layout)
        except Unfit as exc:
            raise BuildError(f"pack '{pack.id}': {exc}") from None
        try:
            result = compiled(corpus.config.root, pack.id, data, version.epoch, compile_pdf)
        except typst.TypstError as exc:
            raise BuildError(f"pack '{pack.id}': Typst could not set it: {_first_line(exc)}") from None
        if pack.max_pages is None or result.pages <= pack.max_pages:
            return result.pdf
        tried.append(result.pages)
    how = " even in the compact layout" if len(tried) > 1 else ""
    raise BuildError(f"pack '{pack.id}': takes {tried[-1]} pages{how}, more than its max_pages of {pack.max_pages}; "
                     "drop sections, narrow its themes or tags, or raise max_pages")


def _first_line(exc: Exception) -> str:
    """Typst's own message, e.g. 'the glyph for "中" could not be displayed with font Libertinus Serif'."""
    message = getattr(exc, "message", None) or str(exc)
    text = str(message).strip().splitlines()
    return text[0] if text else repr(exc)
