"""Fail closed: an input mistake never publishes restricted content, runs script or reads outside the repository.

Each case is run as a user would (the CLI on a corpus copy) and judged on what is printed and what is written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from checkhelp import BIB, CLAIMS, briefing, edit, line_of, only, run
from site_helpers import VERSION

from briefing.build import _os_message
from briefing.loader import load
from briefing.marking import at_ceiling
from briefing.problems import Problems
from briefing.refs import records
from briefing.sanitise import safe_url
from briefing.site import build_site

TODAY = "2024-11-01"
SECRET = "Quokkasecret"


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return briefing("check", "--root", str(root), "--today", TODAY)


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return briefing("build", "--root", str(root), "--today", TODAY, *args)


def outputs_text(root: Path) -> str:
    """Every byte a build wrote, as text: site files, zip members, PDF text, manifest."""
    parts = []
    for path in sorted(p for p in (root / "site").rglob("*") if p.is_file()):
        parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    for path in sorted((root / "dist").iterdir()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist()]
        elif path.suffix == ".pdf":
            parts.append(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                        check=True).stdout)
            parts.append(path.read_bytes().decode("latin-1"))
        else:
            parts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(parts)


def refused(result: subprocess.CompletedProcess[str], root: Path) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (root / "site").exists() and not (root / "dist").exists()


# --- 1. front matter ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "rule", "message"), [
    (f"---\ntitle: Red\nmarkings: TLP:RED\n---\n\n{SECRET}\n", 3, "unknown-key", "did you mean 'marking'?"),
    (f"---\ntitle: Red\nMarking: TLP:RED\n---\n\n{SECRET}\n", 3, "unknown-key", "did you mean 'marking'?"),
    (f"---\ntitle: Red\nmarking: TLP:RED\n\n{SECRET}\n", 1, "front-matter", "never closed"),
    (f"\n---\ntitle: Red\nmarking: TLP:RED\n---\n\n{SECRET}\n", 2, "front-matter", "must start on line 1"),
    (f"marking: TLP:RED\n\n{SECRET}\n", 1, "front-matter", "looks like front matter"),
    (f"---\ntitle: Red\nmarking:\n---\n\n{SECRET}\n", 3, "marking-invalid", "not a TLP 2.0 marking"),
    (f"---\n- marking\n- TLP:RED\n---\n\n{SECRET}\n", 2, "front-matter", "must be a mapping"),
], ids=["misspelt", "capital", "unclosed", "blank-line-first", "no-fences", "empty-marking", "list"])
def test_front_matter_mistakes_are_errors_and_nothing_is_published(minimal: Path, text: str, line: int, rule: str,
                                                                  message: str) -> None:
    (minimal / "docs/red.md").write_text(text, encoding="utf-8")
    problem = only(run(minimal), rule)
    assert (problem.loc.path, problem.loc.line) == ("docs/red.md", line) and message in problem.message
    refused(build(minimal), minimal)


def test_a_misspelt_bibtex_marking_is_an_error(minimal: Path) -> None:
    edit(minimal, BIB, "  reliability = {B},\n", "  reliability = {B},\n  markings = {TLP:RED},\n")
    problem = only(run(minimal), "unknown-key")
    assert (problem.loc.path, problem.loc.line) == (BIB, line_of(minimal, BIB, "markings"))
    assert "unknown field 'markings' in source 'agency2024widgets' (did you mean 'marking'?)" in problem.message
    refused(build(minimal), minimal)


def test_zotero_and_jabref_fields_are_known(minimal: Path) -> None:
    edit(minimal, BIB, "  reliability = {B},\n", "  reliability = {B},\n  langid = {english},\n  abstract = {A},\n"
         "  keywords = {trade},\n  file = {x.pdf},\n  timestamp = {2024-10-01},\n  shorttitle = {Widgets},\n")
    assert [p for p in run(minimal) if p.rule == "unknown-key"] == []


# --- 3. attachments ------------------------------------------------------------------------------------------

AMBER_PAGE = "---\ntitle: Restricted\nmarking: TLP:AMBER\n---\n# Restricted\n\nSee [the notes](notes.txt).\n"


def test_attachments_are_published_by_exact_path_and_marking(minimal: Path) -> None:
    docs = minimal / "docs"
    (docs / "public").mkdir()
    (docs / "restricted").mkdir()
    (docs / "public/notes.txt").write_text("public notes\n", encoding="utf-8")
    (docs / "restricted/notes.txt").write_text(f"{SECRET} notes\n", encoding="utf-8")
    (docs / "unlinked.txt").write_text(f"{SECRET} unlinked\n", encoding="utf-8")
    (docs / "restricted/page.md").write_text(AMBER_PAGE, encoding="utf-8")
    with (docs / "index.md").open("a", encoding="utf-8") as f:
        f.write("\nThe [public notes](public/notes.txt).\n")
    assert build(minimal).returncode == 0
    assert (minimal / "site/public/notes.txt").read_text("utf-8") == "public notes\n"
    assert not (minimal / "site/restricted").exists() and not (minimal / "site/unlinked.txt").exists()
    assert SECRET not in outputs_text(minimal)


def test_an_unlinked_attachment_is_withheld_when_every_record_is_kept(minimal: Path) -> None:
    """With nothing above the ceiling the corpus is kept whole, but a file no page links has no marking."""
    (minimal / "docs/unlinked.txt").write_text(f"{SECRET} unlinked\n", encoding="utf-8")
    corpus = load(minimal, Problems())
    assert "unlinked.txt" in corpus.files
    assert all(r.marking == "TLP:CLEAR" for _, r in records(corpus))
    assert "unlinked.txt" not in at_ceiling(corpus, "TLP:CLEAR").files
    for engine in ("mkdocs", "zensical"):
        assert build(minimal, "--engine", engine).returncode == 0
        assert not (minimal / "site/unlinked.txt").exists() and SECRET not in outputs_text(minimal)


def test_an_attachment_also_linked_by_a_restricted_page_is_restricted(minimal: Path) -> None:
    docs = minimal / "docs"
    (docs / "notes.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (docs / "restricted.md").write_text(AMBER_PAGE, encoding="utf-8")
    with (docs / "index.md").open("a", encoding="utf-8") as f:
        f.write("\nThe [notes](./notes.txt#top).\n")
    problem = only(run(minimal), "marking-leak")
    assert problem.loc == type(problem.loc)("docs/index.md", line_of(minimal, "docs/index.md", "notes.txt"))
    assert "attachment 'notes.txt' marked TLP:AMBER" in problem.message


# --- 4. no leak by reference ----------------------------------------------------------------------------------

def test_a_clear_source_derived_from_an_amber_one_is_a_located_leak(minimal: Path) -> None:
    edit(minimal, BIB, "  archive = {agency2024widgets.txt},\n",
         "  archive = {agency2024widgets.txt},\n  marking = {TLP:AMBER},\n")
    leaks = [p for p in run(minimal) if p.rule == "marking-leak"]
    derived = [p for p in leaks if p.loc.line == line_of(minimal, BIB, "derived_from")]
    assert len(derived) == 1
    assert "source 'daily2024widgets' is marked TLP:CLEAR but depends on source 'agency2024widgets'" in \
        derived[0].message


def test_at_ceiling_refuses_a_kept_record_that_refers_to_a_withheld_one(minimal: Path) -> None:
    corpus = load(minimal, Problems())
    corpus.sources["agency2024widgets"].marking = "TLP:AMBER"  # as if the checker had been skipped
    with pytest.raises(Exception, match="withheld"):
        at_ceiling(corpus, "TLP:CLEAR")


# --- 5. only regular files inside the repository ---------------------------------------------------------------

@pytest.mark.parametrize("where", ["docs/passwd.md", "sources/passwd.yml", "sources/passwd.bib", "docs/passwd.txt"])
def test_symlinks_out_of_the_repository_are_refused(minimal: Path, where: str) -> None:
    os.symlink("/etc/passwd", minimal / where)
    problem = only(run(minimal), "path-outside")
    assert problem.loc.path == where
    refused(build(minimal), minimal)


def test_a_symlinked_folder_is_not_followed(minimal: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/x.md").write_text(SECRET, encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", minimal / "docs/linked")
    assert only(run(minimal), "path-outside").loc.path == "docs/linked"


@pytest.mark.parametrize("planted", ["a file", "the folder"])
def test_briefing_pack_never_copies_through_a_link_in_dist(minimal: Path, tmp_path: Path, planted: str) -> None:
    """``briefing pack`` keeps the other files of dist/: a link there (to a file, or dist/ itself a link to a folder
    elsewhere) is left out with a warning, never read and published in the new dist/ (found in review: its content
    was copied in and listed in SHA256SUMS)."""
    assert build(minimal).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.pdf").write_text(SECRET, encoding="utf-8")
    if planted == "a file":
        os.symlink(elsewhere / "secret.pdf", minimal / "dist" / "secret.pdf")
    else:
        shutil.rmtree(minimal / "dist")
        os.symlink(elsewhere, minimal / "dist")
    done = briefing("pack", "full", "--root", str(minimal), "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert "is not a regular file of the corpus" in done.stderr
    dist = minimal / "dist"
    assert not dist.is_symlink() and "secret.pdf" not in {p.name for p in dist.iterdir()}
    assert "secret.pdf" not in (dist / "SHA256SUMS").read_text("utf-8")
    assert SECRET not in outputs_text(minimal)
    assert (elsewhere / "secret.pdf").read_text("utf-8") == SECRET  # (left as it was)


@pytest.mark.parametrize("planted", ["the manifest", "the folder"])
def test_a_site_built_from_dist_reads_nothing_through_a_link(minimal: Path, tmp_path: Path, planted: str) -> None:
    """``mkdocs build`` offers the packs of an existing dist/ on its Downloads page. A dist/ that is a link to a
    folder elsewhere, or whose manifest is one, is not read: no PDF is offered (a released dist/ moved out of the
    corpus and linked back stands for any folder of the user's)."""
    from bs4 import BeautifulSoup

    assert build(minimal).returncode == 0
    (minimal / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\nplugins:\n  - briefing: {mode: site}\n"
                                        "  - search\n  - offline\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(minimal / "dist", elsewhere)
    if planted == "the folder":
        os.symlink(elsewhere, minimal / "dist")
    else:
        shutil.copytree(elsewhere, minimal / "dist")
        (minimal / "dist" / "manifest.json").unlink()
        os.symlink(elsewhere / "manifest.json", minimal / "dist" / "manifest.json")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")], cwd=minimal,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1728000000"})
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "out" / "downloads").exists()
    page = BeautifulSoup((tmp_path / "out" / "downloads.html").read_text("utf-8"), "html.parser")
    assert not [a for a in page.find_all("a") if a.get("href", "").endswith(".pdf")]


