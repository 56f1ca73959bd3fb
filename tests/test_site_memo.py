"""Record pages kept from one generation of the site to the next (``mkdocs serve``, ``site.memo``): after any edit,
every page is what a fresh generation makes, and the pages the edit did not touch are not rendered again."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.changes import HistoryEntry
from briefing.marking import at_ceiling
from briefing.model import Corpus
from briefing.site import memofile
from briefing.site.context import SiteInput
from briefing.site.memo import PageMemo
from briefing.site.pages import Site, generate
from briefing.site.search import PREFIX, read_index
from briefing.versioning import VersionInfo
from briefing.vocab import STATUSES

VERSION = VersionInfo("v1.0", "a" * 40, 1728043200, False, None)
WORDS = st.text(alphabet=st.sampled_from("abc <&>*_[]#\"'é0-9"), min_size=1, max_size=12)


def pages(site: Site) -> dict[str, tuple]:
    return {p: (s.text, s.html_blocks, s.search, s.in_nav, s.record, s.stash_tag) for p, s in site.pages.items()}


def changed(corpus: Corpus, table: str, n: int, **fields: object) -> Corpus:
    """The corpus with the n-th record (by id) of a table changed."""
    records = getattr(corpus, table)
    key = sorted(records)[n % len(records)]
    return corpus.copy(**{table: {**records, key: replace(records[key], **fields)}})


def nth(corpus: Corpus, table: str, n: int) -> str:
    return sorted(getattr(corpus, table))[n % len(getattr(corpus, table))]


@st.composite
def edits(draw: st.DrawFn, corpus: Corpus) -> tuple[Corpus, dict[str, list[HistoryEntry]]]:
    """The corpus after one to three edits of any kind of record a page shows, and a claim history."""
    history: dict[str, list[HistoryEntry]] = {}
    for _ in range(draw(st.integers(1, 3))):
        n, other, words = draw(st.integers(0, 999)), draw(st.integers(0, 999)), draw(WORDS)
        kind = draw(st.sampled_from(["statement", "status", "evidence", "superseded", "claim entity", "claim theme",
                                     "source title", "source grade", "entity name", "event", "figure", "judgment",
                                     "theme", "theme page", "config", "history"]))
        claim = corpus.claims[nth(corpus, "claims", n)]
        if kind == "statement":
            corpus = changed(corpus, "claims", n, statement=words)
        elif kind == "status":
            corpus = changed(corpus, "claims", n, status=draw(st.sampled_from(sorted(STATUSES))))
        elif kind == "evidence":
            corpus = changed(corpus, "claims", n, evidence=claim.evidence[:-1])
        elif kind == "superseded":
            corpus = changed(corpus, "claims", n, superseded_by=nth(corpus, "claims", other))
        elif kind == "claim entity":
            corpus = changed(corpus, "claims", n, entities=[*claim.entities, nth(corpus, "entities", other)])
        elif kind == "claim theme":
            corpus = changed(corpus, "claims", n, theme=nth(corpus, "themes", other))
        elif kind == "source title":
            source = corpus.sources[nth(corpus, "sources", n)]
            corpus = changed(corpus, "sources", n, fields={**source.fields, "title": words})
        elif kind == "source grade":
            corpus = changed(corpus, "sources", n, reliability=draw(st.sampled_from("ABCDEF")))
        elif kind == "entity name":
            corpus = changed(corpus, "entities", n, name=words)
        elif kind == "event":
            corpus = changed(corpus, "events", n, title=words, claims=[claim.id])
        elif kind == "figure":
            corpus = changed(corpus, "figures", n, label=words, claims=[claim.id])
        elif kind == "judgment":
            corpus = changed(corpus, "judgments", n, text=words, claims=[claim.id])
        elif kind == "theme":
            corpus = changed(corpus, "themes", n, title=words)
        elif kind == "theme page":  # an analyst's page shown in a theme's (its prose, citing and linking)
            page, plain = corpus.pages[nth(corpus, "pages", n)], re.sub(r"[\[\]@]", "", words)  # (no citation syntax)
            corpus = changed(corpus, "pages", n, text=f"{page.text}\n\n{plain} [@{nth(corpus, 'sources', other)}] "
                                                     f"[claim:{claim.id}]\n")
        elif kind == "config":
            corpus = corpus.copy(config=replace(corpus.config, title=words))
        else:
            history[claim.id] = [HistoryEntry("2024-01-02", "reported", words)]
    return corpus, history


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_after_any_edit_every_page_is_what_a_fresh_generation_makes(shipped_corpus: Corpus, data) -> None:
    corpus = at_ceiling(shipped_corpus, "TLP:CLEAR")
    memo = PageMemo()
    generate(SiteInput(corpus, "TLP:CLEAR", VERSION), memo=memo)
    edited, history = data.draw(edits(corpus))
    after = SiteInput(edited, "TLP:CLEAR", VERSION, history=history)
    assert pages(generate(after, memo=memo)) == pages(generate(after))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pages_kept_in_a_file_are_what_a_fresh_generation_makes_after_any_edit(shipped_corpus: Corpus, tmp_path: Path,
                                                                              data) -> None:
    """``briefing build`` keeps the memo in a file (``site.memofile``) for the next process: the pages read back
    from it are reused as the memo's own, and after any edit every page is what a fresh generation makes."""
    corpus = at_ceiling(shipped_corpus, "TLP:CLEAR")
    store = tmp_path / "kept.marshal"
    memo = PageMemo()
    generate(SiteInput(corpus, "TLP:CLEAR", VERSION), memo=memo)
    memofile.save(memo, store)
    read = memofile.load(store)
    assert pages(Site(pages={p: k.page for p, k in read.kept.items()})) == pages(
        Site(pages={p: k.page for p, k in memo.kept.items()})) != {}
    generate(SiteInput(corpus, "TLP:CLEAR", VERSION), memo=read)
    assert not read.changed  # every page read back was reused: none rendered again
    edited, history = data.draw(edits(corpus))
    after = SiteInput(edited, "TLP:CLEAR", VERSION, history=history)
    assert pages(generate(after, memo=memofile.load(store))) == pages(generate(after))


