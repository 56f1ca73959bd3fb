"""The `briefing` MkDocs plugin in an existing MkDocs project, run as a user runs it: `mkdocs build`.

Section mode (the default) keeps the project's site_name, navigation and home page and adds the briefing as one
navigation section whose pages live in one folder; the corpus's warnings reach MkDocs' log, so that
`mkdocs build --strict` fails exactly when `briefing check --strict` does; a configuration whose search cannot
work from file:// is warned about.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup
from site_helpers import content, html_pages, soup

TODAY = "2024-10-10"  # the example's claims were reviewed on 2024-10-05: not stale on this day

PROJECT_HOME = """---
title: Widget handbook
---
# Welcome to the widget handbook

Our own home page. The trade figures come from the institute [@institute2024trade, p. 3].
"""

PROJECT_ABOUT = """# About this handbook

Written by the widget desk. See [the home page](index.md).
"""

UNCITED_SOURCE = """
@report{uncited2024note,
  author = {{Widget Desk}},
  title = {A note nobody cites},
  institution = {Widget Desk},
  date = {2024-10-01},
  reliability = {C},
  reliability_note = {Internal note},
  descriptor = {Internal},
  source_class = {research},
}
"""


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=root, env=env, capture_output=True,
                          text=True, check=False)


def briefing_check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", "check", "--root", str(root), "--today", TODAY, *args],
                          capture_output=True, text=True, check=False)


def project(root: Path, *, nav: bool = True, briefing: dict | None = None,
            plugins: tuple[str, ...] = ("search", "offline")) -> Path:
    """Make a corpus copy an existing MkDocs project: its own site name, home page, a page of its own and (with
    ``nav``) its own navigation; the briefing plugin with default options (staleness judged on TODAY)."""
    docs = root / "docs"
    (docs / "index.md").write_text(PROJECT_HOME, "utf-8")
    (docs / "about.md").write_text(PROJECT_ABOUT, "utf-8")
    config: dict = {
        "site_name": "Widget Handbook",
        "theme": {"name": "material"},
        "plugins": [{"briefing": {"today": TODAY, **(briefing or {})}}, *plugins],
    }
    if nav:
        config["nav"] = [{"Start": "index.md"}, {"About us": "about.md"}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return root


def broken_links(site: Path) -> list[str]:
    """Every internal link of a built site whose file, or anchor within an HTML page, does not exist."""
    broken = []
    for path in html_pages(site):
        if path.name == "404.html":  # for web servers only: absolute links, never shown from file://
            continue
        for a in soup(site, str(path.relative_to(site))).select("a[href]"):
            url = urlsplit(a["href"])
            if url.scheme:
                continue
            target = path if not url.path else (path.parent / unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            missing_anchor = target.is_file() and url.fragment and target.suffix == ".html" and \
                soup(site, posixpath.relpath(target, site)).find(id=unquote(url.fragment)) is None
            if not target.is_file() or missing_anchor:
                broken.append(f"{path.relative_to(site)} -> {a['href']}")
    return broken


def titles(items: list) -> list[str]:
    """The titles of navigation items (a page's link, or a section's label)."""
    return [" ".join(item.find(["a", "label"]).get_text(" ", strip=True).split()) for item in items]


def nav_titles(page: BeautifulSoup) -> list[str]:
    """The top-level titles of Material's primary navigation."""
    return titles(page.select("nav.md-nav--primary > ul.md-nav__list > li"))


def section_titles(page: BeautifulSoup, section: str, nested: bool = False) -> list[str]:
    """The titles of the items in one top-level section of the primary navigation (``nested``: of every page
    below it, at any depth)."""
    for item in page.select("nav.md-nav--primary > ul.md-nav__list > li"):
        label = item.find("label")
        if label is not None and label.get_text(" ", strip=True) == section:
            if nested:
                return [" ".join(a.get_text(" ", strip=True).split()) for a in item.select("nav a")]
            return titles(item.select("nav > ul.md-nav__list")[0].find_all("li", recursive=False))
    raise AssertionError(f"no section {section!r}")


