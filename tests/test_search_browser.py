"""Search in a real browser (Debian's Chromium): from file:// and from a web server, with the one shaped index."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_helpers import build

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"
# The longest main-thread task from the first keystroke on (the page's own loading, which a busy machine can make
# long, is not the search's).
LONGTASKS = """
window.__longest = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    if (window.__typing !== undefined && e.startTime + e.duration >= window.__typing)
      window.__longest = Math.max(window.__longest, e.duration);
  });
}).observe({type: "longtask", buffered: true});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("search")
    return build(Path(shutil.copytree(EXAMPLE, base / "corpus")), base / "out")


def search(page, url: str, query: str) -> list[str]:
    """Open url, type query into the search box and return the links of the results, best first."""
    page.add_init_script(LONGTASKS)
    page.goto(url)
    field = page.locator("input.md-search__input")
    field.click()
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type')")
    page.evaluate("window.__typing = performance.now()")
    field.press_sequentially(query)
    page.wait_for_function("q => document.querySelector('.md-search__input').value === q && "
                           "document.querySelectorAll('.md-search-result__item').length > 0", arg=query)
    page.wait_for_timeout(300)  # the answer to the last keystroke
    return page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")


def test_finds_a_claim_by_its_statement_from_a_real_worker(site: Path, page) -> None:
    links = search(page, (site / "index.html").as_uri(), "Ruritania third country")
    assert links[0].split("?")[0].endswith("/claims/widgets-shipped.html")
    assert page.evaluate("document.querySelector('iframe[title=worker]')") is None  # not on the page's thread
    assert page.evaluate("window.__longest") < 500  # typing, the page never froze for half a second


def test_from_file_the_index_is_built_in_the_background_before_the_search_is_opened(site: Path, page) -> None:
    """Material sends the index to its worker from file:// only when the search opens; the shim has the real
    worker build it at page load, and Material's own setup then finds it ready (and finds the same results)."""
    page.goto((site / "claims" / "widgets-shipped.html").as_uri())
    page.wait_for_function("window.__briefingSearchBuilt === true", timeout=30_000)
    assert page.evaluate("document.getElementById('__search').checked") is False  # the search was never opened
    assert page.evaluate("document.activeElement.tagName") != "INPUT"  # nor given the focus
    field = page.locator("input.md-search__input")
    field.click()
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type')")
    field.press_sequentially("Acme")
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0")
    links = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    assert any(link.split("?")[0].endswith("/entities/acme.html") for link in links)


def test_finds_an_entity(site: Path, page) -> None:
    links = search(page, (site / "index.html").as_uri(), "Acme")
    assert any(link.split("?")[0].endswith("/entities/acme.html") for link in links)


def test_finds_a_source_by_its_author(site: Path, page) -> None:
    links = search(page, (site / "claims" / "widgets-shipped.html").as_uri(), "Doe")
    found = [i for i, link in enumerate(links) if link.split("?")[0].split("#")[0].endswith("/sources.html")]
    assert found
    page.locator(".md-search-result__item > a").nth(found[0]).click()
    page.wait_for_load_state()
    assert "Doe" in page.inner_text("article") and page.url.split("?")[0].endswith("/sources.html")


def test_falls_back_to_the_frame_when_the_worker_code_is_missing(site: Path, tmp_path: Path, page) -> None:
    copy = Path(shutil.copytree(site, tmp_path / "site"))
    for source in (copy / "assets" / "javascripts" / "workers").glob("*.source.js"):
        source.unlink()
    page.recorder.failed.clear()
    links = search(page, (copy / "index.html").as_uri(), "Acme")
    assert any(link.split("?")[0].endswith("/entities/acme.html") for link in links)
    assert page.evaluate("document.querySelector('iframe[title=worker]') !== null")
    page.recorder.failed[:] = [f for f in page.recorder.failed if ".source.js" not in f]  # the expected miss


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_search_works_from_a_web_server_with_one_index_file(site: Path, served: str, browser) -> None:
    assert not (site / "search" / "search_index.json").exists()
    context = browser.new_context()
    page = context.new_page()
    try:
        links = search(page, f"{served}/index.html", "Acme")
        assert any(link.split("?")[0].endswith("/entities/acme.html") for link in links)
    finally:
        context.close()
