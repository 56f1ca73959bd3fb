"""The one Python-Markdown parse shared by the site and the PDF.

Citations ``[@key, p. 4; @other]`` become ``<span class="citations">`` holding one
``<cite data-key=".." data-locator="..">`` per source; ``[claim:ID]`` becomes
``<a class="claim-ref" data-claim="ID">``. Each renderer decides how these look.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .citations import CITE_GROUP, CLAIM_REF, parse_group

# The Markdown every renderer reads, by Python-Markdown extension names (the site's mkdocs.yml lists the same);
# the PDF adds this module's citation syntax, the site links citations while it generates its Markdown.
EXTENSION_NAMES = ("tables", "fenced_code", "sane_lists", "admonition", "toc", "attr_list")


class _CitationProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        items = parse_group(m.group(1))
        if items is None:
            return None, None, None
        span = etree.Element("span", {"class": "citations"})
        for key, locator in items:
            cite = etree.SubElement(span, "cite", {"data-key": key})
            if locator:
                cite.set("data-locator", locator)
            cite.text = key
        return span, m.start(0), m.end(0)


class _ClaimProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        link = etree.Element("a", {"class": "claim-ref", "data-claim": m.group(1)})
        link.text = m.group(1)
        return link, m.start(0), m.end(0)


class _Capture(Treeprocessor):
    def run(self, root):
        self.md.briefing_tree = root  # type: ignore[attr-defined]


class CitationExtension(Extension):
    """Registers the citation and claim-reference syntax."""

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CitationProcessor(CITE_GROUP.pattern, md), "briefing-cite", 175)
        md.inlinePatterns.register(_ClaimProcessor(CLAIM_REF.pattern, md), "briefing-claim", 176)


def makeExtension(**kwargs):
    return CitationExtension(**kwargs)


def parser() -> markdown.Markdown:
    return markdown.Markdown(extensions=[*EXTENSION_NAMES, "briefing.prose"])


def to_tree(text: str) -> tuple[etree.Element, list[str]]:
    """The element tree of a Markdown text (a <div> root) after all inline processing, and the raw-HTML
    stash that its placeholders point into."""
    md = parser()
    md.treeprocessors.register(_Capture(md), "briefing-capture", -1000)
    md.convert(text)
    return md.briefing_tree, [str(block) for block in md.htmlStash.rawHtmlBlocks]  # type: ignore[attr-defined]
