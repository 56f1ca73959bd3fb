"""The one Python-Markdown parse shared by the site and the PDF.

Citations (pandoc's syntax, read by ``citations.parse_at``: ``[see @key, p. 4; @other]``, ``[-@key]``, ``@key``)
become ``<span class="citations">`` (``data-in-text`` for ``@key``) holding one ``<cite data-key=".."
data-label=".." data-locator=".." data-prefix=".." data-suffix=".." data-suppress="1">`` per source; ``\\@`` is a
plain at sign; ``[claim:ID]`` becomes
``<a class="claim-ref" data-claim="ID">``. Each renderer decides how these look.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .citations import CLAIM_REF, IN_TEXT_AT, CiteGroup, parse_at

# The Markdown every renderer reads, by Python-Markdown extension names (the site's mkdocs.yml lists the same);
# the PDF adds this module's citation syntax, the site links citations while it generates its Markdown.
EXTENSION_NAMES = ("tables", "fenced_code", "sane_lists", "admonition", "toc", "attr_list")


# Where a citation may start: any '[' and an in-text '@' (citations.parse_at decides).
CITE_START = r"\[|" + IN_TEXT_AT


class _CitationProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        found = parse_at(data, m.start(0))
        if not isinstance(found, CiteGroup):  # not a citation, or one the checker refuses (cite-syntax)
            return None, None, None
        span = etree.Element("span", {"class": "citations"})
        if found.in_text:
            span.set("data-in-text", "1")
        for item in found.items:
            cite = etree.SubElement(span, "cite", {"data-key": item.key})
            for name, value in (("label", item.label), ("locator", item.locator), ("prefix", item.prefix),
                                ("suffix", item.suffix), ("pinpoint", item.pinpoint),
                                ("suppress", "1" if item.suppress_author else "")):
                if value:
                    cite.set(f"data-{name}", value)
            cite.text = item.key
        return span, found.start, found.end


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
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # \\@: an at sign that is never a citation
        md.inlinePatterns.register(_CitationProcessor(CITE_START, md), "briefing-cite", 175)
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
