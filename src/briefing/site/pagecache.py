"""Built pages kept between builds: a claim or entity page whose inputs are unchanged is copied, not rebuilt.

A page is kept under a hash of everything its HTML is made from: the site's settings (``site_key``: the MkDocs
configuration, the navigation, the versions of the packages that render pages, and the files of this package and
of the theme's own folders) and the page's generated Markdown. Only pages outside the navigation that are made from
records alone are kept (claims, entities: most pages of a large corpus). With each page goes its entries in the
search index as MkDocs wrote them, so the index of a build that reuses pages is the index of a clean build.

The pages are kept in ``pages/`` of the build cache (``briefing.cachedir``: in the git folder, or
``.briefing-cache`` outside git, used only as ``cachedir`` allows), safe to delete. A build that reuses pages
writes the same bytes as a clean one (tested). After each build the folder keeps only the pages of that build's
site settings and of other settings used within ``KEEP_DAYS``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import cachedir

KEEP_DAYS = 7
SETTINGS = re.compile(r"[0-9a-f]{32}")  # the folders of site settings: the only folders it ever removes
RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "MarkupSafe")


def _folder_fingerprint(folder: Path) -> str:
    """Names, sizes and modification times of a theme folder's files (a project's own template overrides)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        info = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def site_key(settings: dict[str, Any], theme_dirs: Iterable[str]) -> str:
    """The hash of what every page's HTML depends on besides its own Markdown. ``settings``: the configuration
    (any JSON-able values; others are written as ``str``). Theme folders inside installed packages are covered by
    the packages' versions; the others (a project's overrides) by their files."""
    own = [d for d in theme_dirs
           if "site-packages" not in Path(d).parts and not Path(d).is_relative_to(cachedir.PACKAGE)]
    parts = {"settings": settings, "versions": cachedir.versions(RENDERING_PACKAGES),
             "package": cachedir.package_fingerprint(),
             "theme": {d: _folder_fingerprint(Path(d)) for d in own if Path(d).is_dir()}}
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# Kept files whose SHA-256 this process has read, by path: the file's identity, size and time of last change
# then, and the hash. ``mkdocs serve`` asks for every kept page at each build; a file unchanged since is not read
# again (a write into it changes its modification time).
SETTLED_NS = 2_000_000_000
_SEEN: dict[Path, tuple[tuple[int, int, int, int], str]] = {}


def _verified(path: Path, sha256: object) -> bool:
    """Does the kept file at path still have this SHA-256 (and is it a regular file of this user's)?"""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    seen = _SEEN.get(path)
    if seen is not None and seen[0] == stamp and cachedir.usable(info):
        return seen[1] == sha256
    content = cachedir.read(path)
    if content is None:
        return False
    digest = hashlib.sha256(content).hexdigest()
    if time.time_ns() - info.st_mtime_ns > SETTLED_NS:  # (a write within the clock's tick would not show)
        _SEEN[path] = (stamp, digest)
    return digest == sha256


class PageCache:
    """The kept pages of one site's settings: ``pages/<site key>/`` in the cache folder, one HTML file per page
    key (a hard link to the built page where the file system allows) and ``index.json``
    with each page's SHA-256 and search entries, sealed (``cachedir.seal``) as that site key's. A kept file that
    no longer has its SHA-256 is not used."""

    def __init__(self, top: Path, folder: Path):
        """``top``: the cache's ``pages`` folder; ``folder``: the one of this site's settings (``open``)."""
        self.top, self.folder = top, folder
        self.used: dict[str, dict[str, Any]] = {}
        found = cachedir.kept_json(folder / "index.json", folder.name)
        self.index: dict[str, dict[str, Any]] = found if isinstance(found, dict) else {}

    @classmethod
    def open(cls, root: Path, key: str) -> PageCache | None:
        """The kept pages of the corpus at root for the site key ``key``; None where there is no usable cache."""
        top, folder = cachedir.folder(root, "pages"), cachedir.folder(root, "pages", key[:32])
        return None if top is None or folder is None else cls(top, folder)

    @staticmethod
    def page_key(path: str, *inputs: str) -> str:
        """The key of the page written at ``path`` from these inputs (its Markdown and what goes with it)."""
        return hashlib.sha256("\0".join([path, *inputs]).encode()).hexdigest()

    def get(self, key: str) -> tuple[Path, list[dict[str, Any]]] | None:
        """The kept HTML file and search entries of a page key, or None."""
        kept, html = self.index.get(key), self.folder / f"{key}.html"
        if not isinstance(kept, dict) or not isinstance(kept.get("entries"), list):
            return None
        if not _verified(html, kept.get("sha256")):
            return None
        self.used[key] = kept
        return html, kept["entries"]

    def put(self, key: str, built: Path, entries: list[dict[str, Any]]) -> None:
        """Keep a built page and its search entries (``save`` writes the index)."""
        target = self.folder / f"{key}.html"
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        data = built.read_bytes()
        try:
            partial.unlink(missing_ok=True)
            os.link(built, partial)  # no build writes into a page it shares (see the plugin's on_post_page)
            os.replace(partial, target)
        except OSError:  # no hard links here, or a name planted meanwhile: a copy, never written through a link
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            if not cachedir.write(target, data):
                return
        self.used[key] = {"sha256": hashlib.sha256(data).hexdigest(), "entries": entries}

    @property
    def search_store(self) -> Path:
        """The file that keeps the search entries of these settings' pages from one build to the next
        (``serving.SearchReuse``)."""
        return self.folder / "search.json"

    def save(self) -> None:
        """Write the index of the pages this build used or kept; drop the other pages of these settings, and
        other settings' folders unused for KEEP_DAYS."""
        if not self.used:
            return
        if not cachedir.keep_json(self.folder / "index.json", self.folder.name, self.used):
            return
        for path in [p for p in _SEEN if p.parent == self.folder and p.stem not in self.used]:
            del _SEEN[path]  # (a page no longer kept)
        stale = time.time() - 3600
        for path in self.folder.iterdir():
            unfinished = path.name.startswith(".")  # written by a build that stopped before renaming it
            with contextlib.suppress(OSError):  # a folder, or a name gone meanwhile: it costs space only
                if (path.suffix == ".html" and path.stem not in self.used) or (
                        unfinished and path.lstat().st_mtime < stale):
                    path.unlink(missing_ok=True)  # never follows a link: removes the name only
        limit = time.time() - KEEP_DAYS * 86400
        for other in self.top.iterdir():
            with contextlib.suppress(OSError):
                info = other.lstat()
                if (other != self.folder and SETTINGS.fullmatch(other.name) and stat.S_ISDIR(info.st_mode)
                        and info.st_mtime < limit):
                    shutil.rmtree(other, ignore_errors=True)