def test_an_archive_path_may_not_leave_the_archive(minimal: Path) -> None:
    (minimal / "outside.txt").write_text("widget trade rose by a fifth\n", encoding="utf-8")
    edit(minimal, BIB, "archive = {agency2024widgets.txt}", "archive = {../outside.txt}")
    problem = only(run(minimal), "path-outside")
    assert problem.loc == type(problem.loc)(BIB, line_of(minimal, BIB, "../outside.txt"))


# --- 6. no script in readers' browsers ----------------------------------------------------------------------

HOSTILE = '"><img src=x onerror=alert(1)></title><script>alert(2)</script>'


def test_hostile_corpus_strings_are_escaped_everywhere(minimal: Path) -> None:
    from bs4 import BeautifulSoup

    edit(minimal, "sources/corpus.yml", "title: ", f"title: 'The \"no limits\" partnership {HOSTILE}'\n_x: ")
    edit(minimal, "sources/corpus.yml", "_x: ", "# ")
    edit(minimal, CLAIMS, "statement: Widget trade grew in 2023.", f"statement: 'Widget trade grew {HOSTILE}'")
    assert build(minimal).returncode == 0
    title = f'The "no limits" partnership {HOSTILE}'
    for page in (minimal / "site").rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        assert soup.find_all("script", string=lambda s: s and "alert(" in s) == [], page
        assert [i for i in soup.find_all("img") if i.get("onerror")] == [], page
        logo = soup.select_one("a.md-logo")
        if logo is not None:
            assert logo["aria-label"] == title


