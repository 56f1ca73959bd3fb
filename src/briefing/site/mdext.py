"""A Python-Markdown extension for the site only: give ``[claim:ID]`` links an href.

``briefing.prose`` emits ``<a class="claim-ref" data-claim="ID">`` with no href (each renderer decides where it
points); MkDocs requires one on every link. The placeholder ``claim:ID`` (a URL scheme, so MkDocs neither
rewrites nor validates it) becomes the real relative link when the page's HTML is post-processed
(``briefing.site.links``).
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class _ClaimHref(Treeprocessor):
    def run(self, root):
        for element in root.iter("a"):
            if element.get("class") == "claim-ref" and element.get("href") is None:
                element.set("href", f"claim:{element.get('data-claim', '')}")


class ClaimHrefExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown API
        md.treeprocessors.register(_ClaimHref(md), "briefing-claim-href", 5)  # before MkDocs' relpath (0)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown entry point
    return ClaimHrefExtension(**kwargs)
