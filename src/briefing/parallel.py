"""The packs of one build rendered side by side, one process per core (``BRIEFING_JOBS`` sets how many), while
the building process goes on with the site.

Each PDF of a pack (the pack itself, or one of its annexes) is an independent Typst document, so they are rendered
by forked worker processes that inherit the corpus, cut once per ceiling before the fork (nothing is pickled but
the job's index and the PDF's bytes). The PDFs are the bytes a
sequential build writes: each is rendered by the same function from the same inputs. Where ``fork`` is not
available, or no job is left for them (one job, taken by the site; or one pack and nothing alongside), packs are
rendered one after another in this process, before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from .errors import BuildError

if TYPE_CHECKING:
    from .changes import Changes
    from .model import Corpus, Pack
    from .pdf.parts import Part
    from .versioning import VersionInfo

JOBS_ENV = "BRIEFING_JOBS"
# one PDF of a pack (the pack itself or one of its annexes), with the corpus already cut to the pack's ceiling
Job = tuple["Corpus", "Pack", "Changes | None", "Part"]
_WORK: tuple[VersionInfo, list[Job]] | None = None  # what forked workers inherit


def jobs() -> int:
    """How many processes may render at once: ``BRIEFING_JOBS``, else the cores this process may use."""
    wanted = os.environ.get(JOBS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Rendering:
    """Packs rendered by worker processes while this process goes on (the site builds meanwhile).

    One coordinating process is forked here, before this process starts anything else; it hands the packs to a
    pool of workers, each pack to a fresh fork (Typst keeps what it memoized for a pack, hundreds of MiB for a
    large one, until its process ends), and sends the PDFs back through a pipe. The forking happens in the
    coordinator, never in this process: a fork from a pool's thread here could inherit the pipe of a ``git`` that
    this process is starting at that moment, and that ``git`` would then never be seen to start.

    With one job, or without ``fork``, the packs are rendered here and now, one after another, before anything
    else. ``results()`` waits for the PDFs; leaving the ``with`` block stops a coordinator that is still busy.
    """

    def __init__(self, version: VersionInfo, work: list[Job], alongside: bool = False):
        """``alongside``: this process has work of its own meanwhile (the site), which takes one of the jobs."""
        global _WORK
        self._coordinator: BaseProcess | None = None
        self._pdfs: list[bytes] | None = None
        count = min(jobs() - alongside, len(work))
        if count < (1 if alongside else 2) or "fork" not in multiprocessing.get_all_start_methods():
            self._pdfs = [_render(version, job) for job in work]
            return
        context = multiprocessing.get_context("fork")
        self._results, sending = context.Pipe(duplex=False)
        _WORK = (version, work)  # what the coordinator and its workers inherit
        try:
            self._coordinator = context.Process(target=_coordinate, args=(sending, count, len(work)))
            self._coordinator.start()
            if self._coordinator.pid is not None:
                _own_group(self._coordinator.pid)
        finally:
            _WORK = None
        sending.close()

    def results(self) -> list[bytes]:
        """The PDF of each pack, in order, once all are rendered (a worker's exception is raised here)."""
        if self._pdfs is None:
            try:
                outcome, value = self._results.recv()
            except EOFError:
                raise BuildError("the process rendering the packs ended without them") from None
            if outcome != "ok":
                raise value
            self._pdfs = value
        return self._pdfs

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._coordinator is not None:
            if self._pdfs is None and self._coordinator.pid is not None:
                with contextlib.suppress(ProcessLookupError):  # the build failed elsewhere: stop the coordinator
                    os.killpg(self._coordinator.pid, signal.SIGKILL)  # and its workers: the packs are not wanted
            self._coordinator.join()
            self._results.close()


def end_with_parent() -> None:
    """Linux: this process is killed when the one that forked it ends (a build killed mid-way leaves no packs
    rendering for nobody). Elsewhere nothing: such a process ends when it finds no one to send its PDFs to."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _own_group(pid: int) -> None:
    """Put the coordinator in a process group of its own (its workers join it when they fork), so that one signal
    stops them all. Called by both parent and child: whichever runs first, the group exists before it is used."""
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)


def _coordinate(sending: Connection, count: int, total: int) -> None:
    """In the coordinating process: render every pack in a pool of ``count`` workers, one fresh fork per pack, and
    send back ("ok", PDFs) or ("error", the exception)."""
    _own_group(os.getpid())
    end_with_parent()
    pool = multiprocessing.get_context("fork").Pool(count, maxtasksperchild=1)
    try:
        outcome: tuple[str, object] = ("ok", pool.map(_render_at, range(total), chunksize=1))
        pool.close()  # the workers end when the queue is empty (terminating them could catch one holding its lock)
    except Exception as exc:  # any failure of a pack goes to the build, which raises it
        outcome = ("error", exc)
        pool.terminate()
    pool.join()
    sending.send(outcome)
    sending.close()


def _render_at(index: int) -> bytes:
    assert _WORK is not None, "a worker process inherits its work from the build"
    version, work = _WORK
    pdf = _render(version, work[index])
    from .cite import save_cache

    save_cache()  # a pool's worker ends without running atexit: keep the notes it formatted for the next build
    return pdf


def _render(version: VersionInfo, job: Job) -> bytes:
    from .pdf import render_pack  # imported when needed: 'check' does not load Typst

    cut, pack, changes, part = job
    return render_pack(cut, pack, version=version, changes=changes, part=part)