def test_the_dashboard_row_shows_a_statement_with_markup_characters_as_written(minimal: Path) -> None:
    """The dashboard's rows are written by Python (``render.dashboard_rows``), not by the template: every
    character HTML gives a meaning to is escaped in the link text and in the row's search attribute alike."""
    from bs4 import BeautifulSoup

    statement = """Widget trade grew "fast" & <b>bold</b> it's"""
    quoted = statement.replace("'", "''")  # (YAML's single-quoted style)
    edit(minimal, CLAIMS, "statement: Widget trade grew in 2023.", f"statement: '{quoted}'")
    assert build(minimal).returncode == 0
    soup = BeautifulSoup((minimal / "site" / "claims" / "index.html").read_text("utf-8"), "html.parser")
    row = next(tr for tr in soup.select("table.dashboard tbody tr") if "fast" in tr.get_text())
    assert row.select_one('td[data-label="Claim"] a').get_text() == statement
    assert statement.lower() in row["data-search"] and row.find("b") is None


def test_an_entity_name_with_markup_characters_shows_as_written_where_it_is_linked(minimal: Path) -> None:
    """A claim's and an event's entities are linked by Python (``render.entity_links``), not by a template: a name
    with characters HTML gives a meaning shows as written, on the claim page and in the timeline."""
    from bs4 import BeautifulSoup

    odd = """Acme <b>Widgets</b> "Ltd" & Co's"""
    quoted = odd.replace("'", "''")  # (YAML's single-quoted style)
    edit(minimal, "sources/records.yml", "name: Acme Widgets Ltd", f"name: '{quoted}'")
    edit(minimal, "sources/records.yml", "claims: [widgets-shipped]", "claims: [widgets-shipped]\n    entities: [acme]")
    assert build(minimal).returncode == 0
    for page, where in (("claims/widgets-shipped.html", "dl.related dd a"), ("timeline.html", "li span.explain a")):
        soup = BeautifulSoup((minimal / "site" / page).read_text("utf-8"), "html.parser")
        links = [a for a in soup.select(where) if "entities/acme.html" in a.get("href", "")]
        assert [a.get_text() for a in links] == [odd], page
        assert soup.select("article b") == [], page


