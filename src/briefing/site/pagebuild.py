"""Pages outside the navigation built by a second process while MkDocs builds the rest (``BRIEFING_JOBS`` ≥ 2).

MkDocs builds one page after another; on a large corpus the claim and entity pages are most of the site's time,
and each is made from its own Markdown alone. ``start`` forks a helper once MkDocs knows the site's files and
navigation; the helper reads, converts and renders its share of those pages exactly as MkDocs would (MkDocs' own
page functions, every plugin's page events, the same theme), writes them into the site folder and sends back
their search entries and any warning. MkDocs in this process builds the other pages meanwhile and leaves the
helper's pages alone (they are never in its list of files, as pages kept by the page cache are not). The output
is byte-identical to one process building every page (tested).

The helper is forked only from a process with no other thread, and never by ``mkdocs serve`` (it runs threads).
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import threading
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..errors import BuildError
from ..parallel import end_with_parent, jobs
from .pages import SitePage

Entries = dict[str, list[dict[str, Any]]]  # page location -> its search entries, as Material wrote them


SHARE = (3, 5)  # the helper builds 3 of every 5 such pages: this process also builds those in the navigation


def aside(n: int) -> bool:
    """Is the n-th page (from 1) outside the navigation the helper's? Its share, spread evenly."""
    taken, every = SHARE
    return (n * taken) % every < taken


def can_help() -> bool:
    """May this process fork a helper now (two jobs or more, fork available, no other thread)? The caller also
    leaves out ``mkdocs serve``, whose threads start after its first build."""
    return jobs() >= 2 and hasattr(os, "fork") and threading.active_count() == 1


class Helper:
    """A forked process building some pages; ``wait`` for its search entries."""

    def __init__(self, pid: int, reading: int):
        self.pid, self.reading = pid, reading

    def wait(self) -> Entries:
        """The search entries of the helper's pages (their files are written by then); its warnings are logged
        here. Raises BuildError if it failed."""
        with os.fdopen(self.reading, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            failure, entries, records = pickle.loads(data)
        except Exception:  # it stopped before it could say anything
            raise BuildError("the process building the claim and entity pages stopped unexpectedly") from None
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        if failure is not None:
            raise failure  # as this process would have raised it (a full disk, a page the build refuses)
        return dict(entries)

    def stop(self) -> None:
        """End the helper if it still runs (the build failed elsewhere)."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(self.reading)
            self.pid = 0


def start(pages: list[SitePage], config: Any, files: Files, nav: Any) -> Helper:
    """Fork a helper building ``pages`` (generated pages outside the navigation) into ``config.site_dir``."""
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # the caller builds the pages itself
        os.close(reading)
        os.close(writing)
        raise
    if pid:
        os.close(writing)
        return Helper(pid, reading)
    os.close(reading)
    capture = _Capture()
    try:  # the helper: never returns
        end_with_parent()
        outcome = pickle.dumps((None, _build(pages, config, files, nav, capture), capture.records))
    except BaseException as exc:  # every failure goes to the parent, which raises it and stops the build
        try:
            outcome = pickle.dumps((exc, {}, capture.records))
        except Exception:  # an exception that cannot be sent as it is
            failed = BuildError(f"building the claim and entity pages failed: {exc!r}")
            outcome = pickle.dumps((failed, {}, capture.records))
    try:
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(outcome)
    finally:
        os._exit(0)


class _Capture(logging.Handler):
    """Warnings and errors of the helper, to be logged by the parent (``mkdocs build --strict`` counts them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _build(pages: list[SitePage], config: Any, files: Files, nav: Any, capture: _Capture) -> Entries:
    """In the helper: build the pages as MkDocs would; their search entries by location (warnings to ``capture``)."""
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        logger.handlers = [capture]
    search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
    own = [File.generated(config, page.path, content=page.text, inclusion=InclusionLevel.NOT_IN_NAV)
           for page in pages]
    for file in own:
        files.append(file)
    for file in own:
        Page(None, file, config)
        assert file.page is not None
        _populate_page(file.page, config, files)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    entries: Entries = {}
    for file in own:
        assert file.page is not None
        before = len(search.search_index.entries) if search is not None else 0
        _build_page(file.page, config, doc_files, nav, env)
        entries[file.url] = search.search_index.entries[before:] if search is not None else []
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if not Path(file.abs_dest_path).is_file():
            raise BuildError(f"{file.src_uri} was not written")
    return entries
