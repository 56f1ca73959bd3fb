"""What ``mkdocs serve`` keeps from one build of the site to the next, in its process (MkDocs makes a new plugin for
each build): the record and theme pages of the last generation (``site.memo``) and the search entries of pages the
search plugin would read as it read them before. ``briefing build`` keeps both in the build cache instead (the
pages: ``site.memofile``), where both also keep the compiled templates (``site.compiled``).

Used by the MkDocs plugin (``briefing.mkdocs_plugin``) while serving; the search entries only on a site of the
briefing's alone (its ``_reusable``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import cachedir
from .cite import forget_changed_styles
from .site.memo import PageMemo

# The live-reload server of this process's ``mkdocs serve`` (from the plugin's ``on_serve``), and the files the
# plugin asked it to watch.
_SERVER: list[Any] = []
_WATCHED: set[Path] = set()
# The record and theme pages of the last generation of each corpus (by root) in this process.
_MEMOS: dict[Path, PageMemo] = {}
# The search entries of the pages of the last build of each corpus served, by a digest of what the search plugin
# reads of a page (``SearchReuse``).
_SEARCH_ENTRIES: dict[Path | None, dict[bytes, list[dict]]] = {}
_NONE = object()


def active(config: Any) -> bool:
    """Is this a build of ``mkdocs serve`` (which sets the site's URL to its own address)? No ``on_startup`` tells:
    a plugin with that event is kept from one build of ``mkdocs serve`` to the next, with the corpus it loaded."""
    host, port = config.dev_addr
    return urlsplit(config.site_url).netloc == f"{host}:{port}"


def serve_with(server: Any) -> None:
    """The server of this ``mkdocs serve``, which ``watch`` asks."""
    _SERVER[:] = [server]
    _WATCHED.clear()


def watch(path: Path) -> None:
    """Have ``mkdocs serve`` watch a file of the corpus's besides its folders (a citation style file), also one
    the corpus names only after the server started: each build asks."""
    if _SERVER and path not in _WATCHED:
        _WATCHED.add(path)
        _SERVER[0].watch(str(path), recursive=False)


def page_memo(root: Path) -> PageMemo:
    """The record and theme pages kept for the corpus at root; none when a citation style file changed since it was read
    (the pages are kept under the records they read, not the style's text). Called before the corpus is read."""
    if forget_changed_styles():
        _MEMOS.pop(root, None)
    return _MEMOS.setdefault(root, PageMemo())


class SearchReuse:
    """One build's search entries: a page the search plugin would read as it read it in the last build (its
    address, title, metadata, table of contents and text for search) gets that build's entries, and the plugin
    leaves it (``before``, then ``after`` once the plugin has had the page). The last build's entries are kept by
    this process (``mkdocs serve``) or, with ``store``, in that file of the build cache, sealed with this user's
    key (a ``briefing build``: an entry is shipped in the site's search index, so none is taken from a file this
    user's builds did not write)."""

    def __init__(self, root: Path | None, store: Path | None = None):
        self.root, self.store = root, store
        self._page: tuple[bytes, int, object, bool] | None = None  # the page the plugin is reading
        self._made: dict[bytes, list[dict]] = {}  # the entries of this build's pages
        self._kept = _SEARCH_ENTRIES.get(root, {}) if store is None else _stored(store)

    def before(self, search: Any, entries: list[dict], page: Any) -> None:
        read = [dict(search.config), page.url, page.title, json.dumps(page.meta, sort_keys=True, default=repr),
                _toc(page.toc), page.content is None]  # all the search plugin reads of a page, and its content:
        digest = hashlib.blake2b(repr(read).encode(), digest_size=16)
        digest.update((page.content or "").encode("utf-8", "surrogatepass"))  # (megabytes: not through repr)
        key = digest.digest()
        kept = self._kept.get(key)
        self._page = (key, len(entries), page.meta.get("search", _NONE), kept is not None)
        if kept is not None:
            entries.extend(kept)
            page.meta["search"] = {"exclude": True}  # the search plugin leaves it (put back in ``after``)

    def after(self, entries: list[dict], page: Any) -> None:
        if self._page is None:
            return
        (key, start, meta, reused), self._page = self._page, None
        self._made[key] = entries[start:]
        if reused:
            if meta is _NONE:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = meta

    def close(self) -> None:
        """This build's entries are those the next build reuses."""
        if self.store is None:
            _SEARCH_ENTRIES[self.root] = self._made
            return
        made = {key.hex(): entries for key, entries in self._made.items()}
        cachedir.keep_json(self.store, _store_name(self.store), made)  # (one not written costs time only)


def _store_name(store: Path) -> str:
    """The name a store is sealed under: its folder's (the site's settings) and its own."""
    return f"{store.parent.name}/{store.name}"


def _stored(store: Path) -> dict[bytes, list[dict]]:
    """The entries a store keeps: none unless this user's key sealed it under its name."""
    found = cachedir.kept_json(store, _store_name(store))
    try:
        return {bytes.fromhex(key): entries for key, entries in found.items()
                if isinstance(entries, list) and all(isinstance(entry, dict) for entry in entries)}
    except (ValueError, AttributeError):  # none, not an object, a key not hex: nothing kept
        return {}


def _toc(items: Any) -> list:
    """A page's table of contents as data: each entry's title, address, level and entries."""
    return [(item.title, item.url, item.level, _toc(item.children)) for item in items or []]