def test_a_source_entry_shows_fields_with_markup_characters_as_written(minimal: Path) -> None:
    """The sources page's entries are written by Python (``render.source_entries``), not by the template: a
    descriptor, a grade's note, a source's label (in its heading and in the entry of a source derived from it) and
    the title of an event citing it, with characters HTML gives a meaning, show as written, in text and attributes."""
    from bs4 import BeautifulSoup

    odd = """<b>bold</b> "quoted" it's"""
    edit(minimal, BIB, "descriptor = {Direct access to shipping documents; no known stake}", f"descriptor = {{{odd}}}")
    edit(minimal, BIB, "reliability_note = {Established agency", f"reliability_note = {{{odd} Established agency")
    edit(minimal, BIB, "author = {{Example News Agency}}", "author = {{Example <i>News</i> Agency}}")  # its label
    quoted = odd.replace("'", "''")  # (YAML's single-quoted style)
    edit(minimal, "sources/records.yml", "title: Agency reports widget shipments", f"title: '{quoted}'")
    assert build(minimal).returncode == 0
    soup = BeautifulSoup((minimal / "site" / "sources.html").read_text("utf-8"), "html.parser")
    entry = next(li for li in soup.select("li.source") if odd in li.get_text())
    assert entry.select_one("dl.source-facts dd").get_text() == odd
    assert entry.select_one("p.source-meta").get_text().endswith(f"— {odd} Established agency with an investigative "
                                                                   "desk; documents cited but not published")
    assert odd.lower() in entry["data-search"] and "<i>news</i>" in entry["data-search"]
    assert entry.select_one("h3").get_text().startswith("Example <i>News</i> Agency")  # the label, as written
    assert entry.select_one("a.cited-by-event").get_text() == odd  # what cites it (an event's title)
    derived = [a for a in soup.select("li.source dd a") if a.get("href", "").startswith("#src-")]
    assert derived and derived[0].get_text().startswith("Example <i>News</i> Agency")  # a source derived from it
    assert soup.select("li.source b, li.source i") == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVa\tScript:alert(1)", "data:text/html,x",
                                 "vbscript:x", "file:///etc/passwd"])
def test_unsafe_source_urls_are_errors(minimal: Path, url: str) -> None:
    edit(minimal, BIB, "url = {https://example.org/widgets}", f"url = {{{url}}}")
    problem = only(run(minimal), "unsafe-html")
    assert problem.loc.line == line_of(minimal, BIB, "url = {")
    assert not safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://x", "mailto:a@example.org", "../a.html",
                                 "a.pdf#p=3", "#top"])
