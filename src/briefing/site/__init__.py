"""The static site: the corpus rendered by MkDocs + Material into a folder that works from file://.

``build_site`` drives a real MkDocs build with a generated configuration; ``mkdocs build`` at a corpus root
with a minimal mkdocs.yml (theme + ``plugins: [briefing, search, offline]``) gives the same site.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..changes import Changes, HistoryEntry
from ..errors import BuildError
from ..model import Corpus
from ..versioning import VersionInfo
from .context import Download, SiteInput
from .export import export
from .mkdocs_config import relative_404
from .pages import generate
from .search import shape_site

__all__ = ["Download", "build_site", "render_site"]


@contextlib.contextmanager
def _environment(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for reproducible dates (sitemap), and no MkDocs 2 notice from Material."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(corpus: Corpus, out: Path, *, ceiling: str, version: VersionInfo, changes: Changes | None,
               history: dict[str, list[HistoryEntry]], downloads: list[Download] | None = None,
               engine: str = "mkdocs") -> None:
    """Write the built site into ``out``. The corpus is already cut to ``ceiling``.

    MkDocs runs in strict mode with the ``briefing`` plugin: a broken link or any other MkDocs warning stops the
    build (BuildError). Zensical builds the exported site source (``export``), which needs no plugin.
    """
    render_site(SiteInput(corpus, ceiling, version, changes, history, list(downloads or [])), Path(out), engine)


def render_site(data: SiteInput, out: Path, engine: str = "mkdocs") -> None:
    """Write the site of prepared inputs (``build.site_input``) into ``out`` with an engine (see build_site)."""
    corpus, version = data.corpus, data.version
    if engine == "zensical":
        if data.wait is not None:  # the exported source holds the packs: wait for them
            data.wait()
            data.wait = None
        _zensical(data, Path(out))
        return
    with _environment(version.epoch), tempfile.TemporaryDirectory(prefix="mkdocs-", dir=Path(out).parent) as tmp:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from .mkdocs_config import standalone

        docs = corpus.config.root / "docs"
        if not docs.is_dir():
            docs = Path(tmp) / "docs"
            docs.mkdir()
        config_file = Path(tmp) / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(standalone(docs, Path(out).resolve(), corpus.config.title)),
                               encoding="utf-8")
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        plugin = None
        try:
            config = load_config(str(config_file), strict=True)
            plugin = config.plugins["briefing"]
            plugin.input = data  # type: ignore[attr-defined]
            plugin.root = corpus.config.root  # type: ignore[attr-defined]
            build(config)
        except MkDocsException as exc:
            detail = "\n".join(collect.messages)
            raise BuildError(f"site build failed: {exc}" + (f"\n{detail}" if detail else "")) from exc
        finally:
            logger.removeHandler(collect)
            if plugin is not None:  # interrupted (Ctrl-C): no helper process goes on writing pages
                plugin.stop_helper()  # type: ignore[attr-defined]


def _zensical(data: SiteInput, out: Path) -> None:
    """Export the site source and build it with Zensical (an optional install: pip install 'briefing[zensical]')."""
    tool = shutil.which("zensical", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    if tool is None:
        raise BuildError("Zensical is not installed: pip install 'briefing[zensical]' (or use --engine mkdocs)")
    docs = data.corpus.config.root / "docs"
    with _environment(data.version.epoch), tempfile.TemporaryDirectory(prefix="zensical-", dir=out.parent) as tmp:
        source = Path(tmp)
        site = generate(data)
        export(data, site, docs if docs.is_dir() else None, source)
        done = subprocess.run([tool, "build", "--clean"], cwd=source, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (source / "site" / "index.html").is_file():
            raise BuildError(f"Zensical could not build the site:\n{(done.stderr or done.stdout).strip()}")
        shape_site(source / "site", site.record_pages())
        page_404 = source / "site" / "404.html"
        if page_404.is_file():
            page_404.write_text(relative_404(page_404.read_text("utf-8")), encoding="utf-8")
        shutil.move(source / "site", out)
