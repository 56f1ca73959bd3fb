"""Registers in the browser: entities, key figures and the timeline sorted and filtered like the dashboard, and
the filtered view kept in the URL (shared, and kept on reload). Debian's Chromium, from file://, no network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from site_helpers import build, content, soup, with_figure

from briefing.site.search import read_index

MORE = """
  - id: ministry
    name: Ruritanian trade ministry
    kind: state-body
    country: Ruritania
    description: Denies the shipments.
"""
EVENT = """
  - id: controls-tightened
    date: 2023-03-01
    title: Controls on widget exports tightened
    theme: trade
    sources: [institute2024trade]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = with_figure(Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("registers") / "corpus")))
    records = root / "sources" / "records.yml"
    text = records.read_text("utf-8")
    text = text.replace("\nevents:\n", MORE + "\nevents:\n" + EVENT.lstrip("\n"), 1)
    records.write_text(text, "utf-8")
    return build(root, root / "site")


def visible_texts(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{selector}:visible").all_inner_texts()]


def test_dashboard_filter_is_kept_in_the_url_and_survives_reload(site: Path, page) -> None:
    page.goto((site / "claims" / "index.html").as_uri())
    page.select_option("#dash-status", "reported")
    page.fill("#dash-filter", "grew")
    page.click("th:nth-child(5) button.sort")
    assert page.inner_text("#dash-count") == "1 of 2 claims"
    url = page.url
    assert "status=reported" in url and "q=grew" in url and "sort=5" in url
    page.reload()
    assert page.inner_text("#dash-count") == "1 of 2 claims"
    assert page.input_value("#dash-status") == "reported" and page.input_value("#dash-filter") == "grew"
    assert page.get_attribute("th:nth-child(5)", "aria-sort") == "ascending"
    fresh = page.context.new_page()  # a shared link opens the same view
    fresh.goto(url)
    assert fresh.inner_text("#dash-count") == "1 of 2 claims"
    page.fill("#dash-filter", "")
    page.select_option("#dash-status", "")
    assert "status=" not in page.url and "q=" not in page.url


def test_entities_sort_and_filter(site: Path, page) -> None:
    page.goto((site / "entities" / "index.html").as_uri())
    names = "#entity-register tbody td[data-label=Name]"
    assert visible_texts(page, names) == ["Acme Widgets Ltd", "Ruritanian trade ministry"]
    page.click("#entity-register th:nth-child(5) button.sort")  # claims, ascending
    page.click("#entity-register th:nth-child(5) button.sort")  # descending
    assert visible_texts(page, names)[0] == "Acme Widgets Ltd"
    page.select_option(".register-controls select[data-filter=kind]", "state-body")
    assert visible_texts(page, names) == ["Ruritanian trade ministry"]
    assert page.inner_text(".register-controls [data-count]") == "1 of 2 entities"
    page.select_option(".register-controls select[data-filter=kind]", "")
    page.fill(".register-controls input[data-filter=q]", "listed")
    assert visible_texts(page, names) == ["Acme Widgets Ltd"]


def test_key_figures_sort_and_filter(site: Path, page) -> None:
    page.goto((site / "figures.html").as_uri())
    rows = "#figure-register tbody tr"
    page.click("#figure-register th:nth-child(2) button.sort")  # value, ascending
    assert [r.get_attribute("id") for r in page.locator(rows).all()] == ["fig-widget-trade-growth",
                                                                          "fig-widget-exports-growth"]
    page.fill(".register-controls input[data-filter=q]", "exports")
    assert page.inner_text(".register-controls [data-count]") == "1 of 2 key figures"


def test_timeline_filters_and_reverses(site: Path, page) -> None:
    page.goto((site / "timeline.html").as_uri())
    titles = "ol.timeline .event-title"
    assert visible_texts(page, titles) == ["Controls on widget exports tightened", "Agency reports widget shipments"]
    page.select_option(".register-controls select[data-order]", "desc")
    assert visible_texts(page, titles) == ["Agency reports widget shipments", "Controls on widget exports tightened"]
    assert visible_texts(page, "article h2") == ["2024", "2023"]
    page.select_option(".register-controls select[data-filter=year]", "2023")
    assert visible_texts(page, titles) == ["Controls on widget exports tightened"]
    assert visible_texts(page, "article h2") == ["2023"]  # the year without a shown event is hidden
    page.reload()
    assert visible_texts(page, titles) == ["Controls on widget exports tightened"]
    page.select_option(".register-controls select[data-filter=year]", "")
    page.select_option(".register-controls select[data-order]", "asc")
    assert visible_texts(page, "article h2") == ["2023", "2024"]


def test_sources_are_grouped_with_a_contents_entry_per_group_and_a_heading_per_source(site: Path) -> None:
    page = soup(site, "sources.html")
    toc = [a.get_text(" ", strip=True) for a in page.select_one("nav.md-nav--secondary").select("a")]
    groups = [h.get_text(strip=True) for h in content(site, "sources.html").select("h2")]
    assert toc == groups == ["Official records and statements", "News reporting", "Research, policy papers and data"]
    # one heading per entry, named as the citations name it, with an anchor of its own inside the entry
    heading = content(site, "sources.html").select_one("li#src-institute2024trade > h3.source-name[id]")
    assert heading is not None and heading.get_text() == "Roe and Poe 2024"
    news = content(site, "sources.html").select("h2#news + ol.bibliography > li h3")
    assert [h.get_text() for h in news] == ["Doe 2024", "Example News Agency 2024"]


def test_search_for_an_author_lands_on_the_source_entry(site: Path) -> None:
    index = read_index(site)
    found = [d for d in index["docs"] if "Roe, Richard" in d["text"] and d["location"].startswith("sources.html")]
    assert [d["location"] for d in found] == ["sources.html#source-institute2024trade"]
    assert found[0]["title"] == "Roe and Poe 2024"


def test_search_result_for_an_author_opens_the_entry_in_view(site: Path, page) -> None:
    page.goto((site / "index.html").as_uri())
    page.click("input.md-search__input")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type')")
    page.locator("input.md-search__input").press_sequentially("Poe")
    page.wait_for_function("[...document.querySelectorAll('.md-search-result__item a')]"
                           ".some(a => a.href.includes('#source-institute2024trade'))")
    page.locator(".md-search-result__item a[href*='#source-institute2024trade']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("#source-institute2024trade")  # the register keeps the anchor
    box = page.locator("#source-institute2024trade").bounding_box()
    assert box is not None and 0 < box["y"] < page.viewport_size["height"] - box["height"]  # in view
    # scrolled to the entry: at the top below the header, or as far as the page goes
    at_end = page.evaluate("scrollY >= document.documentElement.scrollHeight - innerHeight - 1")
    assert page.evaluate("scrollY") > 0 and (box["y"] < 200 or at_end)


def test_sources_filter_sort_and_url(site: Path, page) -> None:
    page.goto((site / "sources.html").as_uri())
    names = "ol.bibliography h3.source-name"
    everything = visible_texts(page, names)
    assert len(everything) == 4
    page.select_option(".register-controls select[data-filter=grade]", "C")
    shown = visible_texts(page, names)
    assert shown and len(shown) < 4
    assert page.inner_text(".register-controls [data-count]") == f"{len(shown)} of 4 sources"
    grades = page.locator("ol.bibliography > li:visible").evaluate_all("els => els.map(e => e.dataset.grade)")
    assert set(grades) == {"C"}
    assert all(h.is_visible() is False for h in page.locator("h2[hidden]").all())
    page.select_option(".register-controls select[data-filter=grade]", "")
    page.fill(".register-controls input[data-filter=q]", "ministry")
    assert visible_texts(page, names) == ["Ministry of Trade 2024"]
    assert visible_texts(page, "article h2") == ["Official records and statements"]  # empty groups are hidden
    page.fill(".register-controls input[data-filter=q]", "")
    page.select_option(".register-controls select[data-sort-list]", "cited-desc")
    cited = page.locator("ol.bibliography > li").evaluate_all("els => els.map(e => Number(e.dataset.cited))")
    news = page.locator("h2#news + ol > li").evaluate_all("els => els.map(e => Number(e.dataset.cited))")
    assert news == sorted(news, reverse=True) and len(cited) == 4
    assert "by=cited-desc" in page.url
    page.reload()
    assert page.input_value(".register-controls select[data-sort-list]") == "cited-desc"
    assert page.locator("h2#news + ol > li").evaluate_all("els => els.map(e => Number(e.dataset.cited))") == news


def test_sources_without_javascript_show_every_entry(site: Path, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "sources.html").as_uri())
    assert len(visible_texts(page, "ol.bibliography h3.source-name")) == 4
    assert not page.locator(".register-controls").is_visible()
    context.close()


def test_every_kind_of_source_has_its_group() -> None:
    """A kind of source added to the vocabulary must be placed in a group of the sources page, not fall into
    'Other sources' unnoticed."""
    from briefing.site.pages import SOURCE_GROUPS
    from briefing.vocab import SOURCE_CLASSES

    grouped = [c for _, _, classes in SOURCE_GROUPS for c in classes]
    assert sorted(grouped) == sorted(set(grouped))  # each in one group
    assert set(SOURCE_CLASSES) - set(grouped) == {"other"}
