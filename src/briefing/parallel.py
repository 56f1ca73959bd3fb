"""The packs of one build rendered side by side, one process per core (``BRIEFING_JOBS`` sets how many), while
the building process goes on with the site.

Each pack is an independent Typst document, so packs are rendered by forked worker processes that inherit the
loaded corpus (nothing is pickled but the pack's index and the PDF's bytes). The PDFs are the bytes a
sequential build writes: each is rendered by the same function from the same inputs. Where ``fork`` is not
available, with one pack, or with one job, packs are rendered one after another in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .changes import Changes
    from .model import Corpus, Pack
    from .versioning import VersionInfo

JOBS_ENV = "BRIEFING_JOBS"
_WORK: tuple[Corpus, VersionInfo, list[tuple[Pack, Changes | None]]] | None = None  # what forked workers inherit


def jobs() -> int:
    """How many processes may render at once: ``BRIEFING_JOBS``, else the cores this process may use."""
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def render_packs(corpus: Corpus, version: VersionInfo, work: list[tuple[Pack, Changes | None]]) -> list[bytes]:
    """The PDF of each (pack, changes), in order."""
    with Rendering(corpus, version, work) as rendering:
        return rendering.results()


class Rendering:
    """Packs rendered by worker processes while this process goes on (the site builds meanwhile).

    With one job, or without ``fork``, the packs are rendered here and now, one after another, before anything
    else. ``results()`` waits for the PDFs; leaving the ``with`` block stops workers that are still busy.
    """

    def __init__(self, corpus: Corpus, version: VersionInfo, work: list[tuple[Pack, Changes | None]],
                 alongside: bool = False):
        """``alongside``: this process has work of its own meanwhile (the site), which takes one of the jobs."""
        global _WORK
        self._pool: Pool | None = None
        self._pdfs: list[bytes] | None = None
        count = min(jobs() - alongside, len(work))
        if count < (1 if alongside else 2) or "fork" not in multiprocessing.get_all_start_methods():
            self._pdfs = [_render(corpus, version, pack, changes) for pack, changes in work]
            return
        _WORK = (corpus, version, work)
        try:
            self._pool = multiprocessing.get_context("fork").Pool(count)  # the workers fork here, inheriting _WORK
        finally:
            _WORK = None
        self._pending = self._pool.map_async(_render_at, range(len(work)), chunksize=1)  # a free worker takes one

    def results(self) -> list[bytes]:
        """The PDF of each pack, in order, once all are rendered (a worker's exception is raised here)."""
        if self._pdfs is None:
            self._pdfs = self._pending.get()
        return self._pdfs

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            if self._pdfs is None:
                self._pool.terminate()  # the build failed elsewhere: its packs are not wanted
            self._pool.close()
            self._pool.join()


def _render_at(index: int) -> bytes:
    assert _WORK is not None, "a worker process inherits its work from the build"
    corpus, version, work = _WORK
    pack, changes = work[index]
    pdf = _render(corpus, version, pack, changes)
    from .cite import save_cache

    save_cache()  # a pool's worker ends without running atexit: keep the notes it formatted for the next build
    return pdf


def _render(corpus: Corpus, version: VersionInfo, pack: Pack, changes: Changes | None) -> bytes:
    from .build import render_pack

    return render_pack(corpus, pack, version, changes)
