"""Versioned releases, end to end: `briefing build` in a real git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from checkhelp import briefing
from gitrepo import make_history

TODAY = ("--today", "2024-11-01")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus with v1.0 and one later commit, built once."""
    from conftest import EXAMPLE

    root = tmp_path_factory.mktemp("release") / "corpus"
    shutil.copytree(EXAMPLE, root)
    make_history(root)
    result = briefing("build", "--root", str(root), *TODAY)
    assert result.returncode == 0, result.stderr
    return root


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_every_output_names_its_version(released: Path) -> None:
    manifest = json.loads((released / "dist/manifest.json").read_text(encoding="utf-8"))
    version = manifest["version"]
    assert version.startswith("v1.0+1.g") and manifest["date"] == "2024-10-20"
    assert manifest["packs"] == ["full"]
    assert {f["file"] for f in manifest["files"]} == {"full.pdf", f"site-{version}.zip"}
    pack = next(f for f in manifest["files"] if f["file"] == "full.pdf")
    assert pack["marking"] == "TLP:CLEAR" and len(pack["sha256"]) == 64
    for page in (released / "site").rglob("*.html"):
        assert version in page.read_text(encoding="utf-8"), page
    text = pdf_text(released / "dist/full.pdf")
    assert text.count(version) >= 2


