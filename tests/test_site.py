"""The built site, parsed: every page kind holds what a reader needs, offline, marked and versioned."""

from __future__ import annotations

import hashlib
import posixpath
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_helpers import (
    VERSION,
    build,
    content,
    external_requests,
    fake_pdf,
    html_pages,
    sample_changes,
    sample_history,
    soup,
    with_figure,
)

from briefing.build import BuildError
from briefing.marking import at_ceiling
from briefing.pipeline import load_and_check
from briefing.site import build_site
from briefing.site.search import read_index

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal corpus (plus a second key figure) built once, with changes, history and a download."""
    base = tmp_path_factory.mktemp("site")
    root = with_figure(Path(shutil.copytree(EXAMPLE, base / "corpus")))
    return build(root, base / "out", changes=sample_changes(), history=sample_history(),
                 downloads=[fake_pdf(base / "dist")])


PAGES = ["index.html", "claims/index.html", "claims/widgets-shipped.html", "claims/widget-trade-grew.html",
         "themes/trade.html", "timeline.html", "entities/index.html", "entities/acme.html", "figures.html",
         "recommendations.html", "gaps.html", "methodology.html", "sources.html", "changes.html", "downloads.html"]


@pytest.mark.parametrize("page", PAGES)
def test_page_exists_with_banner_and_version(site: Path, page: str) -> None:
    doc = soup(site, page)
    banner = doc.select_one(".md-banner .marking-banner")
    assert banner is not None
    assert "TLP:CLEAR" in banner.get_text() and "Disclosure is not limited." in banner.get_text()
    footer = doc.select_one(".md-footer").get_text(" ", strip=True)
    assert VERSION.version in footer and VERSION.date in footer


def test_home_has_key_judgments_with_confidence_and_term(site: Path) -> None:
    home = content(site, "index.html")
    judgment = home.select_one("li.judgment")
    assert "Acme widgets very likely reach Ruritania" in judgment.get_text()
    meta = judgment.select_one(".judgment-meta").get_text(" ", strip=True)
    assert "Moderate confidence" in meta and "very likely (80–95 %)" in meta
    text = home.get_text(" ", strip=True)
    assert text.index("Key judgments") < text.index("An example corpus. The agency")  # judgments above the prose
    assert home.select_one('a[href="claims/index.html"]') is not None


def test_dashboard_lists_every_claim_with_status_grade_origins(site: Path) -> None:
    rows = {r["data-status"]: r for r in content(site, "claims/index.html").select("table#dashboard tbody tr")}
    assert set(rows) == {"disputed", "reported"}
    cells = {td["data-label"]: td for td in rows["disputed"].select("td")}
    assert cells["Claim"].a["href"] == "widgets-shipped.html"
    assert cells["Status"].get_text(strip=True) == "disputed"
    assert cells["Best grade"].get_text(strip=True) == "B2"
    assert cells["Origins"].get_text(strip=True) == "1"  # the daily only repeats the agency
    assert cells["Reviewed"].get_text(strip=True) == "2024-10-05"
    assert soup(site, "claims/index.html").select_one('script[src="../assets/briefing/briefing.js"]') is not None


def test_claim_page_has_status_evidence_related_and_history(site: Path) -> None:
    page = content(site, "claims/widgets-shipped.html")
    assert page.h1.get_text(strip=True) == "Acme widgets reached Ruritania through a third country."
    badge = page.select_one("dl.claim-facts .badge")
    assert badge.get_text(strip=True) == "disputed"  # the label is text, not colour alone
    rows = page.select("table.evidence tbody tr")
    assert len(rows) == 3
    first = {td["data-label"]: td for td in rows[0].select("td")}
    assert first["Source"].a["href"] == "../sources.html#src-agency2024widgets"
    assert first["Grade"].get_text(strip=True) == "B2"
    assert first["Stance"].get_text(strip=True) == "supports"
    assert first["Locator"].get_text(strip=True) == "para. 1"
    assert "shipped to Ruritania" in first["Excerpt"].get_text()
    assert "Probably true" in first["Credibility"].get_text()
    related = page.select_one("dl.related").get_text(" ", strip=True)
    assert "Acme Widgets Ltd" in related and "Agency reports widget shipments" in related
    history = [tr.get_text(" ", strip=True) for tr in page.select("table.history tbody tr")]
    assert history == ["2024-09-26 reported v1.0", "2024-10-03 disputed v1.0+1.gdef5678"]
    other = content(site, "claims/widget-trade-grew.html")
    assert "No recorded history." in other.get_text()


def test_citation_links_to_bibliography_with_full_reference(site: Path) -> None:
    page = content(site, "themes/trade.html")
    cite = page.select_one('a.cite[href="../sources.html#src-institute2024trade"]')
    assert cite is not None
    tip = page.select_one("#" + cite["aria-describedby"])
    assert tip["role"] == "tooltip" and tip.parent is cite  # shown on :hover and :focus of the link
    assert "Roe, Richard, and Anna Poe. Widget Trade in 2023. Example Institute, 2024." in tip.get_text()  # CSL
    assert "Roe and Poe 2024, p. 3" in cite.get_text()
    assert content(site, "sources.html").select_one("li#src-institute2024trade") is not None
    claim_ref = page.select_one('a.claim-ref[data-claim="widgets-shipped"]')
    assert claim_ref["href"] == "../claims/widgets-shipped.html"


def test_theme_page_has_prose_then_claims(site: Path) -> None:
    page = content(site, "themes/trade.html")
    assert len(page.find_all("h1")) == 1
    text = page.get_text(" ", strip=True)
    assert text.index("The ministry denies it") < text.index("Claims in this theme")
    assert len(page.select("table.claims tbody tr")) == 2


def test_sources_have_grade_rationale_derivation_and_cited_by(site: Path) -> None:
    page = content(site, "sources.html")
    daily = page.select_one("li#src-daily2024widgets")
    assert "Doe, Jane. “Report: Widgets Shipped Abroad”. Example Daily, September 26, 2024." in daily.select_one(
        ".reference").get_text()
    assert "Rewrite of the agency story" in daily.get_text()
    assert daily.select_one('a[href="#src-agency2024widgets"]') is not None
    institute = page.select_one("li#src-institute2024trade")
    targets = {a["href"] for a in institute.select("a.cited-by, a.claim-ref")}
    assert {"claims/widget-trade-grew.html", "themes/trade.html", "figures.html", "entities/acme.html",
            "recommendations.html"} <= targets


def test_figures_chart_is_accessible_inline_svg_with_table(site: Path) -> None:
    page = content(site, "figures.html")
    svg = page.select_one("figure.chart svg")
    assert svg is not None and svg["role"] == "img"
    title = svg.find("title")
    assert title is not None and title.get_text() == "Year-on-year change, in percent"
    assert title["id"] in svg["aria-labelledby"]
    assert "Growth of widget trade (2023): 20 percent" in svg.find("desc").get_text()
    assert {tr["id"] for tr in page.select("table.figures tbody tr")} == {"fig-widget-trade-growth",
                                                                         "fig-widget-exports-growth"}


def test_entities_timeline_recommendations_gaps(site: Path) -> None:
    acme = content(site, "entities/acme.html")
    row = acme.select_one("table.sanctions tbody tr").get_text(" ", strip=True)
    assert row.startswith("EU listed 2024-02")
    assert "EU: listed" in content(site, "entities/index.html").get_text()
    timeline = content(site, "timeline.html").select_one("li#ev-agency-report")
    assert "2024-09-25" in timeline.get_text() and timeline.select_one("a.cite") is not None
    recs = content(site, "recommendations.html")
    options = recs.select("#rec-rec-controls .option")
    assert [o.h3.get_text(strip=True) for o in options] == ["Option 1: List the transit companies",
                                                            "Option 2: Engage the transit country"]
    assert "Quick to adopt" in options[0].select_one("ul.pros").get_text()
    assert options[0].select_one("a.cite") is not None  # advocated by the institute
    assert "How many widgets" in content(site, "gaps.html").get_text()


def test_methodology_has_the_scales(site: Path) -> None:
    text = content(site, "methodology.html").get_text(" ", strip=True)
    for expected in ("Usually reliable", "Probably true", "roughly even chance 45–55 %", "TLP:AMBER+STRICT",
                     "Credible evidence both for and against", "Information is scant"):
        assert expected in text


def test_changes_and_downloads(site: Path) -> None:
    changes = content(site, "changes.html")
    assert changes.h1.get_text(strip=True) == "What changed since v1.0"
    menu = soup(site, "changes.html").select("nav.md-nav--primary a.md-nav__link[href='changes.html']")
    assert [a.get_text(strip=True) for a in menu][:1] == ["What changed since v1.0"]  # the menu names it the same
    reworded = content(site, "changes.html").get_text(" ", strip=True)
    assert "widgets-shipped" not in reworded and "daily2024widgets" not in reworded
    assert "reported → disputed" in changes.get_text()
    link = content(site, "downloads.html").select_one("table.downloads a[download]")
    assert link["href"] == "downloads/full.pdf"
    pdf = site / "downloads" / "full.pdf"
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() in content(site, "downloads.html").get_text()


def test_no_changes_and_no_downloads_say_so(tmp_path: Path, minimal: Path) -> None:
    out = build(minimal, tmp_path / "out")
    assert not (out / "changes.html").exists()  # no empty page: one line where the version is named
    assert "no earlier release to compare version" in content(out, "downloads.html").get_text()
    assert "No briefing packs" in content(out, "downloads.html").get_text()


def test_navigation_has_no_entry_per_claim(site: Path) -> None:
    nav = soup(site, "claims/widgets-shipped.html").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert not [h for h in hrefs if "widgets-shipped" in h or "widget-trade-grew" in h]
    assert "index.html" in hrefs  # the dashboard is the index of the claims
    assert "navigation.prune" in soup(site, "index.html").select_one("#__config").get_text()


# Material's bundle loads two scripts from unpkg, each only when needed: a ResizeObserver polyfill for browsers
# without one (none that runs Material's bundle) and mermaid when a page holds a .mermaid diagram (none does:
# the site's Markdown has no mermaid syntax). The browser test records every request at run time.
CONDITIONAL = ('"https://unpkg.com/resize-observer-polyfill"', '"https://unpkg.com/mermaid@')


def test_no_request_to_another_host(site: Path) -> None:
    found = [f for f in external_requests(site)
             if not (f.startswith("assets/javascripts/bundle.") and f.endswith('"https://unpkg'))]
    assert found == []
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).read_text("utf-8")
    assert bundle.count('"https://unpkg') == len(CONDITIONAL) and all(c in bundle for c in CONDITIONAL)
    assert not [p for p in html_pages(site) if 'class="mermaid' in p.read_text("utf-8")]
    assert (site / "assets" / "briefing" / "iframe-worker.js").is_file()
    assert (site / "search" / "search_index.js").is_file()  # Material's offline plugin inlined the index


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    for path in html_pages(site):
        if path.name == "404.html":  # for web servers only: absolute links, never shown from file://
            continue
        doc = soup(site, str(path.relative_to(site)))
        for a in doc.select("a[href]"):
            url = urlsplit(a["href"])
            if url.scheme:
                continue
            target = path if not url.path else (path.parent / unquote(url.path)).resolve()
            missing_anchor = target.is_file() and url.fragment and target.suffix == ".html" and \
                soup(site, posixpath.relpath(target, site)).find(id=unquote(url.fragment)) is None
            if not target.is_file() or missing_anchor:
                broken.append(f"{path.relative_to(site)} -> {a['href']}")
    assert broken == []


def test_search_index_holds_the_corpus(site: Path) -> None:
    index = read_index(site)
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "claims/widgets-shipped.html" in locations
    assert "claims/index.html" not in locations  # the dashboard repeats every claim: left out
    banner = [d["location"] for d in index["docs"] if "Disclosure is not limited" in d["text"]]
    assert [loc for loc in banner if not loc.startswith("methodology.html")] == []  # the banner is not indexed


def test_two_builds_are_byte_identical(tmp_path: Path, minimal: Path) -> None:
    first = build(minimal, tmp_path / "a", history=sample_history())
    second = build(minimal, tmp_path / "b", history=sample_history())
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert "sitemap.xml.gz" in {f.name for f in files}
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []


def test_page_depending_on_withheld_source_fails(tmp_path: Path, minimal: Path) -> None:
    corpus, _ = load_and_check(minimal)
    cut = at_ceiling(corpus, "TLP:CLEAR")
    del cut.sources["ministry2024statement"]  # as if it were marked above the ceiling
    cut.claims["widgets-shipped"].evidence = cut.claims["widgets-shipped"].evidence[:2]
    with pytest.raises(BuildError, match="ministry2024statement"):
        build_site(cut, tmp_path / "out", ceiling="TLP:CLEAR", version=VERSION, changes=None, history={})


def test_the_home_page_title_names_the_corpus_once(site: Path) -> None:
    assert soup(site, "index.html").title.get_text() == "Widget export controls"
    assert soup(site, "sources.html").title.get_text() == "Sources - Widget export controls"
