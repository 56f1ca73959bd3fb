"""Accessibility of the built site, checked by axe-core (axe-playwright-python bundles it) in Debian's Chromium:
every page kind at desktop and phone width, light and dark, with the search dialog closed and open; links in
text told apart without colour; citation previews reachable by touch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from site_helpers import build, fake_pdf, sample_changes, sample_history, with_figure

from briefing.changes import Change

PAGES = ("index.html", "themes/index.html", "themes/trade.html", "claims/index.html", "claims/widgets-shipped.html",
         "sources.html", "entities/index.html", "entities/acme.html", "timeline.html", "figures.html",
         "recommendations.html", "gaps.html", "methodology.html", "changes.html", "downloads.html", "404.html")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal corpus with a chart, a download, and changes that include a reworded claim."""
    base = tmp_path_factory.mktemp("a11y")
    root = with_figure(Path(shutil.copytree(EXAMPLE, base / "corpus")))
    changes = sample_changes()
    changes.items.insert(0, Change("claim-reworded", "widget-trade-grew", "Widget trade grew in 2023.",
                                   "Widget trade grew sharply in 2022.", "Widget trade grew in 2023."))
    return build(root, base / "out", changes=changes, history=sample_history(), downloads=[fake_pdf(base / "dist")])


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']} — "
            f"{v['nodes'][0].get('failureSummary', '')[:160]}"
            for v in found if v["impact"] in ("serious", "critical")]


def open_search(page, query: str = "widget") -> None:
    page.evaluate("document.querySelector('[data-md-toggle=search]').click()")  # as the header's search icon does
    field = page.locator("input.md-search__input")
    field.wait_for(state="visible")
    field.press_sequentially(query)
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    settled(page)


def settled(page) -> None:
    """Wait for the theme's fades to end: axe measures the colours on screen, mid-transition ones too."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_violation_on_any_page_kind(site: Path, browser, size: str, scheme: str) -> None:
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme, is_mobile=size == "phone",
                                  has_touch=size == "phone")
    page = context.new_page()
    problems = []
    for name in PAGES:
        page.goto((site / name).as_uri())
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        settled(page)
        problems += [f"{name}: {p}" for p in serious(page)]
        if scheme == "light" or name == "index.html":  # dark: the dialog's own colours, on one page (time)
            open_search(page)
            problems += [f"{name}, search open: {p}" for p in serious(page)]
    context.close()
    assert problems == [], "\n".join(problems)


def test_the_search_dialog_is_named(site: Path, page) -> None:
    page.goto((site / "timeline.html").as_uri())
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label") == "Search"


def test_links_in_text_are_underlined_not_only_coloured(site: Path, page) -> None:
    for name, selector in (("claims/widgets-shipped.html", "article a.cite"), ("index.html", "article a.claim-ref"),
                           ("claims/widgets-shipped.html", "article dd a"), ("index.html", "article p a")):
        page.goto((site / name).as_uri())
        link = page.locator(selector).first
        assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline", selector


def test_a_citation_preview_opens_on_first_tap_and_the_link_on_the_second(site: Path, browser) -> None:
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((site / "claims/widgets-shipped.html").as_uri())
    cite = page.locator("article a.cite").first
    tip = cite.locator(".cite-tip")
    assert not tip.is_visible()
    cite.tap()
    assert tip.is_visible() and page.url.endswith("widgets-shipped.html")
    page.locator("article h1").tap()  # a tap elsewhere closes it
    assert not tip.is_visible()
    cite.tap()
    assert tip.is_visible()
    href = cite.get_attribute("href")
    assert href is not None
    cite.tap()
    page.wait_for_url(f"**/{href.removeprefix('../')}")
    context.close()


def test_a_mouse_click_on_a_citation_follows_it_at_once(site: Path, page) -> None:
    page.goto((site / "claims/widgets-shipped.html").as_uri())
    page.locator("article a.cite").first.click()
    page.wait_for_load_state()
    assert "sources.html#src-" in page.url
