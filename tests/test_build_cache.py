"""Pages and packs kept between builds: a rebuild that reuses them writes the same bytes as a clean build."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkhelp import briefing
from conftest import EXAMPLE

from briefing import cachedir

CACHE = ".briefing-cache"
MARK = "<!-- taken from the page cache -->"


def build(root: Path, **env: str) -> dict[str, bytes]:
    """``briefing build`` as a user runs it; every file of site/ and dist/ afterwards."""
    done = briefing("build", "--root", str(root), **{"SOURCE_DATE_EPOCH": "1728000000", **env})
    assert done.returncode == 0, done.stderr
    return {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def corpus(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "corpus"))


def edit_claim(root: Path, words: str) -> None:
    path = root / "sources" / "claims" / "widgets.yml"
    text = path.read_text("utf-8")
    at = text.index("statement: ") + len("statement: ")
    path.write_text(text[:at] + words + " " + text[at:], encoding="utf-8")


def mark_kept_pages(root: Path, index: bool = True, sealed: bool = True) -> int:
    """Append a comment to every kept page (a new file: the kept one may be a link to the built page), and with
    ``index`` record its new SHA-256 as the cache does (``sealed`` with this user's key, as a build of this
    user's would); returns how many there are."""
    kept = list((root / CACHE / "pages").rglob("*.html"))
    for page in kept:
        text = page.read_text("utf-8") + MARK
        page.unlink()
        page.write_text(text, encoding="utf-8")
    if index:
        for listing in (root / CACHE / "pages").rglob("index.json"):
            data = json.loads(cachedir.unseal(listing.parent.name, listing.read_bytes()) or b"")
            for key, entry in data.items():
                page = listing.parent / f"{key}.html"
                if page.is_file():
                    entry["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
            text = json.dumps(data).encode()
            listing.write_bytes((cachedir.seal(listing.parent.name, text) or b"") if sealed else text)
    return len(kept)


def marked(files: dict[str, bytes]) -> list[str]:
    return sorted(name for name, data in files.items() if MARK.encode() in data)


def shown_where_used(root: Path, kept: Path, output: str, cases: list[tuple[bytes | None, bool]],
                     cleared: Path | None = None) -> None:
    """For each case, the cache file ``kept`` holding its bytes (``cleared`` removed first, so that nothing else
    stands in): the next build shows PLANTED in ``output`` exactly when the case says the file is used."""
    for blob, used in cases:
        kept.write_bytes(blob or b"")
        if cleared is not None:
            shutil.rmtree(cleared, ignore_errors=True)
        assert ("PLANTED" in build(root)[output].decode()) is used


def test_a_rebuild_after_an_edit_is_byte_identical_to_a_clean_build(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    build(root)
    edit_claim(root, "Edited")
    reused = build(root)
    clean = build(root, BRIEFING_NO_CACHE="1")
    assert sorted(reused) == sorted(clean)
    assert [name for name in clean if clean[name] != reused[name]] == []
    assert "Edited" in reused["site/claims/widgets-shipped.html"].decode()


def test_unchanged_record_pages_are_copied_and_changed_ones_rebuilt(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    first = build(root)
    assert mark_kept_pages(root) >= 3
    again = marked(build(root))
    # every claim and entity page comes from the cache; pages in the navigation are always built
    assert again == sorted(n for n in first if n.startswith(("site/claims/", "site/entities/"))
                           and n.endswith(".html") and not n.endswith("index.html"))
    edit_claim(root, "Edited")
    after_edit = marked(build(root))
    assert "site/claims/widgets-shipped.html" not in after_edit and "site/claims/widget-trade-grew.html" in after_edit
    assert marked(build(root, BRIEFING_NO_CACHE="1")) == []


def test_a_kept_page_changed_after_the_build_is_not_used(tmp_path: Path) -> None:
    """A kept page edited in place (in site/ or in the cache: they may be one file) no longer has its SHA-256."""
    root = corpus(tmp_path)
    clean = build(root)
    assert mark_kept_pages(root, index=False) >= 3
    assert build(root) == clean


def test_a_change_to_the_site_settings_rebuilds_every_page(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    build(root)
    mark_kept_pages(root)
    config = root / "sources" / "corpus.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    files = build(root)
    assert marked(files) == []
    assert "Renamed" in files["site/claims/widgets-shipped.html"].decode()


def test_search_entries_are_taken_from_the_cache_only_under_this_users_seal(tmp_path: Path) -> None:
    """A build keeps its pages' search entries in the cache, and the next build gives a page whose text for search
    is unchanged those entries, from a file this user's key sealed under its own name only. (Entries rewritten
    and sealed so show up in the index: the one thing that vouches for them is the seal.)"""
    root = corpus(tmp_path)
    build(root)
    [store] = list((root / CACHE / "pages").rglob("search.json"))
    name = f"{store.parent.name}/search.json"
    kept = json.loads(cachedir.unseal(name, store.read_bytes()) or b"")
    assert kept and all(isinstance(entries, list) for entries in kept.values())
    planted = json.dumps({key: [{**entry, "text": f"PLANTED {entry.get('text', '')}"} for entry in entries]
                          for key, entries in kept.items()}).encode()
    shown_where_used(root, store, "site/search/search_index.js",
                     [(planted, False), (cachedir.seal("another/search.json", planted), False),
                      (cachedir.seal(name, planted), True)])


def test_in_git_the_cache_is_kept_in_the_git_folder_and_is_safe_to_delete(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "sources", "docs"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm",
                    "corpus"], check=True)
    before = build(root)
    kept = root / ".git" / "briefing-cache"
    assert list((kept / "pages").rglob("*.html")) and list((kept / "packs").glob("*.pdf"))
    assert not (root / CACHE).exists()
    assert "+dirty" not in before["site/index.html"].decode()  # the working tree is as committed
    assert build(root) == before
    shutil.rmtree(kept)
    assert build(root) == before


def test_a_pack_whose_input_is_unchanged_is_not_compiled_again(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    first = build(root)
    kept = list((root / CACHE / "packs").glob("full.*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == first["dist/full.pdf"]
    mark_kept_pack(kept[0])  # what a kept PDF holds is what is shipped
    assert build(root)["dist/full.pdf"].endswith(MARK.encode())
    edit_claim(root, "Edited")
    edited = build(root)["dist/full.pdf"]
    assert MARK.encode() not in edited
    assert edited == build(root, BRIEFING_NO_CACHE="1")["dist/full.pdf"]


def mark_kept_pack(pdf: Path, sealed: bool = True) -> None:
    """Append a comment to a kept PDF and record its new SHA-256 (``sealed`` as a build of this user's would)."""
    content = pdf.read_bytes() + MARK.encode()
    pdf.write_bytes(content)
    count = pdf.with_suffix(".pages")
    pages = (cachedir.unseal(pdf.stem, count.read_bytes()) or b"").split(b" ")[1]
    text = hashlib.sha256(content).hexdigest().encode() + b" " + pages
    count.write_bytes((cachedir.seal(pdf.stem, text) or b"") if sealed else text)


@pytest.mark.parametrize("who", ["another user", "no key"])
def test_a_cache_this_user_did_not_make_is_never_used(tmp_path: Path, who: str) -> None:
    """A corpus folder received from elsewhere may bring a .briefing-cache whose pages and packs are not what the
    corpus makes (a page with a script, a pack with other text): without this user's seal none of it is used."""
    root = corpus(tmp_path)
    clean = build(root)
    mark_kept_pages(root, sealed=who == "another user")
    pdf = next((root / CACHE / "packs").glob("full.*.pdf"))
    mark_kept_pack(pdf, sealed=who == "another user")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "elsewhere")} if who == "another user" else {}
    assert marked(build(root, **env)) == []
    assert build(root, BRIEFING_NO_CACHE="1") == clean


def test_a_files_parse_is_kept_only_when_clean_and_only_under_this_users_seal(tmp_path: Path) -> None:
    from briefing.parsecache import ParseCache
    from briefing.problems import Loc, Problems

    cache, problems = ParseCache(tmp_path), Problems()

    def fails() -> dict[str, str]:
        raise AssertionError("parsed again")

    assert cache.parsed("yaml", "a.yml", "x: 1", problems, lambda: {"x": "1"}) == {"x": "1"}
    assert cache.parsed("yaml", "a.yml", "x: 1", problems, fails) == {"x": "1"}  # kept
    assert cache.parsed("yaml", "b.yml", "x: 1", problems, lambda: {"x": "b"}) == {"x": "b"}  # shown differently
    assert cache.parsed("yaml", "a.yml", "x: 2", problems, lambda: {"x": "2"}) == {"x": "2"}  # text changed

    def with_problem() -> dict[str, str]:
        problems.error(Loc("c.yml", 1), "yaml-duplicate-key", "key 'x' appears twice")
        return {"x": "3"}

    cache.parsed("yaml", "c.yml", "x: 3\nx: 3", problems, with_problem)
    cache.parsed("yaml", "c.yml", "x: 3\nx: 3", problems, with_problem)
    assert len(problems.items) == 2  # a file with a problem is parsed (and reported) every time
    kept = sorted((tmp_path / CACHE / "parsed").iterdir())
    planted = pickle.dumps({"x": "planted"})
    for path in kept:  # a parse planted without this user's seal, or sealed as another entry
        path.write_bytes(b"0" * 64 + b"\n" + planted)
    kept[1].write_bytes(cachedir.seal(kept[0].name, planted) or b"")
    assert cache.parsed("yaml", "a.yml", "x: 1", problems, lambda: {"x": "1"}) == {"x": "1"}
    assert cache.parsed("yaml", "b.yml", "x: 1", problems, lambda: {"x": "b"}) == {"x": "b"}
    assert cache.parsed("yaml", "a.yml", "x: 2", problems, lambda: {"x": "2"}) == {"x": "2"}


def check(root: Path, **env: str) -> str:
    """``briefing check`` as a user runs it: its exit code and everything it printed."""
    done = briefing("check", "--root", str(root), **env)
    return f"{done.returncode}\n{done.stdout}\n{done.stderr}"


def misspell_a_key(root: Path) -> None:
    path = root / "sources" / "claims" / "widgets.yml"
    path.write_text(path.read_text("utf-8").replace("statement: ", "statment: ", 1), encoding="utf-8")


def unknown_default_marking(root: Path) -> None:
    """Records that take the default marking take one that is not TLP: the loader remembers them, with no
    problem of their own (their file's records must not be kept without that)."""
    path = root / "sources" / "corpus.yml"
    path.write_text(path.read_text("utf-8").replace("default_marking: TLP:CLEAR", "default_marking: TLP:BLUE"),
                    encoding="utf-8")
    for claims in (root / "sources" / "claims").glob("*.yml"):
        claims.write_text("\n".join(line for line in claims.read_text("utf-8").splitlines()
                                    if not line.strip().startswith("marking:")) + "\n", encoding="utf-8")


def same_ids_in_two_files(root: Path) -> None:
    claims = root / "sources" / "claims"
    shutil.copy(claims / "widgets.yml", claims / "widgets-copy.yml")


@pytest.mark.parametrize("edit", [misspell_a_key, unknown_default_marking, same_ids_in_two_files])
def test_a_check_with_kept_parses_reports_what_a_fresh_one_does(tmp_path: Path, edit) -> None:
    root = corpus(tmp_path)
    edit(root)

    first = check(root)
    assert first.startswith("1\n") and list((root / CACHE / "parsed").iterdir())
    assert check(root) == first == check(root, BRIEFING_NO_CACHE="1")


SIDEBAR_SPY = """
import atexit, sys
from briefing.site import partials
hits = [0]
made = partials._memoised
def counting(render, key_of, memo):
    shared = made(render, key_of, memo)
    def root(context):
        key = key_of(context)
        hits[0] += key is not None and key in memo
        yield from shared(context)
    return root
partials._memoised = counting
atexit.register(lambda: print("shared", hits[0], file=sys.stderr))
from briefing.cli import main
sys.exit(main(["build", "--root", sys.argv[1]]))
"""


def test_pages_sharing_a_sidebar_are_byte_identical_to_pages_rendering_their_own(tmp_path: Path) -> None:
    """Material's navigation sidebar is rendered once per folder for the pages outside the navigation; every page
    of a first build (nothing kept yet, one process) is the page a build without it writes."""
    root = corpus(tmp_path)
    done = subprocess.run([sys.executable, "-c", SIDEBAR_SPY, str(root)], capture_output=True, text=True,
                          check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_JOBS": "1",
                                            "SOURCE_DATE_EPOCH": "1728000000"})
    assert done.returncode == 0, done.stderr
    [hits] = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("shared ")]
    pages = list((root / "site").rglob("*.html"))
    assert hits >= len(pages)  # the search box on every page but the first, and sidebars of claims and entities
    shared = {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
              for p in sorted((root / folder).rglob("*")) if p.is_file()}
    own = build(root, BRIEFING_NO_CACHE="1", BRIEFING_JOBS="1")
    assert [n for n in own if n.endswith(".html") and own[n] != shared[n]] == []


def test_a_kept_pack_copied_under_another_packs_name_is_not_used(tmp_path: Path) -> None:
    """Each entry is sealed with its name: a pack kept for one ceiling, copied over another pack's entry, is not
    shipped as that pack."""
    root = corpus(tmp_path)
    clean = build(root)
    [pdf] = (root / CACHE / "packs").glob("full.*.pdf")
    other = pdf.with_name(pdf.name.replace("full.", "full.0", 1))
    other.write_bytes(clean["dist/full.pdf"] + MARK.encode())
    other.with_suffix(".pages").write_bytes(pdf.with_suffix(".pages").read_bytes())  # sealed, but as another entry
    for path in (pdf, pdf.with_suffix(".pages")):
        path.unlink()
    other.rename(pdf)
    other.with_suffix(".pages").rename(pdf.with_suffix(".pages"))
    assert MARK.encode() not in build(root)["dist/full.pdf"]


def test_a_planted_cache_of_links_is_never_followed(tmp_path: Path) -> None:
    """A corpus folder may bring a .briefing-cache whose folders are links to the user's files (its old entries
    would be cleared there): the build does not use them; the user's files stay; the output is a clean build's."""
    root = corpus(tmp_path)
    clean = build(root, BRIEFING_NO_CACHE="1")
    victim = tmp_path / "victim"
    (victim / "0123456789abcdef0123456789abcdef").mkdir(parents=True)
    old_file = victim / ("a" * 64 + ".pickle")
    old_file.write_text("the user's file", encoding="utf-8")
    (victim / "0123456789abcdef0123456789abcdef" / "work.txt").write_text("the user's work", encoding="utf-8")
    for path in (old_file, victim / "0123456789abcdef0123456789abcdef"):
        os.utime(path, (1, 1))  # older than anything a cache keeps
    (root / CACHE).mkdir()
    for name in ("parsed", "pages"):
        (root / CACHE / name).symlink_to(victim)
    done = subprocess.run([sys.executable, "-m", "briefing", "build", "--root", str(root)], capture_output=True,
                          text=True, check=False, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1728000000"})
    assert done.returncode == 0, done.stderr
    assert old_file.read_text("utf-8") == "the user's file"
    assert (victim / "0123456789abcdef0123456789abcdef" / "work.txt").is_file()
    files = {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
             for p in sorted((root / folder).rglob("*")) if p.is_file()}
    assert files == clean


def test_a_dirty_build_never_writes_into_a_page_it_shares_with_the_cache(tmp_path: Path) -> None:
    """Kept pages are hard-linked into the site; ``mkdocs build --dirty`` writes pages in place. A page it builds
    again is unlinked first: the cache, and another site holding the same file, stay as they were."""
    root = corpus(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\nplugins:\n  - briefing: {mode: site}\n"
                                     "  - search\n  - offline\n", encoding="utf-8")
    build(root)
    published = build(root)
    page = root / "site" / "claims" / "widgets-shipped.html"
    assert page.stat().st_nlink > 1  # shared with the cache (and so fast)

    def dirty() -> None:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "-d", str(tmp_path / "other")],
                              cwd=root, capture_output=True, text=True, check=False,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1728000000"})
        assert done.returncode == 0, done.stderr

    dirty()
    edit_claim(root, "Unreviewed")
    dirty()
    assert "Unreviewed" in (tmp_path / "other" / "claims" / "widgets-shipped.html").read_text("utf-8")
    assert page.read_bytes() == published["site/claims/widgets-shipped.html"]
    assert build(root) == build(root, BRIEFING_NO_CACHE="1")


def test_a_cache_of_pipes_is_never_waited_on(tmp_path: Path) -> None:
    """Every kept entry (parse, page index, page, pack) replaced by a pipe: a read would wait forever; the build
    skips them and writes what a clean build writes."""
    root = corpus(tmp_path)
    clean = build(root)
    entries = [p for p in (root / CACHE).rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"parsed", "packs"} and any(p.name == "index.json" for p in entries)
    for path in entries:
        path.unlink()
        os.mkfifo(path)
    done = subprocess.run([sys.executable, "-m", "briefing", "build", "--root", str(root)], capture_output=True,
                          text=True, check=False, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1728000000"})
    assert done.returncode == 0, done.stderr
    assert {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
            for p in sorted((root / folder).rglob("*")) if p.is_file()} == clean


def test_without_a_key_nothing_is_kept_and_the_build_is_the_same(tmp_path: Path) -> None:
    """Where no key can be made (no writable home), builds keep nothing and still succeed."""
    root = corpus(tmp_path)
    clean = build(root, BRIEFING_NO_CACHE="1")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    assert build(root, XDG_CONFIG_HOME=str(blocked)) == clean
    assert build(root, XDG_CONFIG_HOME=str(blocked)) == clean
    assert [p for p in (root / CACHE).rglob("*") if p.is_file()] == []


def test_kept_records_do_not_lose_a_marking_another_file_also_could_not_trust(tmp_path: Path) -> None:
    """The same claim, taking an unknown default marking, in two files: the second file adds nothing new to the
    untrusted markings, yet must not be kept as if it added nothing (found in review)."""
    root = corpus(tmp_path)
    config = root / "sources" / "corpus.yml"
    config.write_text(config.read_text("utf-8").replace("default_marking: TLP:CLEAR", "default_marking: TLP:ORANGE"),
                      encoding="utf-8")
    claims = root / "sources" / "claims"
    same = ("claims:\n  - id: dup\n    statement: A claim in two files.\n    theme: trade\n    status: reported\n"
            "    confidence: moderate\n    reviewed: 2024-10-05\n")
    (claims / "a.yml").write_text(same, encoding="utf-8")
    (claims / "b.yml").write_text(same, encoding="utf-8")
    (claims / "c.yml").write_text("events:\n  - id: ev\n    date: 2024-09-25\n    title: T\n    claims: [dup]\n"
                                  "    marking: TLP:CLEAR\n", encoding="utf-8")

    assert check(root) == check(root, BRIEFING_NO_CACHE="1")
    (claims / "a.yml").write_text(same.replace("id: dup", "id: other"), encoding="utf-8")
    assert check(root) == check(root) == check(root, BRIEFING_NO_CACHE="1")


def test_serving_a_kept_page_changed_in_place_is_not_used_again(tmp_path: Path) -> None:
    """``mkdocs serve`` asks for every kept page at each build and reads a page's SHA-256 once; a page written into
    afterwards is read again, and one written just before the first asking (whose change the clock might not show)
    is always read again."""
    from briefing.site.pagecache import PageCache

    cache = PageCache.open(tmp_path, "ab" * 32)
    assert cache is not None
    built = tmp_path / "built.html"
    for key, old in (("settled", True), ("fresh", False)):
        built.write_text(f"<p>{key} page</p>", encoding="utf-8")
        cache.put(key, built, [])
        built.unlink()  # (the kept file itself is written into below, not a copy)
        cache.index[key] = cache.used[key]
        kept = cache.folder / f"{key}.html"
        stamp = kept.stat().st_mtime_ns - (10**10 if old else 0)
        os.utime(kept, ns=(stamp, stamp))
        assert cache.get(key) is not None and cache.get(key) is not None
        kept.write_text(f"<p>{key} PAGE</p>", encoding="utf-8")  # same size
        if not old:
            os.utime(kept, ns=(stamp, stamp))  # and the same time, as a clock too coarse to tell would show
        assert cache.get(key) is None, key


def test_serving_loads_again_share_unchanged_records_and_read_changed_ones(tmp_path: Path, monkeypatch) -> None:
    """``mkdocs serve`` loads the corpus at every build: a record file whose text is unchanged gives the records of
    the last load (not unpickled again), an edited one is read afresh, a file with a problem reports it again. Only
    a sharing load shares, and only within its corpus: records another caller may change are never handed out."""
    from briefing.pipeline import load_and_check

    root = corpus(tmp_path)
    other = Path(shutil.copytree(root, tmp_path / "other"))

    def loaded(where: Path = root, shared: bool = True) -> tuple[dict, list[str]]:
        found, problems = load_and_check(where, shared=shared)
        return found.claims, [str(p) for p in problems.sorted()]

    first, _ = loaded()
    again, _ = loaded()
    assert again.keys() == first.keys() and all(again[k] is first[k] for k in first)
    assert not any(claim is first[k] for k, claim in loaded(shared=False)[0].items())  # (a check, a build)
    assert not any(claim is first[k] for k, claim in loaded(other)[0].items())  # another corpus, the same text
    edit_claim(root, "Edited while serving.")
    edited, _ = loaded()
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    fresh, _ = loaded()
    monkeypatch.delenv("BRIEFING_NO_CACHE")
    assert repr(edited) == repr(fresh) != repr(first)
    assert any("Edited while serving." in claim.statement for claim in edited.values())
    misspell_a_key(root)
    reports = [loaded()[1] for _ in range(2)]
    assert reports[0] == reports[1] and any("statment" in line for line in reports[0])


def test_keeping_a_page_never_writes_through_a_name_planted_meanwhile(tmp_path: Path, monkeypatch) -> None:
    """A page is kept as a hard link made at a temporary name; a link planted at that name in the instant between
    clearing it and linking (the link then fails) must not be written through: the page is kept as a new file."""
    from briefing.site.pagecache import PageCache

    cache = PageCache.open(tmp_path, "cd" * 32)
    assert cache is not None
    outside = tmp_path / "outside.txt"
    outside.write_text("the user's file", encoding="utf-8")
    built = tmp_path / "built.html"
    built.write_text("<p>a page</p>", encoding="utf-8")
    real_link = os.link

    def raced(src: str | os.PathLike, dst: str | os.PathLike, **kwargs: object) -> None:
        os.symlink(outside, dst)  # planted by someone else, just before the build links
        real_link(src, dst)  # FileExistsError, as it would be

    monkeypatch.setattr(os, "link", raced)
    cache.put("page", built, [])
    assert outside.read_text(encoding="utf-8") == "the user's file"
    kept = cache.folder / "page.html"
    assert not kept.is_symlink() and kept.read_text(encoding="utf-8") == "<p>a page</p>"
    assert cache.used["page"]["sha256"] == hashlib.sha256(b"<p>a page</p>").hexdigest()
    assert [p.name for p in cache.folder.iterdir() if p.name.startswith(".")] == []  # the planted name is gone


def test_a_folder_in_the_page_cache_does_not_fail_the_build(tmp_path: Path) -> None:
    """Clearing the page cache removes unused pages by name; a folder at such a name (a corpus may come with its
    cache) is left, and the build goes on."""
    from briefing.site.pagecache import PageCache

    cache = PageCache.open(tmp_path, "ef" * 32)
    assert cache is not None
    (cache.folder / "unused.html").mkdir()
    (cache.folder / ".partial.html.1").mkdir()
    os.utime(cache.folder / ".partial.html.1", (0, 0))  # an unfinished write of long ago
    built = tmp_path / "built.html"
    built.write_text("<p>a page</p>", encoding="utf-8")
    cache.put("page", built, [])
    cache.save()
    assert (cache.folder / "page.html").is_file() and (cache.folder / "unused.html").is_dir()


def test_generated_pages_are_taken_from_the_cache_only_under_this_users_seal(tmp_path: Path) -> None:
    """A build keeps its record and theme pages' Markdown (``site.memofile``) and the next build, in a new process,
    reuses a page whose inputs are unchanged: only from a file this user's key sealed under its own name, made by
    this code with these style files. (Pages rewritten and sealed so are published: the seal vouches for them.)"""
    from test_site_memo import with_planted_pages

    root = corpus(tmp_path)
    build(root)
    [store] = list((root / CACHE / "generated").glob("*.marshal"))
    name = f"generated/{store.name}"
    kept = marshal.loads(cachedir.unseal(name, store.read_bytes()) or b"")
    assert "claims/widgets-shipped.md" in kept["pages"] and kept["styles"]
    kept = with_planted_pages(kept)
    planted = marshal.dumps(kept)
    other_code = marshal.dumps({**kept, "code": "another version"})
    other_style = marshal.dumps({**kept, "styles": dict.fromkeys(kept["styles"], "0" * 64)})
    shown_where_used(root, store, "site/claims/widgets-shipped.html",
                     [(planted, False), (cachedir.seal("generated/another.marshal", planted), False),
                      (cachedir.seal(name, other_code), False), (cachedir.seal(name, other_style), False),
                      (cachedir.seal(name, planted), True)])


def test_a_rebuild_after_a_citation_style_is_edited_is_byte_identical_to_a_clean_build(tmp_path: Path) -> None:
    """Kept pages show references formatted in the corpus's style: an edit of its file is not shown from before."""
    from test_site_memo import HOUSE_STYLE, use_house_style

    root = corpus(tmp_path)
    use_house_style(root)
    assert "HOUSEFIRST" in build(root)["site/claims/widgets-shipped.html"].decode()
    (root / "house.csl").write_text(HOUSE_STYLE.replace("HOUSEFIRST", "HOUSESECOND"), "utf-8")
    reused = build(root)
    assert "HOUSESECOND" in reused["site/claims/widgets-shipped.html"].decode()
    assert reused == build(root, BRIEFING_NO_CACHE="1")


def test_compiled_templates_are_taken_from_the_cache_only_under_this_users_seal(tmp_path: Path) -> None:
    """The pages' and the theme's templates are compiled once for all builds (``site.compiled``): code is taken
    from the cache only under this user's seal, for the environment that compiled it. (Code compiled from another
    source and sealed so is run: the seal vouches for it.)"""
    from briefing.site import compiled, render

    root = corpus(tmp_path)
    build(root)
    folder = root / CACHE / "templates"
    assert len(list(folder.glob("*.jinja"))) > 30  # the pages' templates and the theme's
    shutil.rmtree(root / CACHE / "generated")  # (so that the claim's page is rendered again)
    env = render.environment()
    source, filename, _ = env.loader.get_source(env, "claim.md.j2")  # type: ignore[union-attr]
    kept = compiled.for_pages(root)
    assert kept is not None
    bucket = kept.get_bucket(env, "claim.md.j2", filename, source)
    assert bucket.code is not None  # the build's own
    bucket.code = env.compile(source + "\n\nPLANTED\n", "claim.md.j2", filename)
    code = bucket.bytecode_to_string()
    path = kept._path(bucket)
    shown_where_used(root, path, "site/claims/widgets-shipped.html",
                     [(code, False), (cachedir.seal("templates/another", code), False),
                      (cachedir.seal(f"templates/{bucket.key}", code), True)], cleared=root / CACHE / "generated")


def test_kept_pages_of_other_ceilings_are_dropped_after_a_week_and_nothing_else(tmp_path: Path) -> None:
    from briefing.site import memofile
    from briefing.site.memo import PageMemo

    folder = tmp_path / "generated"
    folder.mkdir()
    old, recent, other, dir_like = (folder / f"{'a' * 24}.marshal", folder / f"{'b' * 24}.marshal",
                                    folder / "notes.marshal", folder / f"{'c' * 24}.marshal")
    for path in (old, recent, other):
        path.write_bytes(b"x")
    dir_like.mkdir()
    week = 8 * 86400
    for path in (old, other, dir_like):
        os.utime(path, (os.path.getmtime(path) - week,) * 2)
    memofile.save(PageMemo(), folder / f"{'d' * 24}.marshal")
    assert sorted(p.name for p in folder.iterdir()) == sorted([recent.name, other.name, dir_like.name,
                                                              f"{'d' * 24}.marshal"])


STYLE_SAVED_DURING_BUILD = """
import sys
from pathlib import Path
from briefing import cli
from briefing.site import memofile
root = Path(sys.argv[1])
load = memofile.load
def then_save_the_style(*args, **kwargs):  # the analyst saves the style just after the build checked it
    memo = load(*args, **kwargs)
    style = root / "house.csl"
    style.write_text(style.read_text("utf-8").replace("HOUSEFIRST", "HOUSESECOND"), "utf-8")
    return memo
memofile.load = then_save_the_style
sys.exit(cli.main(["build", "-q", "--root", str(root)]))
"""


def test_pages_kept_while_their_style_file_was_saved_are_not_kept_as_the_new_styles(tmp_path: Path) -> None:
    """A style file saved while a build runs, after the kept pages were checked against it: the pages that build
    reused show the style as it was, so they are not kept under the style as it is (the next build makes them)."""
    from test_site_memo import use_house_style

    root = corpus(tmp_path)
    records = root / "sources" / "records.yml"
    records.write_text(records.read_text("utf-8").partition("\npacks:")[0] + "\n", "utf-8")  # (packs read styles early)
    use_house_style(root)
    build(root)
    claims = root / "sources" / "claims" / "widgets.yml"
    claims.write_text(claims.read_text("utf-8").replace("Widget trade grew", "Widget trade rose"), "utf-8")
    raced = subprocess.run([sys.executable, "-c", STYLE_SAVED_DURING_BUILD, str(root)], capture_output=True,
                           text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1728000000"}, check=False)
    assert raced.returncode == 0, raced.stderr
    after = build(root)
    assert "HOUSESECOND" in after["site/claims/widgets-shipped.html"].decode()
    assert after == build(root, BRIEFING_NO_CACHE="1")


@pytest.mark.parametrize("kept", [{"code": "?"}, {"styles": {1: "x"}}, {"styles": {}, "pages": {"a.md": (1,)}},
                                  {"styles": [], "pages": {}}, ["not", "a", "dict"], b"\xff"])
def test_a_kept_pages_file_not_as_this_code_writes_it_keeps_nothing(tmp_path: Path, kept: object) -> None:
    """Sealed by this user but written otherwise (an older version, another Python): nothing is taken, no error."""
    from briefing.site import memofile

    path = tmp_path / f"{'e' * 24}.marshal"
    value = {"code": cachedir.fingerprint(memofile.LIBRARIES), **kept} if isinstance(kept, dict) else kept
    data = marshal.dumps(value)[:-1] if isinstance(kept, bytes) else marshal.dumps(value)  # (bytes: cut short)
    path.write_bytes(cachedir.seal(f"generated/{path.name}", data) or b"")
    memo = memofile.load(path)
    assert memo.kept == {} and memo.styles == {}
