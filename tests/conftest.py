"""Shared fixtures: a fresh copy of the example corpus for each test that edits one; a real browser."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "minimal"
# The build cache's key (briefing.cachedir) of a user of the tests' own, never the developer's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="briefing-tests-config-")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of examples/minimal (archive included)."""
    root = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, root)
    return root


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium, headless, through Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: run ./scripts/test, which installs it"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


class Recorder:
    """Every request a page makes, and every one that failed."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        # a load cut short because the test moved to the next page (net::ERR_ABORTED) is not a failure; a missing
        # file (net::ERR_FILE_NOT_FOUND) or a refused one is
        page.on("requestfailed", lambda r: None if "ERR_ABORTED" in str(r.failure)
                else self.failed.append(f"{r.url}: {r.failure}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self) -> None:
        assert self.failed == []
        assert [u for u in self.urls if not u.startswith(("file://", "blob:"))] == []  # blob: in memory (search worker)
        assert self.errors == []


@pytest.fixture
def page(browser):
    """A desktop-sized page that fails the test on any failed load, request to another host or script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.recorder = Recorder(page)
    yield page
    page.recorder.check()
    context.close()


@pytest.fixture(scope="session")
def shipped_corpus():
    """The shipped corpus, loaded and checked once."""
    from pdf_helpers import SHIPPED, load_corpus
    return load_corpus(SHIPPED)


@pytest.fixture(scope="session")
def shipped_pdfs(tmp_path_factory: pytest.TempPathFactory):
    """The shipped corpus's packs, rendered once for every test that reads them."""
    from pdf_helpers import shipped_packs
    return shipped_packs(tmp_path_factory.mktemp("shipped"))
