"""``render_pack``: one PDF of a pack (the pack itself, or an annex: ``parts``) of an already cut corpus."""

from __future__ import annotations

import typst

from ..changes import Changes
from ..errors import BuildError, Unfit
from ..model import Corpus, Pack
from ..versioning import VersionInfo
from .assemble import assemble, layouts
from .cache import compiled
from .compile import compile_pdf
from .parts import Part, parts


def render_pack(corpus: Corpus, pack: Pack, *, version: VersionInfo, changes: Changes | None,
                part: Part | None = None) -> bytes:
    """The PDF of one pack (by default the pack itself), or of one of its annexes (``part``). The corpus must
    already be cut to the pack's ceiling (``marking.at_ceiling``).

    A pack with ``max_pages`` is tried in ever shorter layouts (compact: no cover page or contents; then the
    evidence as counts per theme and status) until it fits; its annexes are not counted. Raises ``BuildError``
    when a section cannot stand at this ceiling or scope, and when the pack runs over its ``max_pages`` all the
    same.
    """
    part = part or parts(corpus, pack)[0]  # as Assembler takes it
    name = f"pack '{pack.id}'" + (f" (its annex '{part.title}')" if part.annex else "")
    tried = []
    for layout in layouts(pack, part):
        try:
            data = assemble(corpus, pack, version, changes, layout, part)
        except Unfit as exc:
            raise BuildError(f"{name}: {exc}") from None
        try:
            result = compiled(corpus.config.root, part.file.removesuffix(".pdf"), data, version.epoch, compile_pdf)
        except typst.TypstError as exc:
            raise BuildError(f"{name}: Typst could not set it: {_first_line(exc)}") from None
        if pack.max_pages is None or part.annex or result.pages <= pack.max_pages:
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