def test_safe_urls(url: str) -> None:
    assert safe_url(url)


@pytest.mark.parametrize(("markdown", "what"), [
    ("<script>alert(1)</script>", "<script>"),
    ('<b onclick="alert(1)">x</b>', "event-handler"),
    ("[x](javascript:alert(1))", "javascript:"),
    ("[x]: javascript:alert(1)", "javascript:"),
    ("Text {onclick=alert(1)}", "attribute list"),
    ('<iframe src="https://example.org"></iframe>', "<iframe>"),
    ('<a href="data:text/html,x">x</a>', "data:"),
])
def test_unsafe_raw_html_in_pages_is_a_located_error(minimal: Path, markdown: str, what: str) -> None:
    with (minimal / "docs/index.md").open("a", encoding="utf-8") as f:
        f.write(f"\n{markdown}\n")
    problem = only(run(minimal), "unsafe-html")
    assert problem.loc.line == line_of(minimal, "docs/index.md", markdown) and what in problem.message


def test_allowed_raw_html_and_code_pass(minimal: Path) -> None:
    with (minimal / "docs/index.md").open("a", encoding="utf-8") as f:
        f.write('\n<div class="note" markdown>a <abbr title="x">EU</abbr> <sup>1</sup></div>\n\n'
                "`<script>` in code\n\n```html\n<script>alert(1)</script>\n```\n")
    assert [p for p in run(minimal) if p.rule == "unsafe-html"] == []


def test_the_site_sanitises_what_the_checker_did_not_see(minimal: Path, tmp_path: Path) -> None:
    """Second line of defence: the checker is skipped, the site still strips script and handlers."""
    with (minimal / "docs/index.md").open("a", encoding="utf-8") as f:
        f.write('\n<script>alert(1)</script> <b onclick="alert(2)">bold</b> [x](javascript:alert(3))\n\n'
                "A paragraph\n{: onmouseover=alert(4) }\n")
    corpus = load(minimal, Problems())
    out = tmp_path / "site"
    build_site(at_ceiling(corpus, "TLP:CLEAR"), out, ceiling="TLP:CLEAR", version=VERSION, changes=None, history={})
    html = (out / "index.html").read_text("utf-8")
    assert "<b>bold</b>" in html
    for bad in ("alert(1)", "alert(2)", "alert(3)", "alert(4)", "javascript:"):
        assert bad not in html


# --- 7. outputs never missing --------------------------------------------------------------------------------

