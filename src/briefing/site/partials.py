"""Material's partial templates rendered once where they come out the same for many pages.

A 5,000-claim site renders Material's page template 5,000 times; some of its partials do not depend on the page:
- the search box and the colour-scheme toggle read only the configuration;
- the navigation sidebar of a page outside the navigation (a claim, an entity) has no active link, and its links,
  relative to the page's folder, are the same for every page of that folder.
Each is rendered once per build (per folder for the sidebar) and reused. A page in the navigation, or a site
whose sidebar holds the page's table of contents (``toc.integrate``), renders its sidebar as before. The output
is byte-identical (tested against a build with ``BRIEFING_NO_CACHE=1``, which turns this off).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import material
from jinja2 import Environment, TemplateNotFound

MATERIAL = Path(material.__file__).resolve().parent  # only Material's own partials are shared
Key = Callable[[Any], "tuple[str, ...] | None"]  # from a template context: what the output depends on, or None


def _features(context: Any) -> tuple[str, ...]:
    return tuple(context.get("features") or ())


def _sidebar(context: Any) -> tuple[str, ...] | None:
    page, nav, features = context.get("page"), context.get("nav"), _features(context)
    if page is None or nav is None or not page.url or page in nav.pages or "toc.integrate" in features:
        return None
    return (posixpath.dirname(page.url), *features)


SHARED: dict[str, Key] = {
    "partials/nav.html": _sidebar,
    "partials/search.html": _features,
    "partials/palette.html": _features,
}


def share(env: Environment) -> None:
    """Make the partials of ``SHARED`` render once per key in this build (a template kept from an earlier build
    forgets what it rendered then)."""
    for name, key_of in SHARED.items():
        try:
            template = env.get_template(name)
        except TemplateNotFound:
            continue
        if not Path(template.filename or "").resolve().is_relative_to(MATERIAL):
            continue  # a project's own override: it may read the page
        memo: dict[tuple[str, ...], str] | None = getattr(template, "briefing_memo", None)
        if memo is not None:
            memo.clear()
            continue
        template.briefing_memo = memo = {}  # type: ignore[attr-defined]
        template.root_render_func = _memoised(template.root_render_func, key_of, memo)


def _memoised(render: Callable[[Any], Iterator[str]], key_of: Key,
              memo: dict[tuple[str, ...], str]) -> Callable[[Any], Iterator[str]]:
    def root(context: Any) -> Iterator[str]:
        key = key_of(context)
        if key is None:
            yield from render(context)
            return
        if key not in memo:
            memo[key] = "".join(render(context))
        yield memo[key]

    return root
