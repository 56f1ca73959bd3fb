"""The generated site source is complete: MkDocs (with the plugin) and Zensical (no plugin) build the same site.

Built from the shipped corpus with both engines, compared page by page: the same pages, the same citation and
claim links, the same marking on every page, the version footer, and no request to another host.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from site_helpers import VERSION, external_requests

from briefing.marking import at_ceiling
from briefing.pipeline import load_and_check
from briefing.site import build_site

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    corpus, problems = load_and_check(REPO)
    assert not problems.errors
    cut = at_ceiling(corpus, "TLP:CLEAR")
    out = {}
    for engine in ("mkdocs", "zensical"):
        folder = tmp_path_factory.mktemp(engine) / "site"
        build_site(cut, folder, ceiling="TLP:CLEAR", version=VERSION, changes=None, history={}, engine=engine)
        out[engine] = folder
    return out


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def facts(page: Path) -> dict[str, object]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    banner = soup.select_one(".marking-banner")
    return {
        "cites": sorted(a["href"] for a in article.select("a.cite")),
        "claims": sorted(a["href"] for a in article.select("a.claim-ref")),
        "badges": sorted(s.get_text() for s in article.select("a.claim-ref .badge")),
        "marking": banner.get_text(" ", strip=True) if banner else None,
        "footer": "Version v1.1+2.gabc1234" in soup.get_text(),
        "h1": [h.get_text(" ", strip=True) for h in article.select("h1")][:1],
    }


def test_both_engines_build_the_same_pages_links_and_markings(sites: dict[str, Path]) -> None:
    mkdocs, zensical = sites["mkdocs"], sites["zensical"]
    shared = pages(mkdocs) & pages(zensical)
    assert pages(mkdocs) - {"404.html"} <= pages(zensical), pages(mkdocs) - pages(zensical)
    assert len(shared) > 100
    cited = 0
    for name in sorted(shared - {"404.html"}):
        want, got = facts(mkdocs / name), facts(zensical / name)
        assert got == want, name
        assert want["marking"] and str(want["marking"]).startswith("TLP:CLEAR") and want["footer"], name
        cited += len(want["cites"])  # type: ignore[arg-type]
    assert cited > 100


def test_the_zensical_site_loads_nothing_from_another_host(sites: dict[str, Path]) -> None:
    """Pages, stylesheets and our scripts; Zensical's bundle names CDNs for features the site does not use
    (code editor, lightbox, diagrams): the browser test proves no request leaves the machine."""
    site = sites["zensical"]
    assert [r for r in external_requests(site) if not r.startswith("assets/javascripts/bundle.")] == []
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "[@" not in html and "[claim:" not in html, page


def test_no_source_key_or_record_id_in_what_readers_see(sites: dict[str, Path]) -> None:
    """The shipped corpus's pages name sources and claims in words, and kinds of source in words too; keys, ids
    and vocabulary values stay in links, anchors and data attributes."""
    corpus, _ = load_and_check(REPO)
    ids = {i for i in [*corpus.sources, *corpus.claims, *corpus.recommendations] if "-" in i or i[-1].isdigit()}
    ids |= {s.source_class for s in corpus.sources.values() if "-" in s.source_class}
    ids |= {e.kind for e in corpus.entities.values() if "-" in e.kind}
    seen: dict[str, str] = {}
    for page in sites["mkdocs"].rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for hidden in soup(["script", "style", "pre"]):  # code blocks may show record syntax
            hidden.decompose()
        words = set(soup.get_text(" ").replace("(", " ").replace(")", " ").split())
        seen.update(dict.fromkeys(ids & words, page.name))
    assert seen == {}


def test_figure_periods_are_written_in_words(sites: dict[str, Path]) -> None:
    """'2022-09' in the corpus is 'September 2022' on the key-figures page, in the table and the charts."""
    soup = BeautifulSoup((sites["mkdocs"] / "figures.html").read_text("utf-8"), "html.parser")
    periods = [td.get_text(" ", strip=True) for td in soup.select('td[data-label="Period"]')]
    assert any("September 2022" in p for p in periods)
    shown = " ".join(periods) + " " + " ".join(t.get_text(" ") for t in soup.select("svg text"))
    assert not re.search(r"\b\d{4}-\d{2}\b", shown)