def test_section_mode_keeps_the_project_and_adds_a_briefing_section(minimal: Path) -> None:
    root = project(minimal)
    result = mkdocs(root, "--strict")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    home = soup(site, "index.html")
    assert home.title is not None and "Widget Handbook" in home.title.get_text()
    assert home.select_one(".md-header__topic").get_text(strip=True) == "Widget Handbook"
    assert content(site, "index.html").h1.get_text(strip=True) == "Welcome to the widget handbook"
    assert "Key judgments" not in content(site, "index.html").get_text()
    assert nav_titles(home) == ["Start", "About us", "Briefing"]
    assert section_titles(home, "Briefing") == ["Overview", "Evidence dashboard", "Themes", "Timeline", "Entities",
                                                "Key figures", "Recommendations", "Gaps", "Sources", "Methodology",
                                                "Downloads"]  # no earlier release: no "What changed" page
    # Every generated page in the section's folder; the analysts' theme page keeps its own path.
    for page in ("briefing/index.html", "briefing/claims/index.html", "briefing/claims/widgets-shipped.html",
                 "briefing/sources.html", "briefing/timeline.html", "briefing/entities/index.html",
                 "briefing/methodology.html", "briefing/downloads.html", "themes/trade.html", "about.html"):
        assert (site / page).is_file(), page
    assert not (site / "claims").exists() and not (site / "sources.html").exists()
    assert content(site, "briefing/index.html").h1.get_text(strip=True) == "Widget export controls"
    # Corpus citations in the project's own pages link into the section; markings are on every page.
    cite = content(site, "index.html").select_one("a.cite")
    assert cite is not None and cite["href"] == "briefing/sources.html#src-institute2024trade"
    claim = content(site, "themes/trade.html").select_one("a.claim-ref")
    assert claim is not None and claim["href"] == "../briefing/claims/widgets-shipped.html"
    for page in ("index.html", "briefing/claims/widgets-shipped.html", "about.html"):
        assert "TLP:CLEAR" in soup(site, page).select_one(".marking-banner").get_text()
    cited_by = content(site, "briefing/sources.html").select("#src-institute2024trade a.cited-by-page")
    assert sorted(a["href"] for a in cited_by) == ["../index.html", "../themes/trade.html"]
    assert broken_links(site) == []
    assert (site / "search" / "search_index.js").is_file()  # search works from file://


def test_section_mode_without_a_nav_lists_the_project_pages_then_the_section(minimal: Path) -> None:
    root = project(minimal, nav=False, briefing={"section_dir": "intel", "section_title": "Intelligence"})
    result = mkdocs(root, "--strict")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    home = soup(site, "index.html")
    assert nav_titles(home) == ["Widget handbook", "About this handbook", "Intelligence"]
    assert (site / "intel" / "claims" / "widgets-shipped.html").is_file() and not (site / "briefing").exists()
    # The theme page is listed once: in the briefing's section, not among the project's own pages too.
    assert "Widget trade" in section_titles(home, "Intelligence", nested=True)
    assert broken_links(site) == []


def test_section_mode_with_the_corpus_elsewhere_leaves_the_project_docs_alone(tmp_path: Path, minimal: Path) -> None:
    root = tmp_path / "handbook"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Handbook\n\nNot a corpus page: <b>raw HTML</b> is fine here, "
                                            '<iframe title="map" src="map.html"></iframe> too.\n', "utf-8")
    (root / "docs" / "notes.md").write_text("# Notes\n\n[Back](index.md)\n", "utf-8")
    (root / "docs" / "logo.txt").write_text("not linked from any page\n", "utf-8")
    shutil.move(minimal, root / "corpus")
    (root / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Handbook", "theme": {"name": "material"},
        "plugins": [{"briefing": {"root": "corpus", "today": TODAY}}, "search", "offline"]}), "utf-8")
    result = mkdocs(tmp_path, "--strict", "--config-file", str(root / "mkdocs.yml"))  # root: relative to mkdocs.yml
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert content(site, "index.html").h1.get_text(strip=True) == "Handbook"
    assert content(site, "index.html").select_one('iframe[title="map"]') is not None  # not the corpus's sanitiser
    assert (site / "notes.html").is_file() and (site / "logo.txt").is_file()
    # The corpus's own pages live in the section with the generated ones: home prose and theme page included.
    assert "An example corpus" in content(site, "briefing/index.html").get_text()
    assert (site / "briefing" / "themes" / "trade.html").is_file()
    assert nav_titles(soup(site, "index.html")) == ["Handbook", "Notes", "Briefing"]
    assert broken_links(site) == []


