"""Raw HTML blocks of generated pages are put aside before Python-Markdown reads a page (``stash_html``): the HTML
is the same as with them in place, on record pages and on pages that hold an analyst's prose, and nothing an
analyst writes can put a block where it does not belong or lose one unnoticed."""

from __future__ import annotations

import re
from dataclasses import replace

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import BuildError
from briefing.marking import at_ceiling
from briefing.model import Corpus
from briefing.prose import EXTENSION_NAMES
from briefing.sanitise import clean_html
from briefing.site.context import SiteInput
from briefing.site.mkdocs_config import SANITISER
from briefing.site.pages import PROSE_MARK, SitePage, generate, stash_html
from briefing.versioning import VersionInfo

VERSION = VersionInfo("v1.0", "a" * 40, 1728043200, False, None)


def html_of(page: SitePage, whole: bool = False) -> str:
    """The page converted as the site converts it (the site's extensions, its sanitiser), blocks put back. Put
    back after the sanitiser, the template's blocks keep their own spelling ("'" for "&#39;"): the result is
    compared as the sanitiser writes it, and joined by single newlines."""
    md = markdown.Markdown(extensions=[*EXTENSION_NAMES, SANITISER])
    body = md.convert((page.markdown if whole else page.text).partition("\n---\n")[2])
    body = clean_html(body if whole else page.unstash(body))
    return re.sub(r"\n+", "\n", body).strip()


def theme_page(corpus: Corpus, extra: str) -> SitePage:
    """The first theme page of the corpus, its prose ending in ``extra``."""
    corpus = at_ceiling(corpus, "TLP:CLEAR")
    doc = next(d for d in corpus.pages if d.startswith("themes/"))
    written = replace(corpus.pages[doc], text=corpus.pages[doc].text + extra)
    return generate(SiteInput(corpus.copy(pages={**corpus.pages, doc: written}), "TLP:CLEAR", VERSION)).pages[doc]


def test_every_shipped_page_converts_alike_with_its_blocks_aside(shipped_corpus: Corpus) -> None:
    site = generate(SiteInput(at_ceiling(shipped_corpus, "TLP:CLEAR"), "TLP:CLEAR", VERSION))
    prose_pages = 0
    for page in site.pages.values():
        assert PROSE_MARK not in page.text, page.path
        assert html_of(page) == html_of(page, whole=True), page.path
        prose_pages += bool(page.html_blocks) and not page.record
    assert prose_pages >= 5  # the themes, the home page, methodology


@pytest.mark.parametrize("opener", ["<div class=\"note\">", "\u00a0<div>", " \u3000<p>", "<!-- a note"])
def test_a_prose_that_opens_a_raw_html_block_keeps_every_block_in_place(shipped_corpus: Corpus,
                                                                        opener: str) -> None:
    """An analyst's block left open would run on into the next block; put aside, ours would be lost in it. Up to
    three characters of any white space may come before it (a no-break space pasted from a word processor)."""
    page = theme_page(shipped_corpus, f"\n\n{opener}\nLeft open.\n")
    assert page.html_blocks == [] and "Left open." in page.text and "<table" in page.text


@pytest.mark.parametrize("forged", ["BRIEFINGHTMLBLOCK0X", "BRIEFING&#72;TMLBLOCK0X", "BRIEFINGHTML<!-- -->BLOCK1X",
                                    "BRIEFINGHTMLBLOCK0123456789abcdef0123N0X", "BRIEFINGHTMLBLOCK99X"])
def test_text_that_looks_like_a_placeholder_stays_text(shipped_corpus: Corpus, forged: str) -> None:
    """The placeholders' names hold a digest of the page (its prose included): no one writing the page can name
    one, even through a character reference or a comment the sanitiser removes."""
    page = theme_page(shipped_corpus, f"\n\n{forged}\n")
    assert page.html_blocks
    html = html_of(page)
    assert html == html_of(page, whole=True)
    assert html.count("<h1") == 1 and html.count("<table") == 1


def test_a_block_lost_in_conversion_fails_the_page_rather_than_publish_it_without(shipped_corpus: Corpus) -> None:
    page = theme_page(shipped_corpus, "")
    with pytest.raises(BuildError, match=r"docs/themes/.*part of the page was lost"):
        page.unstash("<p>only the prose</p>")


@settings(deadline=None, max_examples=60)
@given(st.lists(st.sampled_from(["Some *prose*.", "- a\n- b", "> quoted", "    code", "<span>inline</span> text",
                                 "text <a href='x'>link</a>", "# Heading", "| a | b |\n|---|---|\n| 1 | 2 |",
                                 "<div>\nblock\n</div>", "<!-- note -->", "1. one\n2. two", "```\nfenced\n```",
                                 "\u00a0<div>\nopen", "BRIEFINGHTMLBLOCK0X"]),
                min_size=0, max_size=5))
def test_stashing_around_any_prose_gives_the_html_of_the_whole(paragraphs: list[str]) -> None:
    prose = "\n\n".join(paragraphs)
    template = (f'---\ntitle: "T"\n---\n\n<h1>T</h1>\n\n<p class="subtitle">S</p>\n\n{PROSE_MARK if prose else ""}\n\n'
                '## Claims {#claims}\n\n<div class="table-wrap"><table><tr><td>x</td></tr></table></div>\n')
    text, blocks, tag = stash_html(template, prose or None)
    assert PROSE_MARK not in text
    page = SitePage("t.md", text, html_blocks=blocks, stash_tag=tag)
    assert html_of(page) == html_of(page, whole=True)
