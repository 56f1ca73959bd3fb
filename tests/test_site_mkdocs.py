"""Marking ceiling across every built file, and `mkdocs build --strict` at a corpus root giving the same site."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

from site_helpers import SECRET, build, content, with_amber

from briefing.marking import at_ceiling
from briefing.pipeline import load_and_check
from briefing.site import build_site
from briefing.versioning import describe

REPO = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
TODAY = "2024-10-10"  # the example's claims were reviewed on 2024-10-05: not stale on this day


def whole_site_yml(root: Path, options: str = "", extra: str = "") -> Path:
    """The repository's mkdocs.yml (mode: site) in a corpus copy, staleness judged on TODAY, more plugin options."""
    text = re.sub(r"(\n      mode: site[^\n]*\n)", rf"\g<1>      today: {TODAY}\n{options}",
                  (REPO / "mkdocs.yml").read_text("utf-8"), count=1)
    assert f"today: {TODAY}" in text
    (root / "mkdocs.yml").write_text(text + extra, "utf-8")
    return root / "mkdocs.yml"


def grep(site: Path, *words: str) -> list[str]:
    """Files of a built site (any kind: HTML, search index, sitemap, assets) that hold any of the words."""
    hits = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits += [f"{path.relative_to(site)}: {w}" for w in words if w.encode() in data]
    return hits


AMBER_WORDS = (SECRET, "amber2024note", "amber-claim", "Restricted Desk")


def test_content_above_the_ceiling_is_absent_everywhere(tmp_path: Path, minimal: Path) -> None:
    out = build(with_amber(minimal), tmp_path / "clear", "TLP:CLEAR")
    assert grep(out, *AMBER_WORDS) == []
    assert not (out / "amber-notes.html").exists() and not (out / "claims" / "amber-claim.html").exists()


def test_content_at_the_ceiling_is_present(tmp_path: Path, minimal: Path) -> None:
    out = build(with_amber(minimal), tmp_path / "amber", "TLP:AMBER")
    hits = grep(out, SECRET)
    for expected in ("claims/amber-claim.html", "amber-notes.html", "sources.html", "search/search_index.js",
                     "claims/index.html"):
        assert f"{expected}: {SECRET}" in hits
    banner = content(out, "claims/amber-claim.html").find_parent("body").select_one(".marking-banner").get_text()
    assert "TLP:AMBER" in banner and "need-to-know" in banner
    clear_banner = content(out, "claims/widget-trade-grew.html").find_parent("body").select_one(".marking-banner")
    assert "TLP:CLEAR" in clear_banner.get_text()  # each page carries its own marking


def first_difference(a: Path, b: Path) -> str:
    lines = difflib.unified_diff(a.read_text("utf-8").splitlines(), b.read_text("utf-8").splitlines(), lineterm="")
    return "\n".join(list(lines)[:40])


def run_mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*MKDOCS, "build", "--strict", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=False)


def test_mkdocs_build_strict_gives_the_same_pages_as_build_site(tmp_path: Path, minimal: Path) -> None:
    whole_site_yml(minimal)
    result = run_mkdocs(minimal)
    assert result.returncode == 0, result.stderr
    by_mkdocs = minimal / "site"
    corpus, _ = load_and_check(minimal, dt.date.fromisoformat(TODAY))
    version = describe(minimal, corpus.config.release_tags)
    ceiling = corpus.config.ceiling
    by_briefing = tmp_path / "site"
    build_site(at_ceiling(corpus, ceiling), by_briefing, ceiling=ceiling, version=version, changes=None, history={})
    pages = sorted(p.relative_to(by_briefing) for p in by_briefing.rglob("*.html"))
    assert pages == sorted(p.relative_to(by_mkdocs) for p in by_mkdocs.rglob("*.html"))
    differ = [p for p in pages if (by_briefing / p).read_bytes() != (by_mkdocs / p).read_bytes()]
    assert differ == [], first_difference(by_briefing / differ[0], by_mkdocs / differ[0])
    assert (by_mkdocs / "search" / "search_index.js").read_bytes() == \
        (by_briefing / "search" / "search_index.js").read_bytes()


def test_mkdocs_plugin_honours_its_ceiling_in_sitemap_and_index(minimal: Path) -> None:
    with_amber(minimal)
    whole_site_yml(minimal, "      ceiling: TLP:AMBER\n", "site_url: https://briefing.invalid/\n")
    assert run_mkdocs(minimal).returncode == 0
    assert "claims/amber-claim.html" in (minimal / "site" / "sitemap.xml").read_text("utf-8")
    whole_site_yml(minimal, extra="site_url: https://briefing.invalid/\n")
    result = run_mkdocs(minimal)
    assert result.returncode == 0, result.stderr
    sitemap = (minimal / "site" / "sitemap.xml").read_text("utf-8")
    assert "claims/widgets-shipped.html" in sitemap and "amber" not in sitemap
    assert grep(minimal / "site", *AMBER_WORDS) == []


def test_mkdocs_refuses_a_corpus_with_errors(minimal: Path) -> None:
    whole_site_yml(minimal)
    claims = minimal / "sources" / "claims" / "widgets.yml"
    claims.write_text(claims.read_text("utf-8").replace("source: institute2024trade", "source: nosuchkey"), "utf-8")
    result = run_mkdocs(minimal)
    assert result.returncode != 0
    assert "nosuchkey" in result.stderr and "Traceback" not in result.stderr


def test_repo_root_builds_strict(tmp_path: Path) -> None:
    result = run_mkdocs(REPO, "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr[-3000:]
