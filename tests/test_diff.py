"""`briefing diff` and claim history against a real git repository."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from checkhelp import briefing
from gitrepo import git, make_history
from hypothesis import given
from hypothesis import strategies as st

from briefing.changes import compare, word_diff
from briefing.pipeline import load_and_check
from briefing.revisions import claim_history, corpus_at, previous_release
from briefing.versioning import describe


@pytest.fixture
def repo(minimal: Path) -> Path:
    make_history(minimal)
    return minimal


def test_corpus_at_a_release_tag_is_the_corpus_as_committed(repo: Path) -> None:
    then = corpus_at(repo, "v1.0")
    assert then.claims["widget-trade-grew"].status == "reported"
    assert "customs2024widgets" not in then.sources
    assert corpus_at(repo, "HEAD").claims["widget-trade-grew"].status == "confirmed"


def test_diff_reports_exactly_the_status_change_and_the_new_source(repo: Path) -> None:
    head, problems = load_and_check(repo, dt.date(2024, 11, 1))
    assert not problems.errors
    changes = compare(corpus_at(repo, "v1.0"), head, "v1.0", "v1.0", "v1.0+1.gabc")
    assert [(c.kind, c.id, c.before, c.after) for c in changes.items] == [
        ("claim-status", "widget-trade-grew", "reported", "confirmed"),
        ("source-added", "customs2024widgets", "", ""),
    ]


def test_diff_command_text_and_markdown(repo: Path) -> None:
    text = briefing("diff", "v1.0", "--root", str(repo), "--today", "2024-11-01")
    assert text.returncode == 0, text.stderr
    assert "What changed since v1.0" in text.stdout
    assert "Evidence status changed:\n  widget-trade-grew: reported \u2192 confirmed" in text.stdout
    added = "Sources added:\n  customs2024widgets \u2014 Customs Service. \u201cWidget Trade Statistics 2023\u201d."
    assert added in text.stdout
    markdown = briefing("diff", "v1.0", "HEAD", "--markdown", "--root", str(repo))
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# What changed since v1.0 (v1.0 \u2192 v1.0+1.g")
    assert "## Evidence status changed\n\n- `widget-trade-grew`: reported \u2192 confirmed" in markdown.stdout
    same = briefing("diff", "v1.0", "v1.0", "--root", str(repo))
    assert "No changes" in same.stdout


def test_diff_of_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    result = briefing("diff", "v9.9", "--root", str(repo))
    assert result.returncode == 2
    assert "'v9.9' is not a commit, tag or branch" in result.stderr
    assert "Traceback" not in result.stderr


def test_claim_history_lists_both_dates(repo: Path) -> None:
    head, _ = load_and_check(repo, dt.date(2024, 11, 1))
    history = claim_history(repo, head, describe(repo), "TLP:CLEAR")
    entries = [(h.date, h.status, h.version) for h in history["widget-trade-grew"]]
    assert entries[0] == ("2024-10-01", "reported", "v1.0")
    assert entries[1][:2] == ("2024-10-20", "confirmed")
    assert entries[1][2].startswith("v1.0+1.g")
    assert [(h.date, h.status) for h in history["widgets-shipped"]] == [("2024-10-01", "disputed")]


def test_previous_release_skips_a_tag_on_head(repo: Path) -> None:
    assert previous_release(repo) == "v1.0"
    git(repo, "tag", "-a", "v1.1", "-m", "v1.1")
    assert previous_release(repo) == "v1.0"
    assert describe(repo).version == "v1.1"


def test_a_new_untracked_corpus_file_makes_the_tree_dirty(repo: Path) -> None:
    assert not describe(repo).dirty
    (repo / "scratch.txt").write_text("not part of the corpus\n", encoding="utf-8")
    assert not describe(repo).dirty
    (repo / "sources/claims/new.yml").write_text("claims: []\n", encoding="utf-8")
    assert describe(repo).dirty and describe(repo).version.endswith(".dirty")


words = st.lists(st.sampled_from(["widgets", "trade", "grew", "fell", "in", "2023", "by", "a", "fifth", ",", ".",
                                  "(", ")", "<b>", "&", "é"]), max_size=14)
spaces = st.sampled_from([" ", "  ", "\n"])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    parts = draw(words)
    return "".join(p + draw(spaces) for p in parts).strip()


@given(sentences(), sentences())
def test_word_diff_spells_both_texts_and_never_repeats_an_operation(before: str, after: str) -> None:
    pieces = word_diff(before, after)
    assert "".join(t for op, t in pieces if op != "ins") == before
    assert "".join(t for op, t in pieces if op != "del") == after
    assert all(t for _, t in pieces)
    ops = [op for op, _ in pieces]
    assert all(a != b for a, b in itertools.pairwise(ops))  # neighbours merged
    assert "ins del" not in " ".join(ops)  # in a run of changes the deletion comes first
    if before == after:
        assert ops in ([], ["same"])


def test_word_diff_shows_a_reworded_phrase_as_one_change() -> None:
    assert word_diff("Widget trade grew by 20 % in 2023.", "Widget trade grew by a fifth in 2023.") == [
        ("same", "Widget trade grew by "), ("del", "20 %"), ("ins", "a fifth"), ("same", " in 2023.")]
    assert word_diff("Trade grew.", "Trade grew sharply.") == [("same", "Trade grew"), ("ins", " sharply"),
                                                                ("same", ".")]
