"""Helpers for the site tests: build a corpus copy into a folder, add records, read the built HTML."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from briefing.changes import Change, Changes, HistoryEntry
from briefing.marking import at_ceiling
from briefing.pipeline import load_and_check
from briefing.site import Download, build_site
from briefing.versioning import VersionInfo

VERSION = VersionInfo(version="v1.1+2.gabc1234", commit="abc1234" * 5, epoch=1728000000, dirty=False, tag="v1.1")
SECRET = "Zanzibarite"  # a word only the TLP:AMBER records of with_amber() use

EXTRA_FIGURE = """
  - id: widget-exports-growth
    label: Growth of widget exports
    value: 35
    unit: percent
    period: "2023"
    measures: Year-on-year change in the value of widget exports
    source: institute2024trade
    locator: p. 4
    excerpt: "widget trade rose by a fifth"
    theme: trade
"""

AMBER_BIB = """
@report{amber2024note,
  author = {{Restricted Desk}},
  title = {Zanzibarite shipments note},
  institution = {Restricted Desk},
  date = {2024-10-03},
  reliability = {B},
  reliability_note = {Internal note},
  descriptor = {Internal},
  source_class = {research},
  marking = {TLP:AMBER},
}
"""

AMBER_CLAIM = """claims:
  - id: amber-claim
    statement: Zanzibarite widgets crossed the border in October.
    theme: trade
    status: reported
    confidence: low
    reviewed: 2024-10-05
    marking: TLP:AMBER
    evidence:
      - source: amber2024note
        locator: p. 1
        excerpt: "Zanzibarite widgets crossed"
        stance: supports
        credibility: 3
"""

AMBER_PAGE = """---
title: Zanzibarite notes
marking: TLP:AMBER
---
# Zanzibarite notes

The note [@amber2024note] backs [claim:amber-claim].
"""


def with_figure(root: Path) -> Path:
    """A second key figure in the same unit, so that the figures page draws a chart."""
    records = root / "sources" / "records.yml"
    text = records.read_text("utf-8")
    records.write_text(text.replace("\njudgments:", EXTRA_FIGURE + "\njudgments:", 1), "utf-8")
    return root


def with_amber(root: Path) -> Path:
    """A TLP:AMBER source, claim and docs page, all mentioning SECRET."""
    bib = root / "sources" / "references.bib"
    bib.write_text(bib.read_text("utf-8") + AMBER_BIB, "utf-8")
    (root / "sources" / "claims" / "amber.yml").write_text(AMBER_CLAIM, "utf-8")
    (root / "docs" / "amber-notes.md").write_text(AMBER_PAGE, "utf-8")
    return root


def sample_changes() -> Changes:
    return Changes(base="v1.0", base_version="v1.0", head_version=VERSION.version, items=[
        Change("claim-status", "widgets-shipped", "Acme widgets reached Ruritania through a third country.",
               "reported", "disputed"),
        Change("source-added", "daily2024widgets", "Doe, Jane. 2024. Report."),
    ])


def sample_history() -> dict[str, list[HistoryEntry]]:
    return {"widgets-shipped": [HistoryEntry("2024-09-26", "reported", "v1.0"),
                                HistoryEntry("2024-10-03", "disputed", "v1.0+1.gdef5678")]}


def fake_pdf(folder: Path) -> Download:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "full.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% a stand-in for a rendered pack\n%%EOF\n")
    return Download("full", "Widget export controls \u2014 full pack", "TLP:CLEAR", pdf)


def build(root: Path, out: Path, ceiling: str = "TLP:CLEAR", **kwargs) -> Path:
    corpus, problems = load_and_check(root)
    assert not problems.errors, [str(p) for p in problems.errors]
    options = {"changes": None, "history": {}, **kwargs}
    build_site(at_ceiling(corpus, ceiling), out, ceiling=ceiling, version=VERSION, **options)
    return out


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text("utf-8"), "html.parser")


def content(site: Path, page: str) -> BeautifulSoup:
    """The article of a built page (without nav, header and footer)."""
    article = soup(site, page).select_one("article.md-content__inner")
    assert article is not None, page
    return article


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


EXTERNAL = [
    re.compile(r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""(?:fetch|importScripts)\(\s*["'`](?:https?:)?//""", re.I),
    re.compile(r"""["'`]https?://(?:unpkg|cdn|fonts\.|www\.googletagmanager|www\.google-analytics)""", re.I),
]


def external_requests(site: Path) -> list[str]:
    """Every place a built HTML, CSS or JS file would load something from another host."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js") or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        for pattern in EXTERNAL:
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(site)}: {m.group(0)[:120]}")
    return found