def test_site_and_dist_exist_at_every_instant_of_a_build(minimal: Path) -> None:
    assert build(minimal).returncode == 0
    edit(minimal, CLAIMS, "Acme widgets reached Ruritania", "Acme widgets went to Ruritania")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    child = subprocess.Popen([sys.executable, "-m", "briefing", "build", "--root", str(minimal), "--today", TODAY],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    missing, polls = 0, 0
    while child.poll() is None:
        polls += 1
        missing += not (minimal / "site/index.html").is_file() or not (minimal / "dist/manifest.json").is_file()
    assert child.returncode == 0 and polls > 100 and missing == 0
    assert "went to Ruritania" in (minimal / "site/claims/widgets-shipped.html").read_text("utf-8")
    assert [p.name for p in minimal.iterdir() if p.name.startswith(".briefing-build")] == []


def test_leftovers_of_a_killed_build_are_cleaned_and_ignored_by_git(minimal: Path) -> None:
    subprocess.run(["git", "init", "-q", str(minimal)], check=True)
    subprocess.run(["git", "-C", str(minimal), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(minimal), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm",
                    "corpus"], check=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    child = subprocess.Popen([sys.executable, "-m", "briefing", "build", "--root", str(minimal), "--today", TODAY],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while not list(minimal.glob(".briefing-build-*/dist")) and time.monotonic() < deadline:
        time.sleep(0.01)
    child.kill()
    child.wait()
    assert list(minimal.glob(".briefing-build-*"))  # the kill left its work folder
    status = subprocess.run(["git", "-C", str(minimal), "status", "--porcelain"], capture_output=True, text=True,
                            check=True)
    assert status.stdout == ""  # ignored: the version is not marked dirty
    assert build(minimal).returncode == 0
    assert list(minimal.glob(".briefing-build-*")) == []


def test_an_output_parked_by_an_interrupted_swap_is_put_back(minimal: Path) -> None:
    assert build(minimal).returncode == 0
    (minimal / "site").rename(minimal / ".briefing-build-old-site")  # a crash between the two renames
    edit(minimal, CLAIMS, "statement: Widget trade grew in 2023.", "statement: [unclosed")
    assert build(minimal).returncode == 1  # the checker refuses before any output is touched
    edit(minimal, CLAIMS, "statement: [unclosed", "statement: Widget trade grew in 2023.")
    assert build(minimal).returncode == 0
    assert (minimal / "site/index.html").is_file() and not (minimal / ".briefing-build-old-site").exists()


@pytest.mark.parametrize(("code", "words"), [(28, "the disk is full"), (30, "cannot write"), (13, "cannot write")])
def test_os_errors_read_as_plain_messages(code: int, words: str) -> None:
    message = _os_message(OSError(code, os.strerror(code), "/corpus/site"))
    assert message.startswith(words) and "/corpus/site" in message and "previous output is unchanged" in message


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1.5 MB file system of its own (tmpfs), so that a build can really fill it or find it read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"this machine does not let the tests mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_a_plain_error_and_keeps_the_previous_output(minimal: Path, small_disk: Path) -> None:
    root = Path(shutil.copytree(minimal, small_disk / "corpus"))
    (root / "site").mkdir()
    (root / "site/index.html").write_text("previous", encoding="utf-8")
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "error: the disk is full" in result.stderr
    assert (root / "site/index.html").read_text("utf-8") == "previous"
    assert [p.name for p in root.iterdir() if p.name.startswith(".briefing-build")] == []


def test_a_read_only_checkout_is_a_plain_error(minimal: Path, small_disk: Path) -> None:
    root = Path(shutil.copytree(minimal, small_disk / "corpus"))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "error: cannot write" in result.stderr and "Read-only file system" in result.stderr


# --- 8. no internal error for a user's mistake -------------------------------------------------------------

def test_a_repeated_bibtex_field_is_located(minimal: Path) -> None:
    edit(minimal, BIB, "  reliability = {B},\n", "  reliability = {B},\n  reliability = {C},\n")
    result = check(minimal)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "repeats the field(s) reliability" in result.stderr and "[bib-syntax]" in result.stderr


def test_a_yaml_alias_bomb_is_refused_quickly(minimal: Path) -> None:
    bomb = ["a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']"]
    bomb += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    (minimal / "docs/bomb.md").write_text("---\n" + "\n".join(bomb) + "\ntitle: *i\n---\nx\n", encoding="utf-8")
    started = time.monotonic()
    problem = only(run(minimal), "yaml-syntax")
    assert time.monotonic() - started < 5
    assert problem.loc.path == "docs/bomb.md" and "aliases" in problem.message


def test_a_nul_byte_is_located(minimal: Path) -> None:
    (minimal / "sources/nul.yml").write_bytes(b"claims:\n  - id: x\x00\n")
    problem = only(run(minimal), "file-encoding")
    assert (problem.loc.path, problem.loc.line) == ("sources/nul.yml", 2) and "U+0000" in problem.message


def test_numeric_looking_values_stay_as_written(minimal: Path) -> None:
    edit(minimal, CLAIMS, "id: widget-trade-grew", "id: 010")
    edit(minimal, "sources/records.yml", "claims: [widgets-shipped, widget-trade-grew]",
         "claims: [widgets-shipped, 010]")
    corpus = load(minimal, Problems())
    assert "010" in corpus.claims and corpus.judgments["kj-widgets"].claims == ["widgets-shipped", "010"]


def test_yaml_1_1_booleans_and_sexagesimals_stay_text(minimal: Path) -> None:
    edit(minimal, "sources/records.yml", "country: Ruritania", "country: NO")
    edit(minimal, CLAIMS, "locator: para. 1", "locator: 1:20")
    corpus = load(minimal, Problems())
    assert corpus.entities["acme"].country == "NO"
    assert "1:20" in [e.locator for c in corpus.claims.values() for e in c.evidence]


def test_a_source_without_a_title_is_an_error(minimal: Path) -> None:
    edit(minimal, BIB, "  title = {Widgets shipped through third countries},\n", "")
    assert "has no 'title'" in only(run(minimal), "missing-field").message


def test_check_refuses_what_build_would_refuse(minimal: Path) -> None:
    (minimal / "docs/downloads.md").write_text("# Downloads\n", encoding="utf-8")
    assert only(run(minimal), "reserved-path").loc.path == "docs/downloads.md"
    (minimal / "docs/downloads.md").unlink()
    edit(minimal, "sources/records.yml", "    sections: [key-judgments,", "    tags: [nothing-has-this-tag]\n"
         "    sections: [key-judgments,")
    problem = only(run(minimal), "pack-empty-section")
    assert problem.loc.line == line_of(minimal, "sources/records.yml", "- id: full")
    assert "sections 'key-judgments', 'recommendations', 'evidence'" in problem.message


def test_the_themes_overview_path_is_reserved(minimal: Path) -> None:
    (minimal / "docs/themes/index.md").write_text("# Themes\n", encoding="utf-8")
    assert only(run(minimal), "reserved-path").loc.path == "docs/themes/index.md"


def test_a_part_without_a_marking_keeps_a_default_higher_than_its_clear_parent(minimal: Path) -> None:
    """default_marking TLP:AMBER: a chapter with no marking of its own stays AMBER under a CLEAR book."""
    edit(minimal, "sources/corpus.yml", "default_marking: TLP:CLEAR", "default_marking: TLP:AMBER")
    with (minimal / BIB).open("a", encoding="utf-8") as f:
        f.write("\n@book{clearbook,\n  title = {A public book},\n  publisher = {Press},\n  date = {2024},\n"
                "  marking = {TLP:CLEAR},\n}\n"
                f"\n@inbook{{quietpart,\n  title = {{{SECRET} chapter}},\n  crossref = {{clearbook}},\n"
                "  reliability = {B},\n}\n")
    corpus = load(minimal, Problems())
    assert corpus.sources["quietpart"].marking == "TLP:AMBER"
    assert "quietpart" not in at_ceiling(corpus, "TLP:CLEAR", verify=False).sources


def test_a_clear_entry_may_not_take_fields_from_an_amber_crossref_parent(minimal: Path) -> None:
    with (minimal / BIB).open("a", encoding="utf-8") as f:
        f.write(f"\n@proceedings{{amberconf,\n  title = {{{SECRET} proceedings}},\n  reliability = {{B}},\n"
                "  marking = {TLP:AMBER},\n}\n"
                "\n@inproceedings{clearpaper,\n  author = {Doe, Jane},\n  title = {A paper},\n"
                "  crossref = {amberconf},\n  reliability = {B},\n  reliability_note = {Peer reviewed},\n"
                "  marking = {TLP:CLEAR},\n}\n")
    leak = [p for p in run(minimal) if p.rule == "marking-leak" and "clearpaper" in p.message]
    assert len(leak) == 1 and leak[0].loc.line == line_of(minimal, BIB, "crossref = {amberconf}")
    refused(build(minimal), minimal)


@pytest.mark.parametrize("value", ['""', "TLP:BLUE"])
def test_an_unsure_default_marking_is_one_located_error_not_a_crash(minimal: Path, value: str) -> None:
    """Records that take an unknown default count as TLP:RED meanwhile; the check says why, once, and fails."""
    config = minimal / "sources/corpus.yml"
    config.write_text(config.read_text("utf-8").replace("default_marking: TLP:CLEAR", f"default_marking: {value}"),
                      encoding="utf-8")
    done = briefing("check", "--root", str(minimal))
    assert done.returncode == 1 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.count("[marking-invalid]") == 1 and "sources/corpus.yml:5: error:" in done.stderr
    assert build(minimal).returncode != 0 and not (minimal / "site").exists()


def test_a_pack_whose_chosen_gaps_are_all_withheld_has_an_empty_section(minimal: Path) -> None:
    """The pack's own gap list is part of its scope: chosen gaps all above its ceiling leave 'gaps' empty."""
    edit(minimal, "sources/records.yml", "    claims: [widgets-shipped]\n\npacks:",
         "    claims: [widgets-shipped]\n  - id: gap-route\n    question: Which firm carried them?\n"
         "    theme: trade\n    marking: TLP:AMBER\n\npacks:")
    edit(minimal, "sources/records.yml", "    sections: [key-judgments,", "    gaps: [gap-route]\n"
         "    sections: [key-judgments,")
    problem = only(run(minimal), "pack-empty-section")
    assert "'gaps'" in problem.message