def with_planted_pages(kept: dict) -> dict:
    """A kept pages' file's contents (``site.memofile``) with PLANTED at the end of every page."""
    pages = {place: (key, reads, (page[0] + "\n\nPLANTED\n", *page[1:]))
             for place, (key, reads, page) in kept["pages"].items()}
    return {**kept, "pages": pages}


def test_pages_an_edit_leaves_alone_are_reused_and_the_rest_rendered_again(shipped_corpus: Corpus) -> None:
    corpus = at_ceiling(shipped_corpus, "TLP:CLEAR")
    memo = PageMemo()
    generate(SiteInput(corpus, "TLP:CLEAR", VERSION), memo=memo)
    before = dict(memo.kept)
    claims = [p for p in before if p.startswith("claims/")]
    assert len(claims) == len(corpus.claims) and any(p.startswith("entities/") for p in before)
    edited = changed(corpus, "claims", 0, statement="A statement edited for the test.")
    target = f"claims/{nth(corpus, 'claims', 0)}.md"
    site = generate(SiteInput(edited, "TLP:CLEAR", VERSION), memo=memo)
    assert "A statement edited for the test." in site.pages[target].text
    assert memo.kept[target] is not before[target]
    # a page linking the edited claim (its statement shows on hover) is rendered again; most others are not
    href = re.compile(rf'href="(?:[^"]*/)?{re.escape(nth(corpus, "claims", 0))}\.html["#]')
    linking = {p for p, s in site.pages.items() if p in before and p != target
               and href.search(s.text + "".join(s.html_blocks))}
    assert linking and all(memo.kept[p] is not before[p] for p in linking)
    reused = [p for p in before if memo.kept[p] is before[p]]
    assert len(reused) >= len(before) - len(linking) - 1 > 0
    # theme pages, in the navigation, are kept too: the edited claim's is rendered again, the others are not
    own = f"themes/{edited.claims[nth(corpus, 'claims', 0)].theme}.md"
    themes = [p for p in before if p.startswith("themes/") and p != "themes/index.md"]
    assert own in themes and len(themes) == len(corpus.themes)
    assert memo.kept[own] is not before[own] and all(memo.kept[p] is before[p] for p in themes if p != own)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVED = {"site_name": "Test", "theme": {"name": "material", "font": False},
          "plugins": [{"briefing": {"mode": "site"}}, "search", "offline"]}


