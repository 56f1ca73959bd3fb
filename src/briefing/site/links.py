"""Citations and claim references in rendered HTML become links with a tooltip.

The shared parse (``briefing.prose``) and the generated pages both emit
``<span class="citations"><cite data-key=".." data-locator="..">key</cite>...</span>`` and
``<a class="claim-ref" data-claim="ID">ID</a>``; this turns them into links to the bibliography entry and the
claim page. The full reference shows on hover and on keyboard focus (CSS), and is the link's description.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..cite import reference_text, short_label
from ..model import Corpus
from .context import slug
from .render import relative

GROUP = re.compile(r'<span class="citations( bare)?">(.*?)</span>', re.S)
CITE = re.compile(r'<cite data-key="([^"]*)"(?: data-locator="([^"]*)")?>.*?</cite>', re.S)
CLAIM = re.compile(r'<a class="claim-ref" data-claim="([^"]*)"[^>]*>.*?</a>', re.S)


class MissingReference(Exception):
    """A page points at a source or claim that is not in the (cut) corpus."""


class Linker:
    """Rewrites one page's HTML; tooltip ids are numbered per page."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._refs: dict[str, tuple[str, str]] = {}

    def _ref(self, key: str) -> tuple[str, str]:
        if key not in self._refs:
            source = self.corpus.sources[key]
            self._refs[key] = (html.escape(short_label(source)), html.escape(reference_text(source)))
        return self._refs[key]

    def __call__(self, page_html: str, here: str) -> str:
        counter = iter(range(1, 1 << 30))
        sources_url = relative(here, "sources.md")

        def cite(m: re.Match) -> str:
            key, locator = html.unescape(m.group(1)), html.unescape(m.group(2) or "")
            if key not in self.corpus.sources:
                raise MissingReference(f"cites '{key}', which is withheld at this marking ceiling or unknown")
            label, full = self._ref(key)
            loc = html.escape(locator)
            uid = f"cite-{next(counter)}"
            return (f'<a class="cite" href="{sources_url}#src-{html.escape(key)}" aria-describedby="{uid}">'
                    f'{label}{", " + loc if loc else ""}'
                    f'<span class="cite-tip" role="tooltip" id="{uid}" data-search-exclude>{full}'
                    f'{" — " + loc if loc else ""}</span></a>')

        def group(m: re.Match) -> str:
            inner = "; ".join(cite(c) for c in CITE.finditer(m.group(2)))
            return f'<span class="citations">{inner if m.group(1) else f"({inner})"}</span>'

        def claim(m: re.Match) -> str:
            ident = html.unescape(m.group(1))
            target = self.corpus.claims.get(ident)
            if target is None:
                raise MissingReference(f"refers to claim '{ident}', which is withheld at this marking ceiling or "
                                       "unknown")
            uid = f"cite-{next(counter)}"
            href = relative(here, f"claims/{slug(ident)}.md")
            return (f'<a class="claim-ref" data-claim="{html.escape(ident)}" href="{href}" aria-describedby="{uid}">'
                    f'{html.escape(ident)} <span class="badge status-{target.status}">{target.status}</span>'
                    f'<span class="cite-tip" role="tooltip" id="{uid}" data-search-exclude>'
                    f'{html.escape(target.statement)}</span></a>')

        return CLAIM.sub(claim, GROUP.sub(group, page_html))


def link_all(corpus: Corpus) -> Callable[[str, str], str]:
    return Linker(corpus)
