"""A Python-Markdown extension for the site: every page's HTML goes through the sanitiser last.

Raw HTML in analysts' Markdown keeps only the elements, attributes and URLs that ``briefing.sanitise`` allows;
citations and claim links were already written into the Markdown (``briefing.site.linking``).
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from ..sanitise import clean_html


class _Sanitise(Postprocessor):
    def run(self, text: str) -> str:
        return clean_html(text)


class SiteExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(_Sanitise(md), "briefing-sanitise", 0)  # after raw HTML is put back (30)


def makeExtension(**kwargs):
    return SiteExtension(**kwargs)
