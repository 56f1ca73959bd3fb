"""Raw HTML blocks of generated pages are put aside before Python-Markdown reads a page (``stash_html``): the HTML
is the same as with them in place, on record pages and on pages that hold an analyst's prose."""

from __future__ import annotations

import re
from dataclasses import replace

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.marking import at_ceiling
from briefing.model import Corpus
from briefing.prose import EXTENSION_NAMES
from briefing.site.context import SiteInput
from briefing.site.pages import PROSE_MARK, generate, stash_html, unstash_html
from briefing.versioning import VersionInfo

VERSION = VersionInfo("v1.0", "a" * 40, 1728043200, False, None)


def html_of(text: str, blocks: list[str] | None = None) -> str:
    body = markdown.Markdown(extensions=list(EXTENSION_NAMES)).convert(text.partition("\n---\n")[2])
    body = unstash_html(body, blocks or [])
    return re.sub(r"\n+", "\n", body).strip()  # raw blocks and paragraphs are joined by one newline or two


def test_every_shipped_page_converts_alike_with_its_blocks_aside(shipped_corpus: Corpus) -> None:
    site = generate(SiteInput(at_ceiling(shipped_corpus, "TLP:CLEAR"), "TLP:CLEAR", VERSION))
    prose_pages = 0
    for page in site.pages.values():
        assert PROSE_MARK not in page.text, page.path
        assert html_of(page.text, page.html_blocks) == html_of(page.markdown), page.path
        prose_pages += bool(page.html_blocks) and not page.record
    assert prose_pages >= 5  # the themes, the home page, methodology


def test_a_prose_that_opens_a_raw_html_block_keeps_every_block_in_place(shipped_corpus: Corpus) -> None:
    """An analyst's block left open would run on into the next block; put aside, ours would be lost in it."""
    corpus = at_ceiling(shipped_corpus, "TLP:CLEAR")
    doc = next(d for d in corpus.pages if d.startswith("themes/"))
    opened = replace(corpus.pages[doc], text=corpus.pages[doc].text + "\n\n<div class=\"note\">\nLeft open.\n")
    site = generate(SiteInput(corpus.copy(pages={**corpus.pages, doc: opened}), "TLP:CLEAR", VERSION))
    page = site.pages[doc]
    assert page.html_blocks == [] and "Left open." in page.text and "<table" in page.text


@settings(deadline=None, max_examples=60)
@given(st.lists(st.sampled_from(["Some *prose*.", "- a\n- b", "> quoted", "    code", "<span>inline</span> text",
                                 "text <a href='x'>link</a>", "# Heading", "| a | b |\n|---|---|\n| 1 | 2 |",
                                 "<div>\nblock\n</div>", "<!-- note -->", "1. one\n2. two", "```\nfenced\n```"]),
                min_size=0, max_size=5))
def test_stashing_around_any_prose_gives_the_html_of_the_whole(paragraphs: list[str]) -> None:
    prose = "\n\n".join(paragraphs)
    template = (f'---\ntitle: "T"\n---\n\n<h1>T</h1>\n\n<p class="subtitle">S</p>\n\n{PROSE_MARK if prose else ""}\n\n'
                '## Claims {#claims}\n\n<div class="table-wrap"><table><tr><td>x</td></tr></table></div>\n')
    text, blocks = stash_html(template, prose or None)
    assert PROSE_MARK not in text
    whole = template.replace(PROSE_MARK, prose)
    assert html_of(text, blocks) == html_of(whole)
