"""What ``mkdocs serve`` keeps from one build of the site to the next, in its process (MkDocs makes a new plugin, and
a new template environment, for each build): the record and theme pages of the last generation (``site.memo``), the
search entries of pages the search plugin would read as it read them before, and the theme's compiled templates.
The search entries are also kept from one ``briefing build`` to the next, in the build cache.

Used by the MkDocs plugin (``briefing.mkdocs_plugin``) while serving; the search entries and compiled templates only
on a site of the briefing's alone (its ``_reusable``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache

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


class _Compiled(jinja2.BytecodeCache):
    """The theme's templates compiled in this process (``mkdocs serve`` makes a new template environment for each
    build), by name, file and everything of the environment that compiling reads: its syntax settings, extensions
    and policies, and the filters and tests it may apply to constants while compiling (each function by its
    identity: one made anew for a build compiles the templates again). Jinja compiles a template again when its
    source is not the one compiled."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}
        self._functions: dict[int, object] = {}  # every filter and test named in a key, kept so no id is reused

    def _ids(self, functions: Mapping[str, object]) -> list[tuple[str, int]]:
        for function in functions.values():
            self._functions.setdefault(id(function), function)
        return sorted((name, id(function)) for name, function in functions.items())

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        e = environment
        settings = repr((sorted(e.extensions), e.block_start_string, e.block_end_string, e.variable_start_string,
                         e.variable_end_string, e.comment_start_string, e.comment_end_string, e.line_statement_prefix,
                         e.line_comment_prefix, e.trim_blocks, e.lstrip_blocks, e.newline_sequence,
                         e.keep_trailing_newline, e.optimized, e.is_async, e.sandboxed, id(e.finalize),
                         id(e.autoescape), e.code_generator_class, e.context_class,
                         sorted(e.policies.items()), getattr(e, "newstyle_gettext", None),
                         self._ids(e.filters), self._ids(e.tests)))
        self._functions.setdefault(id(e.finalize), e.finalize)
        self._functions.setdefault(id(e.autoescape), e.autoescape)
        key = f"{self.get_cache_key(name, filename)}:{hashlib.sha256(settings.encode()).hexdigest()}"
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()
