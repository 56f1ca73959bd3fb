"""The site's search index, shaped after MkDocs has written it: small enough to load at once from ``file://``.

Material's search plugin indexes whole pages (tables, lists of claims, "cited by" lists), and its offline plugin
writes the index twice (``search_index.json`` for a web server, ``search_index.js`` for ``file://``). This step
keeps what a reader searches for: every page's title with the start of its text, and every section whose heading
is the page's own (a source entry on the sources page, a key judgment, a year of the timeline), with the start of
its text. Sections under a heading that recurs on many pages are a template's lists (a claim's evidence table
and history, an entity's claims, a theme's claims) that repeat what other pages hold: they are left out.

One file is written, ``search_index.js`` (or, with no ``offline`` plugin, ``search_index.json``); the worker
shim (``assets/iframe-worker.js``) serves the .js to the search on a web server too. Next to Material's search
worker goes ``<worker>.source.js``, the worker's code as a string, so that from ``file://`` the shim can start a
real worker (``new Worker`` refuses ``file://`` URLs) and the index is built off the page's main thread, by a
faster lunr builder (``lunr-builder.js``: the same index in about 70 % of the time). Independent of the page
templates: it reads only the index.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

PAGE_TEXT = 300  # characters of text kept for a page (a claim: the start of its evidence summary)
SECTION_TEXT = 600  # characters kept for a section (a recommendation and its options, a source entry)
RECURRING = 5  # a section heading found on this many pages or more is a template's heading
TAG = re.compile(r"<[^>]*>")
WORKERS = "assets/javascripts/workers"
PREFIX = "var __index = "  # what Material's offline plugin writes, and its bundle reads from file://
LUNR_BUILDER = Path(__file__).with_name("lunr-builder.js")  # the same index, built faster (read its comment)


def shape_site(site: Path, records: frozenset[str], reused: dict[str, list[dict[str, Any]]] | None = None,
               order: list[str] | None = None) -> list[dict[str, Any]] | None:
    """Shape the search index of a built site in place (only the entries of ``records``, the pages made from
    records alone: analysts' pages and a host project's own keep every word). ``reused``: the entries of pages
    copied from the page cache (by page location), which MkDocs did not index; they go where a clean build puts
    them, by ``order`` (the locations of the generated pages in build order). Returns the entries before
    shaping, or None when the site has no Material/lunr index."""
    folder = site / "search"
    source = folder / "search_index.json"
    offline = source.is_file() and (folder / "search_index.js").is_file()  # Material's index, also for file://
    for worker in sorted((site / WORKERS).glob("*.js")):
        if not worker.name.endswith(".source.js"):
            write_worker_source(worker, offline)
    if not source.is_file():
        return None
    data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list) or "config" not in data:
        return None
    raw = merged(data["docs"], reused or {}, order or [])
    data["docs"] = shape(raw, records)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    script = folder / "search_index.js"
    if not script.is_file():  # no offline plugin: the site is for a web server only, as its mkdocs.yml says
        source.write_text(text, encoding="utf-8")
        return raw
    script.write_text(PREFIX + text, encoding="utf-8")
    source.unlink()
    return raw


def merged(docs: list[dict[str, Any]], reused: dict[str, list[dict[str, Any]]],
           order: list[str]) -> list[dict[str, Any]]:
    """The index's entries with those of reused pages put back: first the entries of pages not in ``order`` (a
    host project's, built before the generated ones), then each page of ``order`` in turn, as a clean build
    indexes them."""
    placed = set(order)
    by_page: dict[str, list[dict[str, Any]]] = {}
    out = []
    for doc in docs:
        page = page_of(doc)
        if page in placed:
            by_page.setdefault(page, []).append(doc)
        else:
            out.append(doc)
    for page in order:
        out.extend(reused.get(page, by_page.get(page, [])))
    return out


def read_index(site: Path) -> dict[str, Any]:
    """The search index a built site ships (``search/search_index.js``), as data."""
    text = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix(PREFIX))


def shape(docs: list[dict[str, Any]], records: frozenset[str]) -> list[dict[str, Any]]:
    """The entries worth searching, each record page's with a short plain text (see the module's docstring)."""
    ours = [doc for doc in docs if page_of(doc) in records]
    pages_with = Counter({title: len(pages) for title, pages in _section_pages(ours).items()})
    out = []
    for doc in docs:
        if page_of(doc) not in records:
            out.append(doc)
            continue
        location = str(doc.get("location", ""))
        section = "#" in location
        if section and pages_with[doc.get("title", "")] >= RECURRING:
            continue
        entry = dict(doc)
        entry["text"] = short_text(str(doc.get("text", "")), str(doc.get("title", "")),
                                   SECTION_TEXT if section else PAGE_TEXT)
        out.append(entry)
    return out


def page_of(doc: dict[str, Any]) -> str:
    """The page an index entry belongs to: its location without the anchor."""
    return str(doc.get("location", "")).split("#", 1)[0]


def _section_pages(docs: list[dict[str, Any]]) -> dict[str, set[str]]:
    pages: dict[str, set[str]] = {}
    for doc in docs:
        location = str(doc.get("location", ""))
        if "#" in location:
            pages.setdefault(str(doc.get("title", "")), set()).add(page_of(doc))
    return pages


def short_text(text: str, title: str, limit: int) -> str:
    """Plain text, HTML-escaped, without the title repeated, cut at a word within ``limit`` characters."""
    plain = " ".join(html.unescape(TAG.sub(" ", text)).split())
    heading = " ".join(html.unescape(title).split())
    if heading and len(heading) > 20:  # a statement or a name repeated as the page's first line
        plain = " ".join(plain.replace(heading, " ", 1).split())
    if len(plain) > limit:
        cut = plain[:limit].rsplit(" ", 1)[0] if " " in plain[:limit] else plain[:limit]
        cut = cut.rstrip(" ,;:·—–-")
        plain = f"{cut} …" if cut else "…"
    return html.escape(plain, quote=False)


def write_worker_source(worker: Path, index: bool) -> None:
    """Write ``<worker>.source.js``: the worker's code as a string, for the shim's real worker from ``file://``
    (the search worker's with ``lunr-builder.js`` after it); with ``index`` (Material's search index is in
    ``search/search_index.js``), the shim may send it to the worker at page load (``__briefingEarlyIndex``)."""
    code = worker.read_text(encoding="utf-8")
    if worker.name.startswith("search."):
        code += "\n" + LUNR_BUILDER.read_text(encoding="utf-8")
    target = worker.with_name(worker.name[:-3] + ".source.js")
    key, value = json.dumps(worker.name), json.dumps(code, ensure_ascii=True)
    early = "window.__briefingEarlyIndex = true;\n" if index else ""
    target.write_text(f"(window.__briefingWorkerSources = window.__briefingWorkerSources || {{}})[{key}] = "
                      f"{value};\n{early}", encoding="utf-8")
