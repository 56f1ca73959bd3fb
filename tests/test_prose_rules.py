"""Prose that cannot contradict the data: status words next to claim references, estimative language, split lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkhelp import RECORDS, edit, line_of, only, run

from briefing.checks import sentences

INDEX = "docs/index.md"


def append(root: Path, text: str) -> None:
    with (root / INDEX).open("a", encoding="utf-8") as f:
        f.write("\n" + text + "\n")


def test_a_sentence_that_misstates_a_cited_claims_status_is_located(minimal: Path) -> None:
    append(minimal, "Shipments are now confirmed, as the agency\nshowed [claim:widgets-shipped]. Nothing else.")
    problem = only(run(minimal), "prose-status-mismatch")
    assert problem.severity == "warning"
    assert problem.loc == type(problem.loc)(INDEX, line_of(minimal, INDEX, "Shipments are now confirmed"))
    assert "says 'confirmed'" in problem.message and "'widgets-shipped' is disputed" in problem.message


@pytest.mark.parametrize("text", [
    "The shipments are disputed [claim:widgets-shipped].",
    "Trade grew, as reported [claim:widget-trade-grew]; shipments remain disputed [claim:widgets-shipped].",
    "The word confirmed here cites no claim.",
    "```\nconfirmed [claim:widgets-shipped]\n```",
])
def test_status_words_that_agree_or_cite_nothing_pass(minimal: Path, text: str) -> None:
    append(minimal, text)
    assert [p for p in run(minimal) if p.rule == "prose-status-mismatch"] == []


def test_estimative_words_off_the_scale_in_pages_and_recommendations(minimal: Path) -> None:
    append(minimal, "Acme will probably ship more.")
    edit(minimal, RECORDS, "summary: Close the third-country route.",
         "summary: Close the third-country route, which might work.")
    found = [p for p in run(minimal) if p.rule == "prose-estimative"]
    assert {(p.loc.path, p.severity) for p in found} == {(INDEX, "warning"), (RECORDS, "warning")}
    assert any("'probably'" in p.message for p in found) and any("'might'" in p.message for p in found)


def test_a_judgment_that_estimates_without_a_term_is_an_error(minimal: Path) -> None:
    edit(minimal, RECORDS, "    term: very likely\n", "")
    problem = only(run(minimal), "judgment-term")
    assert problem.severity == "error" and "says 'very likely' but has no 'term'" in problem.message


def test_most_likely_in_a_judgment_is_off_the_scale(minimal: Path) -> None:
    edit(minimal, RECORDS, "Acme widgets very likely reach", "Acme widgets most likely and very likely reach")
    assert "'most likely'" in only(run(minimal), "judgment-nonstandard-term").message


def test_a_flow_list_split_by_an_unquoted_comma_is_a_warning(minimal: Path) -> None:
    edit(minimal, RECORDS, "cons: [Companies re-register under new names]",
         "cons: [Companies re-register under new names, often within weeks, Slow to enforce]")
    problem = only(run(minimal), "list-item-split")
    assert problem.loc.line == line_of(minimal, RECORDS, "often within weeks")
    assert "quote the item" in problem.message
    edit(minimal, RECORDS, "[Companies re-register under new names, often within weeks, Slow to enforce]",
         '["Companies re-register under new names, often within weeks", Slow to enforce]')
    assert [p for p in run(minimal) if p.rule == "list-item-split"] == []


def test_sentences_keep_their_lines() -> None:
    text = "First one. Second\nspans lines. Third.\n\n```\nNot. Prose.\n```\nFourth."
    assert sentences(text, 10) == [(10, "First one."), (10, "Second spans lines."), (11, "Third."),
                                   (16, "Fourth.")]