@contextlib.contextmanager
def serving(root: Path, env: dict[str, str]) -> Iterator[tuple[Callable[[str, int], None], Callable[[str], str]]]:
    """`mkdocs serve` of root on a free port, as an analyst runs it: a function that waits until its log says a
    text the given number of times (not "Documentation built in …": MkDocs logs a message only once), and one that
    reads a page over HTTP."""
    (root / "mkdocs.yml").write_text(yaml.safe_dump(SERVED), "utf-8")
    port = free_port()
    log = root / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root,
                                  env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def logged(text: str, times: int = 1) -> None:
        deadline = time.monotonic() + 120
        while log.read_text("utf-8").count(text) < times:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)

    def read(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as response:
            return response.read().decode()

    try:
        logged("Serving on")
        time.sleep(1.5)  # MkDocs polls for changes: an edit in the same second as the build might go unseen
        yield logged, read
    finally:
        os.killpg(server.pid, 15)
        server.wait()


@pytest.mark.parametrize("cached", [False, True])
def test_mkdocs_serve_shows_an_edit_on_every_page_that_shows_it(minimal: Path, cached: bool) -> None:
    """As an analyst works: `mkdocs serve`, edit a claim, read the pages again; then compare with a fresh build.
    With the build cache on, the served build also reuses kept pages and the records of files it read before."""
    method = minimal / "docs" / "methodology.md"  # no heading: search names its entry by the front matter's title
    method.write_text("---\ntitle: How we work\n---\n\nWe read every source twice.\n", "utf-8")
    env = {**os.environ, "BRIEFING_NO_CACHE": "" if cached else "1"}
    with serving(minimal, env) as (logged, read):
        claim_file = sorted((minimal / "sources" / "claims").glob("*.yml"))[0]
        text = claim_file.read_text("utf-8")
        ident = re.search(r"^[ -]*id: (\S+)", text, re.M)  # the file's first claim, whose statement comes next
        assert ident is not None
        statement = re.search(r"statement: (.+)", text)
        assert statement is not None
        claim_file.write_text(text.replace(statement[0], "statement: Served and edited.", 1), "utf-8")
        method.write_text(method.read_text("utf-8").replace("How we work", "How we check"), "utf-8")
        logged("Reloading browsers")
        assert "Served and edited." in read(f"claims/{ident[1]}.html")
        assert "Served and edited." in read("claims/index.html")
        served = {p: read(p) for p in ("claims/index.html", f"claims/{ident[1]}.html", "sources.html",
                                        "search/search_index.js")}
        assert "Served and edited." in served["search/search_index.js"]  # the claim's entry, made again
        assert "How we check" in served["search/search_index.js"]  # only the title changed: made again too
    kept = minimal / ".briefing-cache"
    assert bool(list(kept.glob("pages/*/*.html")) and list(kept.glob("parsed/*.pickle"))) == cached
    fresh = minimal / "fresh"
    shutil.rmtree(minimal / "site", ignore_errors=True)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(fresh)], cwd=minimal, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    index = served.pop("search/search_index.js")  # entries of pages an edit left alone: kept from the build before
    assert json.loads(index.removeprefix(PREFIX)) == read_index(fresh)
    for path, html in served.items():
        assert main_of(html) == main_of((fresh / path).read_text("utf-8")), path


HOUSE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info><title>House</title><id>house</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout suffix="."><text variable="title" prefix="HOUSENOTE "/></layout></citation>
  <bibliography><layout suffix="."><text variable="title" prefix="HOUSEFIRST "/></layout></bibliography>
</style>
"""


def use_house_style(root: Path) -> None:
    """The corpus at root formats its references in ``HOUSE_STYLE``, a file of its own."""
    (root / "house.csl").write_text(HOUSE_STYLE, "utf-8")
    settings = root / "sources" / "corpus.yml"
    settings.write_text(settings.read_text("utf-8") + "citation_style: house.csl\n", "utf-8")


@pytest.mark.parametrize("named_while_serving", [False, True])
def test_mkdocs_serve_shows_an_edited_citation_style(minimal: Path, named_while_serving: bool) -> None:
    """A corpus's own CSL file is watched (also one the corpus names only while serving), and formatted references
    and kept pages are not taken from before."""
    (minimal / "house.csl").write_text(HOUSE_STYLE, "utf-8")
    settings = minimal / "sources" / "corpus.yml"
    named = settings.read_text("utf-8") + "citation_style: house.csl\n"
    if not named_while_serving:
        settings.write_text(named, "utf-8")
    with serving(minimal, {**os.environ, "BRIEFING_NO_CACHE": "1"}) as (logged, read):
        reloads = 0
        if named_while_serving:
            assert "HOUSEFIRST" not in read("sources.html")
            settings.write_text(named, "utf-8")
            reloads += 1
            logged("Reloading browsers", reloads)
            time.sleep(1.5)  # (as after the first build: an edit in the same second might go unseen)
        assert "HOUSEFIRST" in read("sources.html") and "HOUSEFIRST" in read("claims/widgets-shipped.html")
        (minimal / "house.csl").write_text(HOUSE_STYLE.replace("HOUSEFIRST", "HOUSESECOND"), "utf-8")
        logged("Reloading browsers", reloads + 1)
        for path in ("sources.html", "claims/widgets-shipped.html"):  # a claim page's source tips: a kept page
            page = read(path)
            assert "HOUSESECOND" in page and "HOUSEFIRST" not in page, path


def main_of(html: str) -> str:
    """A page's article, which serving leaves as built (it adds its live-reload script elsewhere)."""
    found = re.search(r"<article.*?</article>", html, re.S)
    assert found is not None
    return found[0]


