"""The static site: the corpus rendered by MkDocs + Material into a folder that works from file://.

``build_site`` drives a real MkDocs build with a generated configuration; ``mkdocs build`` at a corpus root
with a minimal mkdocs.yml (theme + ``plugins: [briefing, search, offline]``) gives the same site.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..changes import Changes, HistoryEntry
from ..errors import BuildError
from ..model import Corpus
from ..versioning import VersionInfo
from .context import Download, SiteInput

__all__ = ["Download", "build_site"]


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
               history: dict[str, list[HistoryEntry]], downloads: list[Download] | None = None) -> None:
    """Write the built site into ``out``. The corpus is already cut to ``ceiling``.

    Runs MkDocs in strict mode: a broken link or any other MkDocs warning stops the build (BuildError).
    """

    data = SiteInput(corpus, ceiling, version, changes, history, list(downloads or []))
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