def test_changes_since_the_previous_release_in_site_and_pack(released: Path) -> None:
    page = BeautifulSoup((released / "site" / "changes.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "What changed since v1.0"
    text = page.get_text(" ")
    assert "reported → confirmed: Widget trade grew in 2023." in " ".join(text.split())
    assert "widget-trade-grew" not in text and "customs2024widgets" not in text  # named in words, not by id
    assert "widget trade statistics 2023" in text.lower()
    pdf = " ".join(pdf_text(released / "dist/full.pdf").split())
    assert "from version v1.0 to" in pdf
    assert "widget trade statistics 2023" in pdf.lower() and "customs2024widgets" not in pdf


def test_a_revision_named_by_hash_reaches_readers_as_its_version(released: Path, tmp_path: Path) -> None:
    """'--since <commit>' names what to compare with; readers see the version that commit was, not its hash."""
    root = Path(shutil.copytree(released, tmp_path / "corpus", symlinks=True))
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "v1.0^{commit}"], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert briefing("build", "--root", str(root), "--since", commit, *TODAY).returncode == 0
    page = BeautifulSoup((root / "site" / "changes.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "What changed since v1.0"
    outputs = page.get_text(" ") + pdf_text(root / "dist/full.pdf") + (root / "site/index.html").read_text("utf-8")
    assert commit not in outputs and commit[:7] not in outputs


def test_claim_page_shows_the_status_history_with_both_dates(released: Path) -> None:
    page = next(p for p in (released / "site").rglob("*.html") if "widget-trade-grew" in p.as_posix())
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "2024-10-01" in text and "2024-10-20" in text


def test_sha256sum_accepts_the_bundle_and_catches_one_changed_byte(released: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(released / "dist", dist)
    ok = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "manifest.json: OK" in ok.stdout and "full.pdf: OK" in ok.stdout
    data = bytearray((dist / "full.pdf").read_bytes())
    data[len(data) // 2] ^= 0x01
    (dist / "full.pdf").write_bytes(bytes(data))
    bad = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    assert "full.pdf: FAILED" in bad.stdout


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_one_commit_are_byte_identical(released: Path, tmp_path: Path) -> None:
    first = {"site": files_of(released / "site"), "dist": files_of(released / "dist")}
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(released), str(clone)], check=True)
    result = briefing("build", "--root", str(clone), *TODAY)
    assert result.returncode == 0, result.stderr
    second = {"site": files_of(clone / "site"), "dist": files_of(clone / "dist")}
    for kind in ("site", "dist"):
        assert first[kind].keys() == second[kind].keys()
        differ = [name for name in first[kind] if first[kind][name] != second[kind][name]]
        assert not differ, f"{kind} files differ between two builds: {differ[:10]}"
    # the clone read each revision's statuses from the corpus; a rebuild reads them from the cache (a damaged
    # entry is read again from git): the same bytes
    cached = sorted((clone / ".git" / "briefing-cache" / "history").glob("statuses-*.json"))
    assert cached
    cached[0].write_text("{not json", encoding="utf-8")
    assert briefing("build", "--root", str(clone), *TODAY).returncode == 0
    assert files_of(clone / "site") == second["site"]


def test_pack_command_renders_one_pack_and_keeps_the_bundle_valid(released: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(released), str(clone)], check=True)
    shutil.copytree(released / "dist", clone / "dist")
    (clone / "dist/full.pdf").unlink()
    result = briefing("pack", "full", "--root", str(clone), *TODAY)
    assert result.returncode == 0, result.stderr
    assert (clone / "dist/full.pdf").read_bytes() == (released / "dist/full.pdf").read_bytes()
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=clone / "dist", check=False).returncode == 0
    missing = briefing("pack", "nope", "--root", str(clone), *TODAY)
    assert missing.returncode == 2 and "no pack 'nope' (packs: full)" in missing.stderr


def test_dirty_tree_is_marked_and_each_file_keeps_its_own_version(released: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(released), str(clone)], check=True)
    shutil.copytree(released / "dist", clone / "dist")
    with (clone / "docs/index.md").open("a", encoding="utf-8") as f:
        f.write("\nAn uncommitted sentence.\n")
    result = briefing("pack", "full", "--root", str(clone), *TODAY)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((clone / "dist/manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"].endswith(".dirty")
    versions = {f["file"]: f["version"] for f in manifest["files"]}
    released_version = manifest["version"].removesuffix(".dirty")
    assert versions == {"full.pdf": manifest["version"], f"site-{released_version}.zip": released_version}


@pytest.fixture(scope="module")
def reworded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """After v1.0, a claim, the key judgment and the recommendation are reworded; built with `briefing build`."""
    from conftest import EXAMPLE
    from gitrepo import SECOND_DATE, git

    root = tmp_path_factory.mktemp("reworded") / "corpus"
    shutil.copytree(EXAMPLE, root)
    make_history(root)
    claims = root / "sources/claims/widgets.yml"
    claims.write_text(claims.read_text("utf-8").replace(
        "statement: Acme widgets reached Ruritania through a third country.",
        "statement: Acme widgets reached Ruritania through two neighbouring countries."), "utf-8")
    records = root / "sources/records.yml"
    records.write_text(records.read_text("utf-8").replace(
        "text: Acme widgets very likely reach Ruritania despite the controls.",
        "text: Acme widgets very likely still reach Ruritania despite the tighter controls.").replace(
        "summary: Close the third-country route.", "summary: Close the transit route."), "utf-8")
    git(root, "commit", "-q", "-am", "Reworded", date=SECOND_DATE)
    result = briefing("build", "--root", str(root), *TODAY)
    assert result.returncode == 0, result.stderr
    return root


def test_reworded_records_show_a_word_level_difference(reworded: Path) -> None:
    page = BeautifulSoup((reworded / "site/changes.html").read_text("utf-8"), "html.parser")
    article = page.select_one("article")
    diffs = {li.find_previous("h2").get_text(strip=True): li.select_one(".diff") for li in article.select("li")
             if li.select_one(".diff")}
    assert set(diffs) == {"Claims reworded", "Key judgments changed", "Recommendations changed"}
    claim = diffs["Claims reworded"]
    # only the changed words are marked, each named for a screen reader, and the whole reads in order
    assert [d.get_text() for d in claim.select("del")] == ["[removed: a third country]"]
    assert [i.get_text() for i in claim.select("ins")] == ["[added: two neighbouring countries]"]
    for mark in claim.select("del, ins"):
        assert "sr-only" in mark.select_one("span")["class"]
    old = "".join(t for t in claim.find_all(string=True) if not t.find_parent("ins") and not t.find_parent(
        class_="sr-only")).replace("Reworded:", "").strip()
    assert old == "Acme widgets reached Ruritania through a third country."
    item = claim.find_parent("li")  # the statement is shown once, as its difference, and links to the claim
    new = "".join(t for t in item.find_all(string=True) if not t.find_parent("del") and not t.find_parent(
        class_="sr-only"))
    assert new == "Acme widgets reached Ruritania through two neighbouring countries."
    assert item.select_one("a .diff") is claim and item.a["href"].startswith("claims/")
    judgment = diffs["Key judgments changed"]
    added = [i.get_text().removeprefix("[added:").removesuffix("]").strip() for i in judgment.select("ins")]
    assert added == ["still", "tighter"]
    assert not judgment.select("del")
    assert [d.get_text() for d in diffs["Recommendations changed"].select("del")] == ["[removed: third-country]"]


def test_with_no_earlier_release_one_line_says_so_and_there_is_no_empty_page(tmp_path: Path) -> None:
    from conftest import EXAMPLE
    from gitrepo import git

    root = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, root)
    (root / ".gitignore").write_text("site/\ndist/\n.briefing-build-*/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First release")
    git(root, "tag", "-a", "v1.0", "-m", "v1.0")
    result = briefing("build", "--root", str(root), *TODAY)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert not (site / "changes.html").exists()
    for page in site.rglob("*.html"):
        assert "changes.html" not in page.read_text("utf-8"), page  # no link to a page that is not there
    downloads = BeautifulSoup((site / "downloads.html").read_text("utf-8"), "html.parser").select_one("article")
    line = downloads.select_one("p.first-release").get_text(" ", strip=True)
    assert line == "There is no earlier release to compare version v1.0 with, so this site has no list of changes yet."
