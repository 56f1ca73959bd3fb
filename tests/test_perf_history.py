"""Claim history read file by file and batched: the same answer as loading each revision whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from gitrepo import git, make_history

from briefing import cachedir
from briefing.marking import at_ceiling
from briefing.pipeline import load_and_check
from briefing.revisions import _names, _statuses, _trees, claim_history, corpus_at
from briefing.versioning import describe, name_of

AMBER = """
  - id: amber-only
    statement: A claim marked above the site.
    theme: trade
    status: reported
    confidence: low
    reviewed: 2024-10-05
    marking: amber
    evidence:
      - source: agency2024widgets
        locator: p. 1
        excerpt: "Acme widgets"
        stance: supports
        credibility: 3
"""


@pytest.fixture
def repo(minimal: Path) -> Path:
    """The history of gitrepo, then a marked claim, then the same ids again in a file of a subfolder."""
    make_history(minimal)
    claims = minimal / "sources" / "claims" / "widgets.yml"
    claims.write_text(claims.read_text("utf-8") + AMBER, encoding="utf-8")
    git(minimal, "commit", "-q", "-am", "A marked claim", date="2024-10-21T10:00:00+00:00")
    (minimal / "sources" / "claims" / "more").mkdir()
    moved = (minimal / "sources" / "claims" / "more" / "other.yml")
    moved.write_text(claims.read_text("utf-8").replace("status: confirmed", "status: reported"), encoding="utf-8")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "Same ids in a later file", date="2024-10-22T10:00:00+00:00")
    return minimal


def commits(root: Path) -> list[str]:
    return git(root, "log", "--reverse", "--format=%H").split()


@pytest.mark.parametrize("ceiling", ["TLP:CLEAR", "TLP:AMBER"])
def test_statuses_per_file_equal_the_whole_revision_loaded(repo: Path, ceiling: str) -> None:
    every = commits(repo)
    trees = _trees(repo, every, "sources")
    assert trees == [git(repo, "rev-parse", f"{c}:sources") for c in every]
    for commit, tree in zip(every, trees, strict=True):
        whole = at_ceiling(corpus_at(repo, commit, ("sources",)), ceiling, verify=False)
        expected = {k: c.status for k, c in whole.claims.items()}
        assert _statuses(repo, tree, ceiling, None) == expected, commit
        assert _statuses(repo, tree, ceiling, cachedir.folder(repo, "history")) == expected  # written to the cache
        assert _statuses(repo, tree, ceiling, cachedir.folder(repo, "history")) == expected  # and read back
    assert "amber-only" in _statuses(repo, trees[-1], "TLP:AMBER", None)
    assert "amber-only" not in _statuses(repo, trees[-1], "TLP:CLEAR", None)


def test_version_names_in_one_call_equal_one_by_one(repo: Path) -> None:
    every = commits(repo)
    assert _names(repo, every, "v*") == [name_of(repo, c, "v*")[0] for c in every]
    git(repo, "tag", "-d", "v1.0")  # no tag before any commit: the one-by-one path
    assert _names(repo, every, "v*") == [name_of(repo, c, "v*")[0] for c in every]
    assert _names(repo, every, "v*")[0].startswith("0.0+g")


def test_history_is_the_same_with_a_cold_and_a_warm_cache(repo: Path) -> None:
    head, _ = load_and_check(repo, dt.date(2024, 11, 1))
    cold = claim_history(repo, head, describe(repo), "TLP:AMBER")
    history = cachedir.folder(repo, "history")
    assert history is not None and history.parent == cachedir.git_cache_dir(repo)  # in the git folder
    cached = list(history.iterdir())
    assert cached
    assert claim_history(repo, head, describe(repo), "TLP:AMBER") == cold
    assert [(h.date, h.status) for h in cold["widget-trade-grew"]] == [
        ("2024-10-01", "reported"), ("2024-10-20", "confirmed"),
        ("2024-10-22", "reported")]  # claims/more/other.yml is read first (the loader's order) and keeps the id
    assert [h.date for h in cold["amber-only"]] == ["2024-10-21"]


@pytest.mark.parametrize(("marking", "shown"), [
    ("", True), ("marking: ~", True), ("marking: TLP:CLEAR", True), ("marking: TLP:AMBER", False),
    ("marking: [TLP:RED]", False), ("marking: {tlp: RED}", False), ("marking: true", False),
    ("marking: SECRET", False)])
def test_a_past_marking_the_loader_would_not_read_as_text_withholds_the_claim(marking: str, shown: bool) -> None:
    """History reads a past claim's marking as the loader does, and withholds it when uncertain."""
    from briefing.revisions import _claim_nodes, _shown

    text = f"claims:\n  - id: c1\n    status: confirmed\n    {marking}\n"
    [record] = _claim_nodes(text)
    assert _shown(record, "TLP:CLEAR", "TLP:GREEN") is shown


