"""Registers in the browser: entities, key figures and the timeline sorted and filtered like the dashboard, and
the filtered view kept in the URL (shared, and kept on reload). Debian's Chromium, from file://, no network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from site_helpers import build, with_figure

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
