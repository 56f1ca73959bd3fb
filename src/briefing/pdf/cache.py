"""Compiled packs kept between builds: a pack whose Typst input is unchanged is not compiled again.

The key is a hash of everything Typst reads (the template, the data, the timestamp, the PDF standard and the
Typst version), so a kept PDF is the PDF a compilation would give. The PDFs are kept in ``packs/`` of the build
cache (``briefing.cachedir``: the repository's git folder, or the corpus folder outside git, like dist/ itself,
so a pack above TLP:CLEAR may be kept there, unlike the reference cache in the home folder, which keeps only
TLP:CLEAR sources), safe to delete; ``BRIEFING_NO_CACHE`` turns it off. A kept PDF is used only with its page
count and SHA-256 sealed by this user (``cachedir.seal``). Each PDF (a pack, or one of its annexes) keeps its
``KEEP`` most recently used PDFs (a pack with ``max_pages`` may be tried in several layouts).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typst

from .. import cachedir
from .compile import PDF_STANDARDS, Compiled, template

KEEP = 4


def compiled(root: Path, name: str, data: dict[str, Any], epoch: int,
             compile_: Callable[[dict[str, Any], int], Compiled]) -> Compiled:
    """The compiled PDF named ``name`` (a pack's or an annex's file name without '.pdf'): kept from an earlier
    build with the same input, or compiled now (and kept)."""
    folder = cachedir.folder(root, "packs")
    if folder is None:  # caching off, no key, or no folder of this user's
        return compile_(data, epoch)
    text = json.dumps([template(), data, epoch, PDF_STANDARDS, getattr(typst, "__version__", "")],
                      ensure_ascii=False, sort_keys=True)
    stem = f"{name}.{hashlib.sha256(text.encode()).hexdigest()}"
    pdf, pages = folder / f"{stem}.pdf", folder / f"{stem}.pages"
    content = cachedir.read(pdf)
    count = cachedir.unseal(stem, cachedir.read(pages))  # its page count, sealed with the PDF's SHA-256
    try:
        if content is not None and count is not None and count.startswith(
                hashlib.sha256(content).hexdigest().encode() + b" "):
            os.utime(pdf, follow_symlinks=False)
            return Compiled(content, int(count.split(b" ", 1)[1]))
    except (OSError, ValueError):
        pass
    result = compile_(data, epoch)
    sealed = cachedir.seal(stem, f"{hashlib.sha256(result.pdf).hexdigest()} {result.pages}".encode())
    try:
        if sealed is None:
            return result
        if not (cachedir.write(pdf, result.pdf) and cachedir.write(pages, sealed)):
            return result
        kept = folder.glob(f"{glob.escape(name)}.{'[0-9a-f]' * 64}.pdf")  # this PDF's, not those of 'name.x'
        older = sorted(kept, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for old in older:
            old.unlink(missing_ok=True)
            old.with_suffix(".pages").unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written is no reason to fail the build
    return result