def test_a_history_cache_this_user_did_not_seal_is_never_used(repo: Path) -> None:
    """A repository received with its git folder may bring a claim history cache: an entry planted there (a past
    status the corpus never had), unsealed or sealed under another entry's name, is not used; the history is the
    one git gives."""
    head, _ = load_and_check(repo, dt.date(2024, 11, 1))
    cold = claim_history(repo, head, describe(repo), "TLP:AMBER")
    folder = cachedir.folder(repo, "history")
    assert folder is not None and list(folder.iterdir())

    def plant(seal: bool) -> None:
        """Every kept revision's claims 'refuted' (each entry, sealed again by a build, read back first)."""
        for path in folder.iterdir():
            kept = json.loads(cachedir.unseal(path.name, path.read_bytes()) or b"")
            planted = json.dumps(dict.fromkeys(kept, "refuted")).encode()
            path.write_bytes((cachedir.seal("another-entry", planted) or b"") if seal else planted)

    plant(seal=False)
    assert claim_history(repo, head, describe(repo), "TLP:AMBER") == cold
    plant(seal=True)  # (the build above sealed its entries again)
    assert claim_history(repo, head, describe(repo), "TLP:AMBER") == cold


def test_the_unsealed_history_files_of_earlier_versions_are_deleted(repo: Path, tmp_path: Path) -> None:
    """Earlier versions kept the history unsealed in the cache's top folder; a build deletes those files (names
    only: a link named so goes, what it points to stays) and nothing else there."""
    head, _ = load_and_check(repo, dt.date(2024, 11, 1))
    top = cachedir.cache_dir(repo)
    top.mkdir(parents=True, exist_ok=True)
    tree, blob = "a" * 40, "b" * 40
    legacy = [top / f"statuses-3-{tree}-TLP_CLEAR.json", top / f"file-2-{blob}-TLP_CLEAR-TLP_AMBER_STRICT.json"]
    for path in legacy:
        path.write_text('{"widgets-shipped": "refuted"}', encoding="utf-8")
    outside = tmp_path / "outside.json"
    outside.write_text("the user's file", encoding="utf-8")
    linked = top / f"statuses-1-{tree}-TLP_RED.json"
    linked.symlink_to(outside)
    other = top / "statuses-notes.json"  # not a name the history ever gave
    other.write_text("{}", encoding="utf-8")
    folder = top / f"statuses-0-{tree}-TLP_CLEAR.json"  # a folder named so is left (it cannot be unlinked) …
    folder.mkdir()
    legacy += [top / f"statuses-9-{blob}-TLP_GREEN.json", top / f"file-9-{tree}-TLP_RED-TLP_RED.json"]
    for path in legacy[2:]:
        path.write_text("{}", encoding="utf-8")  # … and does not stop the others going
    claim_history(repo, head, describe(repo), "TLP:AMBER")
    assert not any(p.exists() or p.is_symlink() for p in [*legacy, linked])
    assert folder.is_dir()
    assert outside.read_text(encoding="utf-8") == "the user's file" and other.is_file()