def test_a_tracked_table_reads_as_its_table_does_and_tells_a_missing_key_from_an_empty_value() -> None:
    table: defaultdict[str, list[int]] = defaultdict(list, {"a": [1]})
    memo = PageMemo()
    generation = memo.generation({"t": table})
    reads, view = generation.view()
    tracked = view["t"]
    assert isinstance(tracked, Mapping)
    assert tracked.get("x") is None and tracked["x"] == [] and "x" not in table  # a default, never put in
    assert "x" not in tracked and tracked["a"] == [1]
    generation.keep("page.md", b"key", reads, "the page")
    generation.close()
    assert memo.generation({"t": table}).reuse("page.md", b"key") == "the page"
    assert memo.generation({"t": table}).reuse("page.md", b"other key") is None
    assert memo.generation({"t": {**table, "x": []}}).reuse("page.md", b"key") is None  # 'x' is there now
    assert memo.generation({"t": {"a": [2]}}).reuse("page.md", b"key") is None  # what it read changed


EDITED_WHILE_READ = """
import sys
from pathlib import Path
from briefing import cite
from briefing.site.standalone import load_input
root, mode = Path(sys.argv[1]), sys.argv[2]
csl = root / "house.csl"
parse = cite.CitationStylesStyle
def parse_then_edit(style, validate=False):  # the analyst saves the style just after a build read it
    parsed = parse(style, validate=validate)
    csl.write_text(csl.read_text("utf-8").replace("HOUSEFIRST", "HOUSESECOND"), "utf-8")
    return parsed
if mode == "edit":
    cite.CitationStylesStyle = parse_then_edit
for run in (1, 2):
    source = next(iter(load_input(root, None).corpus.sources.values()))
    print(run, cite.reference_text(source))
    cite.forget_changed_styles()
"""


def test_references_formatted_with_a_style_are_kept_under_that_style_not_an_edit_made_meanwhile(
        minimal: Path, tmp_path: Path) -> None:
    """The on-disk cache of formatted references is named by the text of the style that formatted them: a style
    saved while a build read it leaves no reference in the old style under the new style's name."""
    use_house_style(minimal)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(mode: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", EDITED_WHILE_READ, str(minimal), mode], env=env, check=True,
                              capture_output=True, text=True).stdout.splitlines()

    first = run("edit")
    assert "HOUSEFIRST" in first[0] and "HOUSESECOND" in first[1]  # the edit shows once the style is read again
    assert list((tmp_path / "cache" / "briefing").glob("csl-*.json"))  # formatted references were kept
    assert all("HOUSESECOND" in line for line in run("read"))  # a later process: the style as the file says


TEXTS_OF_SETS = """
from briefing.model import Loc, Source
from briefing.site.memo import canonical
from briefing.site.render import SitePaths
names = [f"field{n}" for n in range(40)]
source = Source("k", "book", {"title": "T"}, "B", "", "", "", "TLP:CLEAR", [], None, None, Loc("x.bib", 1),
                inherited=set(names))
paths = SitePaths(kept=frozenset(names))
print(repr(source) + repr(paths))
print(canonical(source) + canonical((paths, {"x": {1, 2, 3}})))
"""


def test_a_records_text_is_the_same_in_every_process_though_its_sets_repr_is_not() -> None:
    """Pages are kept from one process to the next under digests of what they read: a set's order (its ``repr``)
    changes with the process's hash seed, so a record's text shows its sets' members in order."""
    runs = [subprocess.run([sys.executable, "-c", TEXTS_OF_SETS], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.splitlines() for seed in (1, 2, 3)]
    assert len({run[0] for run in runs}) > 1  # (the reprs differ: the test can tell)
    assert len({run[1] for run in runs}) == 1


def test_mkdocs_serve_starts_from_the_pages_a_build_kept(minimal: Path) -> None:
    """Serving's first build takes the record pages ``briefing build`` kept in the build cache (``site.memofile``)
    where their inputs are unchanged, as a build does. (Pages rewritten and sealed so are served: the seal vouches
    for them, as tests/test_build_cache.py shows for builds.)"""
    import marshal

    from briefing import cachedir

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1728000000"}
    env.pop("BRIEFING_NO_CACHE", None)
    built = subprocess.run([sys.executable, "-m", "briefing", "build", "--root", str(minimal)], env=env,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    [store] = (minimal / ".briefing-cache" / "generated").glob("*.marshal")
    name = f"generated/{store.name}"
    kept = with_planted_pages(marshal.loads(cachedir.unseal(name, store.read_bytes()) or b""))
    store.write_bytes(cachedir.seal(name, marshal.dumps(kept)) or b"")
    with serving(minimal, env) as (_, read):
        assert "PLANTED" in main_of(read("claims/widgets-shipped.html"))
