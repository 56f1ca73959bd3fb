"""The built site in a real browser (Debian's Chromium), opened from file:// with no network."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import Recorder
from site_helpers import build, with_figure

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser")
    return build(with_figure(Path(shutil.copytree(EXAMPLE, base / "corpus"))), base / "out")


def test_search_from_file_url_lands_on_the_right_page(site: Path, page) -> None:
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("Worker.name") == "IframeWorker"  # the project's shim, not a CDN script
    page.click("input.md-search__input")  # Material starts the search worker on focus
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type')")
    page.locator("input.md-search__input").press_sequentially("engage")
    # results update per keystroke: wait for the whole word's answer, not the first letter's
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.trim()"
                           " === '1 matching document'")
    assert meta.inner_text() == "1 matching document"
    first = page.locator(".md-search-result__item a").first
    first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/recommendations.html")
    assert "Engage the transit country" in page.inner_text("article")


def test_citation_shows_reference_on_focus_and_leads_to_bibliography(site: Path, page) -> None:
    page.goto((site / "themes" / "trade.html").as_uri())
    cite = page.locator("article a.cite").first
    tip = cite.locator(".cite-tip")
    assert not tip.is_visible()
    cite.focus()  # keyboard focus, not only the mouse
    assert tip.is_visible() and "Widget Trade in 2023" in tip.inner_text()
    page.mouse.move(0, 0)
    cite.click()
    page.wait_for_load_state()
    assert page.url.endswith("/sources.html#src-institute2024trade")
    assert page.locator("#src-institute2024trade").is_visible()


def test_dashboard_filters_and_sorts(site: Path, page) -> None:
    page.goto((site / "claims" / "index.html").as_uri())
    rows = page.locator("#dashboard tbody tr")
    assert page.inner_text("#dash-count") == "2 of 2 claims"
    page.select_option("#dash-status", "reported")
    assert page.inner_text("#dash-count") == "1 of 2 claims"
    assert rows.nth(0).is_visible() != rows.nth(1).is_visible()
    page.select_option("#dash-status", "")
    page.fill("#dash-filter", "ruritania third")
    assert page.inner_text("#dash-count") == "1 of 2 claims"
    page.fill("#dash-filter", "")
    page.click("th:nth-child(5) button.sort")  # best grade, ascending
    assert [rows.nth(i).get_attribute("data-status") for i in range(2)] == ["reported", "disputed"]
    assert page.get_attribute("th:nth-child(5)", "aria-sort") == "ascending"
    page.click("th:nth-child(5) button.sort")
    assert [rows.nth(i).get_attribute("data-status") for i in range(2)] == ["disputed", "reported"]


def test_claim_page_loads_offline_with_search_box(site: Path, page) -> None:
    page.goto((site / "claims" / "widgets-shipped.html").as_uri())
    assert page.locator(".md-search").is_visible()
    assert "TLP:CLEAR" in page.inner_text(".md-banner")
    page.goto((site / "figures.html").as_uri())
    assert page.locator("figure.chart svg").is_visible()


PAYLOAD = "\"'><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script><svg onload=window.__pwned=3>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of corpus string that reaches a page carries a script payload."""
    root = Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("hostile") / "corpus"))

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")

    quoted = PAYLOAD.replace("\\", "\\\\").replace('"', '\\"')
    edit("sources/corpus.yml", "title: Widget export controls", f'title: "The \\"no limits\\" partnership {quoted}"')
    edit("sources/claims/widgets.yml", "statement: Widget trade grew in 2023.", f'statement: "Widget trade {quoted}"')
    edit("sources/records.yml", "name: Acme Widgets Ltd", f'name: "Acme {quoted}"')
    edit("sources/records.yml", "title: Widget trade\n", f'title: "Widget trade {quoted}"\n')
    edit("sources/references.bib", "title = {Widgets shipped through third countries}",
         "title = {Widgets \"'><img src=x onerror=\"window.__pwned=1\">}")
    return build(root, root / "site")


def test_hostile_corpus_strings_run_no_script(hostile_site: Path, page) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        page.goto(html.as_uri())
        page.wait_for_load_state("networkidle")  # let the favicon finish before the next page aborts it
        assert page.evaluate("window.__pwned") is None, html
    page.goto((hostile_site / "index.html").as_uri())
    assert "partnership" in page.title()
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially("onerror")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    assert page.evaluate("window.__pwned") is None


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("zensical")
    return build(Path(shutil.copytree(EXAMPLE, base / "corpus")), base / "out", engine="zensical")


def test_zensical_site_searches_from_file_url_with_marking_and_citations(zensical_site: Path, page) -> None:
    page.goto((zensical_site / "themes" / "trade.html").as_uri())
    assert "TLP:CLEAR" in page.inner_text(".marking-banner")
    cite = page.locator("article a.cite").first
    cite.focus()
    assert cite.locator(".cite-tip").is_visible()
    page.goto((zensical_site / "index.html").as_uri())
    page.click(".md-search__button")
    page.keyboard.type("engage")
    page.get_by_text("1 result").wait_for()
    page.get_by_text("Tighten transit controls on widgets").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].split("#")[0].endswith("/recommendations.html")


def _printed(page, path: Path, tmp_path: Path, **size) -> list[str]:
    """The page printed to PDF by Chromium, as the text of each printed page (pdftotext)."""
    import subprocess

    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")
    out = tmp_path / "printed.pdf"
    page.pdf(path=str(out), **size)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return [t for t in text.split("\f") if t.strip()]


