"""A pack whose registers are set apart: one annex PDF per register (the evidence one per theme), each marked and
paged like the pack, listed in the pack, the manifest, SHA256SUMS and the Downloads page."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from checkhelp import briefing
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_helpers import SECRET_WORD, Pdf, load_corpus, make_corpus, squash

from briefing import vocab
from briefing.bundle import listed, sha256
from briefing.checks import ID_FORMAT
from briefing.marking import at_ceiling
from briefing.pdf.parts import file_word, parts
from briefing.synthetic import generate

THEMES = 3
SEPARATE = """
  - id: annexed
    title: Widget export controls — annexed registers
    audience: Desk officers
    purpose: Registers printed apart
    ceiling: {ceiling}
    distribution: Unlimited
    registers: {registers}
    sections: [key-judgments, evidence, discussion, timeline, entities, sources, annex-scales]
"""


def _with_pack(root: Path, ceiling: str = "TLP:CLEAR", registers: str = "separate") -> None:
    records = root / "sources" / "records.yml"
    text = records.read_text(encoding="utf-8")
    text = re.sub(r"\n  - id: annexed\n(?:    .*\n)*", "\n", text)
    records.write_text(text.rstrip("\n") + "\n" + SEPARATE.format(ceiling=ceiling, registers=registers),
                       encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic corpus of three themes, its full pack's registers set apart, built as a user would."""
    root = tmp_path_factory.mktemp("annexes") / "corpus"
    generate(root, n_claims=45, n_sources=12, n_themes=THEMES)
    records = root / "sources" / "records.yml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace("- id: full\n", "- id: full\n  registers: separate\n"), encoding="utf-8")
    done = _build(root)
    assert done.returncode == 0, done.stderr
    return root


