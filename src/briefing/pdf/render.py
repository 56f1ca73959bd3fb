"""``render_pack``: a pack of an already cut corpus as PDF bytes."""

from __future__ import annotations

from ..changes import Changes
from ..model import Corpus, Pack
from ..versioning import VersionInfo
from .assemble import Unfit, assemble, layouts
from .compile import compile_pdf


def render_pack(corpus: Corpus, pack: Pack, *, version: VersionInfo, changes: Changes | None) -> bytes:
    """The PDF of one pack. The corpus must already be cut to the pack's ceiling (``marking.at_ceiling``).

    A pack with ``max_pages`` is tried in ever shorter layouts (compact: no cover page or contents; then the
    evidence as counts per theme and status) until it fits. Raises ``briefing.build.BuildError`` when a section
    cannot stand at this ceiling or scope, and when the pack runs over its ``max_pages`` all the same.
    """
    from ..build import BuildError

    tried = []
    for layout in layouts(pack):
        try:
            data = assemble(corpus, pack, version, changes, layout)
        except Unfit as exc:
            raise BuildError(f"pack '{pack.id}': {exc}") from None
        result = compile_pdf(data, version.epoch)
        if pack.max_pages is None or result.pages <= pack.max_pages:
            return result.pdf
        tried.append(result.pages)
    how = " even in the compact layout" if len(tried) > 1 else ""
    raise BuildError(f"pack '{pack.id}': takes {tried[-1]} pages{how}, more than its max_pages of {pack.max_pages}; "
                     "drop sections, narrow its themes or tags, or raise max_pages")