def test_every_printed_page_carries_the_marking_and_version(site: Path, page, tmp_path: Path) -> None:
    claim = _printed(page, site / "claims" / "widgets-shipped.html", tmp_path, width="105mm", height="148mm")  # A6
    sheets = _printed(page, site / "claims" / "index.html", tmp_path, width="105mm", height="148mm")
    assert len(claim) >= 2
    for printout in (claim, sheets):
        for n, sheet in enumerate(printout, 1):
            assert "TLP:CLEAR — Disclosure is not limited." in sheet.lstrip().splitlines()[0], n
            words = " ".join(sheet.split()).replace("\u00a0", " ")
            assert "Version v1.1+2.gabc1234" in words and re.search(rf"\b{n} ?/ ?{len(printout)}\b", words), n
    whole = "\n".join(sheets)
    assert "Reviewed" in whole and "Origins" in whole  # the dashboard's last columns are not cut off
    assert "Search" not in whole and "file://" not in whole  # no header, no URLs printed
    a4 = _printed(page, site / "claims" / "index.html", tmp_path, format="A4")
    header = next(line for line in a4[0].splitlines() if "Claim" in line and "Theme" in line)
    assert header.split()[-1] == "Reviewed"


def _banner_in_view(page) -> None:
    """The marking banner is inside the viewport and on top: nothing covers its middle."""
    box = page.locator(".marking-banner").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 120, box
    covered = page.evaluate("""() => { const b = document.querySelector('.marking-banner').getBoundingClientRect();
        const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
        return !hit.closest('[data-md-component="announce"]'); }""")
    assert not covered


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_marking_stays_in_view_when_scrolled_and_when_searching(site: Path, browser, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    recorder = Recorder(page)
    page.goto((site / "sources.html").as_uri())
    page.mouse.wheel(0, 3000)
    page.wait_for_function("window.scrollY > 0")
    _banner_in_view(page)
    header = page.locator(".md-header").bounding_box()
    banner = page.locator('[data-md-component="announce"]').bounding_box()
    assert header is not None and banner is not None
    assert abs(header["y"] - (banner["y"] + banner["height"])) < 2  # the header right below it, not under it
    page.evaluate("document.querySelector('[data-md-toggle=search]').click()")  # the search icon's toggle
    page.wait_for_timeout(400)  # the panel's transition
    _banner_in_view(page)
    field = page.locator("input.md-search__input").bounding_box()
    assert field is not None and field["y"] >= banner["y"] + banner["height"] - 1  # the search field below the banner
    recorder.check()
    context.close()


def test_dark_mode_follows_the_system_and_toggles_offline(site: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    recorder = Recorder(page)
    page.goto((site / "index.html").as_uri())
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "slate"
    assert page.evaluate("getComputedStyle(document.querySelector('.marking-label')).color") == "rgb(255, 255, 255)"
    page.locator("label.md-header__button[for^='__palette']:visible").click()
    page.wait_for_function(f"{scheme} === 'default'")
    recorder.check()
    context.close()


def test_chart_text_is_legible_on_a_phone(site: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto((site / "figures.html").as_uri())
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.chart text')].map(t => {
        const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale; })""")
    assert sizes and min(sizes) >= 11, sizes
    context.close()


def test_a_dashboard_card_on_a_phone_gives_each_value_the_cards_width(site: Path, browser) -> None:
    """On a phone the dashboard's rows are cards; a theme's title runs on one line across the card, not in a
    column narrowed for the desktop table ("Grey-zone operations" broke into three lines)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto((site / "claims" / "index.html").as_uri())
    widths = page.evaluate("""() => [...document.querySelectorAll('table.dashboard tbody tr')].slice(0, 5)
        .map(tr => [tr.querySelector('td[data-label="Theme"]').getBoundingClientRect().width,
                    tr.getBoundingClientRect().width])""")
    assert widths and all(cell >= 0.9 * card for cell, card in widths), widths
    context.close()


def test_a_separator_never_starts_a_line_after_a_claims_status(site: Path, browser) -> None:
    """In a run of claim links ('Rests on: A [reported]; B [confirmed]'), the ';' stays on the line of the status
    badge before it, at every width a phone or a narrow window gives."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    checked, starting = 0, []
    for width in range(300, 560, 4):
        page.set_viewport_size({"width": width, "height": 844})
        found = page.evaluate("""() => [...document.querySelectorAll('a.claim-ref')].flatMap(a => {
            const next = a.nextSibling;
            if (!next || next.nodeType !== 3 || !next.textContent.startsWith(';')) return [];
            const range = document.createRange(); range.setStart(next, 0); range.setEnd(next, 1);
            return [range.getBoundingClientRect().top - a.querySelector('.badge').getBoundingClientRect().top]; })""")
        checked += len(found)
        starting += [width for gap in found if gap > 8]  # the ';' is a line below its badge
    assert checked >= 40 and not starting, (checked, starting)
    context.close()


@pytest.mark.parametrize("where", ["file", "root", "sub-folder"])
def test_404_page_is_styled_and_loads_everything(site: Path, browser, tmp_path: Path, where: str) -> None:
    """From file://, at a web server's root and with the site in a sub-folder of the server."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    served = tmp_path / "www"
    shutil.copytree(site, served / "sub" if where == "sub-folder" else served)
    server = None
    if where == "file":
        url = (served / "404.html").as_uri()
    else:
        handler = functools.partial(SimpleHTTPRequestHandler, directory=str(served))
        handler.log_message = lambda *args: None  # type: ignore[method-assign]
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{'sub/' if where == 'sub-folder' else ''}404.html"
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert failed == []
        assert page.locator(".marking-banner").is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert "not in the site" in page.inner_text("article")
    finally:
        context.close()
        if server is not None:
            server.shutdown()
