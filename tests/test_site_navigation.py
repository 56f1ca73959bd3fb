"""The site's labels and navigation: menu and page agree, contents without duplicates, a themes overview,
tables of contents, previous/next links and breadcrumbs from the theme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_helpers import build, content, soup

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"
HOSTILE = "Who *really* ships [them](javascript:alert(1)) <b>bold</b> `x` {#id} & why_not?"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal corpus, its home page discussing the key judgments under its own heading, a gap question
    that looks like Markdown and HTML."""
    root = Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("nav") / "corpus"))
    home = root / "docs" / "index.md"
    home.write_text(home.read_text("utf-8") + "\n## The key judgments\n\nThe judgments shown above rest on two "
                    "claims.\n\n## Outlook\n\nMore to come.\n", "utf-8")
    records = root / "sources" / "records.yml"
    text = records.read_text("utf-8")
    old = "question: How many widgets went through the third country?"
    assert old in text
    records.write_text(text.replace(old, f"question: '{HOSTILE}'"), "utf-8")
    return build(root, root / "site")


def nav_links(page) -> list[tuple[str, str]]:
    nav = page.select_one("nav.md-nav--primary")
    return [(a.get_text(" ", strip=True), a["href"]) for a in nav.select("a.md-nav__link[href]")]


def toc(page) -> list[str]:
    nav = page.select_one("nav.md-nav--secondary")
    return [a.get_text(" ", strip=True) for a in nav.select("a")] if nav else []


def test_menu_and_page_titles_agree(site: Path) -> None:
    gaps = soup(site, "gaps.html")
    assert ("Gaps", "gaps.html") in nav_links(gaps)
    assert gaps.select_one("article h1").get_text(strip=True) == "Gaps"
    assert gaps.title is not None and gaps.title.get_text().startswith("Gaps - ")
    # every entry of the menu (themes opened) names its page as the page's heading does; the home page is "Home"
    links = nav_links(soup(site, "themes/trade.html"))
    assert len(links) >= 12
    for name, href in links:
        if href.startswith("#"):
            continue  # the page's own contents, which the menu shows under it
        page = (site / "themes" / href).resolve().relative_to(site.resolve()).as_posix()
        if page != "index.html":
            assert content(site, page).h1.get_text(" ", strip=True) == name, page


def test_breadcrumbs_are_the_themes_own_on_pages_left_out_of_the_menu(site: Path) -> None:
    claim = soup(site, "claims/widgets-shipped.html")
    assert [(a.get_text(strip=True), a["href"]) for a in claim.select("nav.md-path a")] == [
        ("Home", "../index.html"), ("Evidence dashboard", "index.html")]
    entity = soup(site, "entities/acme.html")
    assert [a.get_text(strip=True) for a in entity.select("nav.md-path a")] == ["Home", "Entities"]
    for page in ("claims/widgets-shipped.html", "entities/acme.html"):
        assert content(site, page).select(".crumbs") == []  # no hand-made trail besides
    theme = content(site, "claims/widgets-shipped.html").find("dt", string="Theme")
    assert theme is not None and theme.find_next("dd").a["href"] == "../themes/trade.html"
    assert soup(site, "timeline.html").select("nav.md-path") == []  # a top-level page has no trail


def test_left_navigation_on_every_page_kind_at_desktop_width(site: Path, page) -> None:
    for name in ("index.html", "claims/index.html", "claims/widgets-shipped.html", "themes/trade.html",
                 "entities/acme.html", "sources.html", "gaps.html", "timeline.html", "figures.html"):
        page.goto((site / name).as_uri())
        nav = page.locator(".md-sidebar--primary nav.md-nav--primary")
        assert nav.is_visible(), name
        assert page.locator(".md-sidebar--primary a.md-nav__link", has_text="Sources").first.is_visible(), name


def test_home_contents_list_the_key_judgments_once(site: Path) -> None:
    home = soup(site, "index.html")
    entries = toc(home)
    assert [e for e in entries if "key judgments" in e.lower()] == ["Key judgments"]
    assert "Outlook" in entries
    text = content(site, "index.html").get_text(" ", strip=True)
    # the analysts' discussion follows the list, under the one heading
    order = [text.index(s) for s in ("Key judgments", "Acme widgets very likely", "The judgments shown above")]
    assert order == sorted(order)


def test_themes_overview_lists_each_theme_with_summary_and_counts(site: Path) -> None:
    page = content(site, "themes/index.html")
    assert page.h1.get_text(strip=True) == "Themes"
    theme = page.select_one("section.theme-summary")
    assert theme.select_one("h2 a")["href"] == "trade.html"
    counts = theme.select_one(".theme-counts").get_text(" ", strip=True)
    assert counts.startswith("2 claims") and "reported 1" in counts and "disputed 1" in counts
    links = nav_links(soup(site, "themes/trade.html"))
    assert ("Themes", "index.html") in links  # the section's own page (navigation.indexes)


def test_gaps_have_a_table_of_contents_with_record_text_literal(site: Path) -> None:
    gaps = soup(site, "gaps.html")
    entries = toc(gaps)
    assert HOSTILE in entries
    heading = content(site, "gaps.html").select_one("h2#gap-volume")
    assert heading is not None and heading.get_text() == HOSTILE
    assert heading.find(["a", "b", "em", "code"]) is None


def test_previous_and_next_links_and_breadcrumbs(site: Path) -> None:
    page = soup(site, "timeline.html")
    footer = [a.get_text(" ", strip=True) for a in page.select("nav.md-footer__inner a.md-footer__link")]
    assert len(footer) == 2 and "Previous" in footer[0] and "Next" in footer[1]
    crumbs = [a.get_text(strip=True) for a in soup(site, "themes/trade.html").select(".md-path a")]
    assert crumbs[-1] == "Themes"