def test_a_corpus_inside_the_project_docs_is_refused_not_published_raw(tmp_path: Path, minimal: Path) -> None:
    root = tmp_path / "handbook"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Handbook\n", "utf-8")
    shutil.move(minimal, root / "docs" / "corpus")
    (root / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Handbook", "theme": {"name": "material"},
        "plugins": [{"briefing": {"root": "docs/corpus", "today": TODAY}}, "search", "offline"]}), "utf-8")
    result = mkdocs(root)
    assert result.returncode != 0 and "inside the project's docs folder" in result.stderr
    assert "Traceback" not in result.stderr and not (root / "site" / "corpus").exists()


def test_whole_site_mode_takes_over_name_nav_and_home(minimal: Path) -> None:
    root = project(minimal, briefing={"mode": "site"})
    result = mkdocs(root, "--strict")
    assert result.returncode == 0, result.stderr
    home = soup(root / "site", "index.html")
    assert home.select_one(".md-header__topic").get_text(strip=True) == "Widget export controls"
    assert "Start" not in nav_titles(home) and "Evidence dashboard" in nav_titles(home)
    assert (root / "site" / "claims" / "widgets-shipped.html").is_file()


def test_a_corpus_warning_fails_strict_builds_as_briefing_check_strict_does(minimal: Path) -> None:
    root = project(minimal)
    assert mkdocs(root, "--strict").returncode == 0
    assert briefing_check(root, "--strict").returncode == 0
    bib = root / "sources" / "references.bib"
    bib.write_text(bib.read_text("utf-8") + UNCITED_SOURCE, "utf-8")
    assert briefing_check(root, "--strict").returncode == 1
    strict = mkdocs(root, "--strict")
    assert strict.returncode != 0
    assert "source-uncited" in strict.stderr and "uncited2024note" in strict.stderr
    plain = mkdocs(root)
    assert plain.returncode == 0, plain.stderr
    warned = [line for line in plain.stderr.splitlines() if "source-uncited" in line]
    assert len(warned) == 1 and warned[0].startswith("WARNING")


def test_search_that_cannot_work_from_file_is_warned_about(minimal: Path) -> None:
    root = project(minimal, plugins=("search",))
    strict = mkdocs(root, "--strict")
    assert strict.returncode != 0
    assert "file://" in strict.stderr and "'offline'" in strict.stderr
    plain = mkdocs(root)
    assert plain.returncode == 0, plain.stderr
    assert not (root / "site" / "search" / "search_index.js").exists()
    no_search = mkdocs(project(minimal, plugins=()), "--strict")
    assert no_search.returncode != 0 and "'search'" in no_search.stderr


def test_section_dir_must_stay_inside_docs(minimal: Path) -> None:
    result = mkdocs(project(minimal, briefing={"section_dir": "../out"}))
    assert result.returncode != 0 and "section_dir" in result.stderr and "Traceback" not in result.stderr


def test_a_page_in_the_section_folder_may_not_take_a_generated_path(minimal: Path) -> None:
    root = project(minimal)
    (root / "docs" / "briefing").mkdir()
    (root / "docs" / "briefing" / "sources.md").write_text("# Our sources\n", "utf-8")
    result = mkdocs(root)
    assert result.returncode != 0 and "briefing/sources.md" in result.stderr and "Traceback" not in result.stderr


def test_an_analysis_page_in_the_section_folder_is_listed_in_the_section(minimal: Path) -> None:
    root = project(minimal)
    (root / "docs" / "briefing").mkdir()
    (root / "docs" / "briefing" / "index.md").write_text("# Ignored heading\n\nThe analysts' introduction.\n",
                                                         "utf-8")
    (root / "docs" / "briefing" / "outlook.md").write_text("# Outlook\n\nSee [claim:widgets-shipped].\n", "utf-8")
    result = mkdocs(root, "--strict")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert "The analysts' introduction." in content(site, "briefing/index.html").get_text()
    assert content(site, "briefing/index.html").h1.get_text(strip=True) == "Widget export controls"
    assert "Outlook" in section_titles(soup(site, "index.html"), "Briefing", nested=True)
    assert content(site, "briefing/outlook.html").select_one("a.claim-ref")["href"] == "claims/widgets-shipped.html"
    assert broken_links(site) == []