def _build(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``briefing build`` as a user runs it, on a fixed date (a corpus outside git is dated by the clock)."""
    return briefing("build", "--root", str(root), "--no-changes", **{"SOURCE_DATE_EPOCH": "1728000000", **env})


def _statements(root: Path) -> dict[str, list[str]]:
    corpus = load_corpus(root)
    out: dict[str, list[str]] = {}
    for claim in corpus.claims.values():
        out.setdefault(claim.theme, []).append(claim.statement)
    return out


def test_each_register_is_a_pdf_of_its_own_marked_and_paged_like_the_pack(built: Path) -> None:
    dist = built / "dist"
    themes = sorted(_statements(built))
    expected = {f"full-evidence-{t}.pdf" for t in themes} | {"full-timeline.pdf", "full-entities.pdf",
                                                              "full-sources.pdf"}
    assert len(themes) == THEMES
    assert expected == {p.name for p in dist.glob("full-*.pdf")}
    for name in sorted(expected):
        pdf = Pdf(dist / name)
        for number, text in enumerate(pdf.pages, start=1):
            assert text.count("TLP:CLEAR") >= 2, f"{name} page {number}: marking at head and foot"
            assert f"Page {number} of {pdf.count}" in text, name
            head = squash(subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-y", "0", "-H", "50",
                                          "-W", "600", str(pdf.path), "-"], capture_output=True, text=True,
                                         check=True).stdout)  # the top 50 pt: the running head
            title = "Evidence register: Theme" if "evidence" in name else name.removeprefix("full-").removesuffix(
                ".pdf").replace("entities", "Entity register").capitalize()
            assert head.startswith("Synthetic full pack") and title in head, f"{name} page {number}: {head}"
        assert re.search(r"Version: \S+ · Date:", squash(pdf.pages[0])), name


def test_each_claim_is_in_its_themes_annex_and_the_pack_shows_counts(built: Path) -> None:
    dist = built / "dist"
    by_theme = _statements(built)
    main = squash(Pdf(dist / "full.pdf").text)
    for theme, statements in by_theme.items():
        annex = squash(Pdf(dist / f"full-evidence-{theme}.pdf").text)
        others = " ".join(squash(Pdf(dist / f"full-evidence-{t}.pdf").text) for t in by_theme if t != theme)
        for statement in statements:
            opening = squash(statement)[:40]
            assert opening in annex
            assert opening not in others
        assert f"full-evidence-{theme}.pdf" in main  # the pack names each annex's file
    assert "Annexes issued separately" in main
    assert re.search(r"All themes \d+ \d+", main)  # the evidence as counts per theme and status
    assert "Status Confidence Grade Origins" not in main  # no register rows in the pack itself,
    assert "Status Confidence Grade Origins" in squash(Pdf(dist / f"full-evidence-{theme}.pdf").text)  # as there


def test_annexes_are_in_the_manifest_the_sums_and_the_downloads_page(built: Path) -> None:
    dist = built / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    annexes = {f["file"]: f for f in manifest["files"] if f.get("kind") == "annex"}
    assert set(annexes) == {p.name for p in dist.glob("full-*.pdf")}
    assert all(f["pack"] == "full" and f["marking"] == "TLP:CLEAR" for f in annexes.values())
    assert "full" in manifest["packs"] and not any(name.removesuffix(".pdf") in manifest["packs"] for name in annexes)
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True, check=False)
    assert sums.returncode == 0 and all(f"{name}: OK" in sums.stdout for name in annexes)
    page = BeautifulSoup((built / "site" / "downloads.html").read_text(encoding="utf-8"), "html.parser")
    rows = page.select("table.downloads tbody tr")
    links = [r.select_one("a[download]")["href"] for r in rows]
    annex_rows = [r for r in rows if "annex" in (r.get("class") or [])]
    assert len(annex_rows) == len(annexes)
    assert {a.select_one("a")["href"].rsplit("/", 1)[-1] for a in annex_rows} == set(annexes)
    assert links.index("downloads/full.pdf") < min(links.index(f"downloads/{n}") for n in annexes)
    for row in annex_rows:
        assert row.get_text(" ", strip=True).startswith("Annex:")
        target = built / "site" / row.select_one("a")["href"]
        assert target.read_bytes() == (dist / target.name).read_bytes()


def _kept(root: Path) -> set[tuple[str, int]]:
    """The compiled PDFs in the build cache (outside git: .briefing-cache), each named with its inode: a PDF
    compiled again is written anew (a new inode); one taken from the cache is only touched."""
    return {(p.name.split(".")[0], p.stat().st_ino) for p in (root / ".briefing-cache" / "packs").glob("*.pdf")}


def test_a_cached_build_gives_the_same_annexes_and_an_edit_compiles_only_its_own(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(built), str(copy)], check=True)
    for env in ({"BRIEFING_NO_CACHE": "1"}, {}):  # every PDF compiled again; then each taken from the cache
        before = _kept(copy)
        done = _build(copy, **env)
        assert done.returncode == 0, done.stderr
        for pdf in (built / "dist").glob("full*.pdf"):
            assert (copy / "dist" / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
    assert _kept(copy) == before and len(before) >= THEMES + 4  # nothing compiled again
    claims = copy / "sources" / "claims" / "theme01.yml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(re.sub(r"statement: .*", "statement: An edited statement.", text, count=1), encoding="utf-8")
    done = _build(copy)
    assert done.returncode == 0, done.stderr
    after = _kept(copy)
    again = {name for name, _ in after - before}
    assert "full-evidence-theme01" in again
    assert again <= {"full", "full-evidence-theme01", "full-timeline", "topic", "brief"}  # the others are kept
    assert "An edited statement." in Pdf(copy / "dist" / "full-evidence-theme01.pdf").text


def test_an_annex_holds_nothing_above_the_packs_ceiling(tmp_path: Path, minimal: Path) -> None:
    root = make_corpus(tmp_path / "c", minimal)
    _with_pack(root, "TLP:CLEAR")
    done = briefing("pack", "annexed", "--root", str(root), "--no-changes")
    assert done.returncode == 0, done.stderr
    files = sorted((root / "dist").glob("annexed*.pdf"))
    assert [f.name for f in files] == ["annexed-entities.pdf", "annexed-evidence-trade.pdf", "annexed-sources.pdf",
                                       "annexed-timeline.pdf", "annexed.pdf"]
    assert not any(SECRET_WORD in Pdf(f).text for f in files)
    _with_pack(root, "TLP:AMBER")  # the control: at AMBER the claim and its source are there
    done = briefing("pack", "annexed", "--root", str(root), "--no-changes")
    assert done.returncode == 0, done.stderr
    assert SECRET_WORD in Pdf(root / "dist" / "annexed-evidence-trade.pdf").text
    assert SECRET_WORD in Pdf(root / "dist" / "annexed-sources.pdf").text
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    for name in ("annexed-entities.pdf", "annexed-evidence-trade.pdf", "annexed-sources.pdf", "annexed-timeline.pdf"):
        assert all(page.count("TLP:AMBER") >= 2 for page in Pdf(root / "dist" / name).pages), name  # marked as the pack
        assert next(f for f in manifest["files"] if f["file"] == name)["marking"] == "TLP:AMBER"


def test_briefing_pack_replaces_the_annexes_it_had_and_keeps_the_others(minimal: Path) -> None:
    root = minimal
    records = root / "sources" / "records.yml"
    records.write_text(records.read_text(encoding="utf-8").replace("    sections: [key-judgments, recommendations, "
                                                                   "evidence,", "    registers: separate\n"
                                                                   "    sections: [key-judgments, recommendations, "
                                                                   "evidence,"), encoding="utf-8")
    _with_pack(root)
    assert _build(root).returncode == 0
    theirs = {p.name: p.read_bytes() for p in (root / "dist").glob("full-*.pdf")}
    assert len(theirs) == 4 and (root / "dist" / "annexed-timeline.pdf").is_file()
    _with_pack(root, registers="in-pack")
    done = briefing("pack", "annexed", "--root", str(root), "--no-changes")
    assert done.returncode == 0, done.stderr
    assert not list((root / "dist").glob("annexed-*.pdf"))
    assert {p.name: p.read_bytes() for p in (root / "dist").glob("full-*.pdf")} == theirs
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert {f["file"] for f in manifest["files"] if f.get("kind") == "annex"} == set(theirs)
    assert "Timeline" in Pdf(root / "dist" / "annexed.pdf").text
    assert "Annexes issued separately" not in Pdf(root / "dist" / "annexed.pdf").text  # the timeline is in it again


def _edit_manifest(dist: Path, edit) -> None:
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = edit(manifest["files"])
    (dist / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_the_site_offers_only_pdfs_the_manifest_vouches_for_within_its_ceiling(minimal: Path) -> None:
    from briefing.site.context import downloads_in

    _with_pack(minimal)
    assert _build(minimal).returncode == 0
    dist = minimal / "dist"
    corpus = load_corpus(minimal)
    offered = {d.file.name for d in downloads_in(dist, corpus, "TLP:CLEAR")}
    assert {"full.pdf", "annexed.pdf", "annexed-timeline.pdf", "annexed-evidence-trade.pdf"} <= offered

    def edit(files: list[dict]) -> list[dict]:
        for entry in files:
            if entry["file"] == "annexed-timeline.pdf":
                entry["marking"] = "TLP:AMBER"  # rendered when the pack's ceiling was higher
        return [f for f in files if f["file"] != "annexed.pdf"]  # a PDF the manifest does not list

    _edit_manifest(dist, edit)
    (dist / "annexed-sources.pdf").write_bytes((dist / "annexed-entities.pdf").read_bytes())  # changed since
    now = {d.file.name for d in downloads_in(dist, corpus, "TLP:CLEAR")}
    assert now == offered - {"annexed-timeline.pdf", "annexed.pdf", "annexed-sources.pdf"}
    assert {d.file.name for d in downloads_in(dist, corpus, "TLP:AMBER")} == now  # the pack's ceiling still binds
    (dist / "manifest.json").unlink()
    assert downloads_in(dist, corpus, "TLP:CLEAR") == []


def test_a_manifest_names_no_file_outside_dist(minimal: Path, tmp_path: Path) -> None:
    from briefing.site.context import downloads_in

    _with_pack(minimal)
    assert _build(minimal).returncode == 0
    victims = [tmp_path / "victim.pdf", minimal / "victim.pdf"]
    for victim in victims:
        victim.write_bytes(b"%PDF-1.7 not ours")
    dist = minimal / "dist"
    (dist / "annexed-x").mkdir()  # so that a name through it would resolve
    outside = [str(victims[0]), "annexed-x/../../victim.pdf", "annexed-x/../../../victim.pdf", "../victim.pdf"]
    (dist / "annexed-link.pdf").symlink_to(victims[0])  # a link out of dist/, with the SHA-256 of its target
    planted = [{"file": name, "kind": "annex", "pack": "annexed", "marking": "TLP:CLEAR", "title": "Planted",
                "sha256": sha256(victims[0])} for name in [*outside, "annexed-link.pdf", "full.pdf"]]
    _edit_manifest(dist, lambda files: [f for f in files if f["file"] != "full.pdf"] + planted
                   + [{"file": "odd.pdf", "kind": "annex", "pack": ["annexed"]}, {"file": "x" * 300 + ".pdf"}])
    assert not any(d.title == "Planted" for d in downloads_in(dist, load_corpus(minimal), "TLP:CLEAR"))
    kept = (dist / "full.pdf").read_bytes()
    done = briefing("pack", "annexed", "--root", str(minimal), "--no-changes")
    assert done.returncode == 0, done.stderr
    assert all(v.read_bytes() == b"%PDF-1.7 not ours" for v in victims)
    assert (dist / "full.pdf").read_bytes() == kept  # another pack's PDF that the manifest called an annex


def test_a_pdf_changed_since_its_manifest_is_not_vouched_for_again(minimal: Path) -> None:
    from briefing.site.context import downloads_in

    root = minimal
    records = root / "sources" / "records.yml"
    records.write_text(records.read_text(encoding="utf-8") + SEPARATE.replace("id: annexed", "id: annexed-timeline")
                       .format(ceiling="TLP:CLEAR", registers="in-pack"), encoding="utf-8")
    _with_pack(root, registers="in-pack")
    assert _build(root).returncode == 0
    dist = root / "dist"
    (dist / "annexed-timeline.pdf").write_bytes((dist / "full.pdf").read_bytes())  # replaced since the build
    kept = (dist / "annexed-timeline.pdf").read_bytes()
    # a manifest that calls another pack's PDF an annex of 'annexed'
    _edit_manifest(dist, lambda files: [{**f, "kind": "annex", "pack": "annexed"} if f["file"] == "annexed-timeline.pdf"
                                        else f for f in files])
    done = briefing("pack", "annexed", "--root", str(root), "--no-changes")
    assert done.returncode == 0, done.stderr
    assert (dist / "annexed-timeline.pdf").read_bytes() == kept  # not deleted as an annex of 'annexed'
    entry = next(f for f in json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["files"]
                 if f["file"] == "annexed-timeline.pdf")
    assert "kind" not in entry and "marking" not in entry  # no longer vouched for: its bytes changed
    offered = {d.file.name for d in downloads_in(dist, load_corpus(root), "TLP:CLEAR")}
    assert "annexed.pdf" in offered and "annexed-timeline.pdf" not in offered


@pytest.mark.parametrize(("ident", "file"), [("Q1.Eu_x", "full-evidence-Q1.Eu_x.pdf"), ("Q1 #2/x é", None)])
def test_a_theme_id_names_a_safe_file_or_is_refused(tmp_path: Path, ident: str, file: str | None) -> None:
    """An annex's file name holds the theme id as it is; an id that is no file name (a space, '#', '/') is refused
    by the checker before anything is written."""
    root = tmp_path / "corpus"
    generate(root, n_claims=12, n_sources=4, n_themes=2)
    for path in [root / "sources" / "records.yml", *sorted((root / "sources" / "claims").glob("*.yml"))]:
        text = re.sub(r"(?m)^(\s*-?\s*(?:id|theme): )theme01$", rf'\1"{ident}"', path.read_text(encoding="utf-8"))
        path.write_text(text.replace("- id: full\n", "- id: full\n  registers: separate\n"), encoding="utf-8")
    done = _build(root)
    if file is None:
        assert done.returncode == 1 and "[id-format]" in done.stderr and "Traceback" not in done.stderr
        assert not (root / "dist").exists() and not (root / "site").exists()
        return
    assert done.returncode == 0, done.stderr
    assert (root / "dist" / file).is_file()
    page = BeautifulSoup((root / "site" / "downloads.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in page.select("table.downloads a[download]")]
    assert f"downloads/{file}" in hrefs
    assert all((root / "site" / h).is_file() for h in hrefs)


@pytest.mark.parametrize("clash", ["another pack", "a kept annex", "two themes"])
def test_two_pdfs_of_one_name_fail_the_build_and_keep_the_output(minimal: Path, clash: str) -> None:
    root = minimal
    _with_pack(root)
    assert _build(root).returncode == 0
    before = {p.name: p.read_bytes() for p in (root / "dist").iterdir()}
    records = root / "sources" / "records.yml"
    command = ["build", "--root", str(root), "--no-changes"]
    if clash == "another pack":  # its file's name differs only in case
        records.write_text(records.read_text(encoding="utf-8") + SEPARATE.replace("id: annexed", "id: Annexed-Timeline")
                           .format(ceiling="TLP:CLEAR", registers="in-pack"), encoding="utf-8")
        expected = "dist/Annexed-Timeline.pdf"
    elif clash == "a kept annex":  # 'briefing pack' keeps the other pack's annexes
        records.write_text(records.read_text(encoding="utf-8") + SEPARATE.replace("id: annexed", "id: annexed-timeline")
                           .format(ceiling="TLP:CLEAR", registers="in-pack"), encoding="utf-8")
        command[0:1] = ["pack", "annexed-timeline"]
        expected = "kept from an earlier build"
    else:
        records.write_text(records.read_text(encoding="utf-8").replace(
            "themes:\n", "themes:\n  - id: Trade\n    title: Trade again\n    summary: A second theme.\n", 1),
            encoding="utf-8")  # one annex name ignoring case: the checker refuses the ids (id-format)
        claims = root / "sources" / "claims" / "widgets.yml"
        claims.write_text(claims.read_text(encoding="utf-8").replace("theme: trade", "theme: Trade", 1),
                          encoding="utf-8")
        expected = "theme id 'trade' differs from 'Trade' only in case"
    done = briefing(*command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in (root / "dist").iterdir()} == before


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_auto_sets_registers_apart_only_above_the_threshold(minimal: Path, extra: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = load_corpus(minimal)
    pack = corpus.packs["full"]
    assert not (pack.themes or pack.tags)  # every record at its ceiling is in it
    cut = at_ceiling(corpus, pack.ceiling)
    assert len(parts(cut, pack)) == 1
    held = {"evidence": cut.claims, "timeline": cut.events, "entities": cut.entities, "sources": cut.sources}
    rows = sum(len(held[s]) for s in pack.sections if s in held)
    monkeypatch.setattr(vocab, "SEPARATE_ROWS", rows - extra)  # auto: apart when there are more rows than this
    found = parts(cut, pack)
    assert (len(found) > 1) == (extra > 0)
    assert found[0].annexes == tuple(found[1:])
    pack.registers = "in-pack"
    assert len(parts(cut, pack)) == 1


@given(st.one_of(st.text(), st.from_regex(ID_FORMAT, fullmatch=True)))
def test_a_file_word_is_safe_in_a_url_and_on_any_file_system(ident: str) -> None:
    word = file_word(ident)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", word, re.ASCII)
    assert file_word(word) == word
    if ID_FORMAT.fullmatch(ident):  # an id is written as it is: two themes (unique ids) never share a file
        assert word == ident


NAMES = st.one_of(st.text(st.characters(exclude_categories=()), max_size=300),  # surrogates too
                  st.sampled_from(["..", ".", "../x.pdf", "/etc/passwd", "a/b.pdf", "a\\b.pdf", ".hidden.pdf",
                                   "full-timeline.pdf", "é" * 128 + ".pdf"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, st.one_of(st.none(), st.text(max_size=5), st.integers(), st.lists(st.text()))),
                max_size=6))
def test_a_manifest_entry_names_only_a_file_in_dist(tmp_path_factory: pytest.TempPathFactory,
                                                    entries: list[tuple[str, object]]) -> None:
    dist = tmp_path_factory.mktemp("dist")
    files = [{"file": n, "kind": "annex", "pack": pack, "marking": "TLP:CLEAR"} for n, pack in entries]
    (dist / "manifest.json").write_text(json.dumps({"files": files}), encoding="utf-8")
    for name in listed(dist):
        assert (dist / name).resolve().parent == dist.resolve() and not name.startswith(".") and "\\" not in name
        assert len(name.encode()) <= 255 and not (dist / name).exists()  # a name this system can look up
    assert set(listed(dist)) == {n for n, pack in entries if isinstance(pack, str | None) and n and "/" not in n
                                 and "\\" not in n and not n.startswith(".") and "\x00" not in n
                                 and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in n) and len(n.encode("utf-8",
                                 "surrogatepass")) <= 255}


def test_a_manifest_too_deep_to_read_lists_nothing(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert listed(tmp_path) == {}
