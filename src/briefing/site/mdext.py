"""A Python-Markdown extension for the site only: claim-link placeholders, then the sanitiser.

``briefing.prose`` emits ``<a class="claim-ref" data-claim="ID">`` with no href (each renderer decides where it
points); MkDocs requires one on every link. The placeholder ``claim:ID`` (a URL scheme, so MkDocs neither
rewrites nor validates it) becomes the real relative link when the page's HTML is post-processed
(``briefing.site.links``). Last of all, the page's HTML goes through ``briefing.sanitise.clean_html``: raw HTML
in analysts' Markdown keeps only allow-listed elements, attributes and URLs.
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..sanitise import clean_html


class _ClaimHref(Treeprocessor):
    def run(self, root):
        for element in root.iter("a"):
            if element.get("class") == "claim-ref" and element.get("href") is None:
                element.set("href", f"claim:{element.get('data-claim', '')}")


class _Sanitise(Postprocessor):
    def run(self, text: str) -> str:
        return clean_html(text)


class SiteExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown API
        md.treeprocessors.register(_ClaimHref(md), "briefing-claim-href", 5)  # before MkDocs' relpath (0)
        md.postprocessors.register(_Sanitise(md), "briefing-sanitise", 0)  # after raw HTML is put back (30)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown entry point
    return SiteExtension(**kwargs)
