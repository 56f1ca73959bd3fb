"""``render_pack``: a pack of an already cut corpus as PDF bytes."""

from __future__ import annotations

from ..changes import Changes
from ..model import Corpus, Pack
from ..versioning import VersionInfo
from .assemble import Unfit, assemble
from .compile import compile_pdf


def render_pack(corpus: Corpus, pack: Pack, *, version: VersionInfo, changes: Changes | None) -> bytes:
    """The PDF of one pack. The corpus must already be cut to the pack's ceiling (``marking.at_ceiling``).

    Raises ``briefing.build.BuildError`` when a section cannot stand at this ceiling or scope, and when the pack
    runs over its ``max_pages``.
    """
    from ..build import BuildError

    try:
        data = assemble(corpus, pack, version, changes)
    except Unfit as exc:
        raise BuildError(f"pack '{pack.id}': {exc}") from None
    result = compile_pdf(data, version.epoch)
    if pack.max_pages is not None and result.pages > pack.max_pages:
        raise BuildError(f"pack '{pack.id}': takes {result.pages} pages, more than its max_pages of "
                         f"{pack.max_pages}; drop sections, narrow its themes or tags, or raise max_pages")
    return result.pdf
