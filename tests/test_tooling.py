"""The analyst's daily tools, run as a user runs them: init, version, root discovery, output formats, follow-on
errors, quiet and verbose, and the offline install kit."""

from __future__ import annotations

from pathlib import Path

from checkhelp import BIB, CLAIMS, RECORDS, edit, line_of, run

# --- follow-on errors ----------------------------------------------------------------------------------------


def test_an_unparsable_claims_file_is_one_error_and_one_note(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    statement: Acme widgets reached", "    statement: [Acme widgets reached")
    problems = run(minimal)
    # records.yml (event, judgment, recommendation, gap) and both pages refer to the claims in that file
    assert [(p.rule, p.severity, p.loc.path) for p in problems] == [
        ("unresolved-skipped", "note", CLAIMS),
        ("yaml-syntax", "error", CLAIMS),
    ], [str(p) for p in problems]
    note = problems[0].message
    assert note.startswith("7 reference(s) to records were not checked because sources/claims/widgets.yml")


def test_references_are_still_judged_when_every_file_reads(minimal: Path) -> None:
    edit(minimal, RECORDS, "claims: [widgets-shipped, widget-trade-grew]", "claims: [widgets-shiped]")
    problems = run(minimal)
    assert [p.rule for p in problems] == ["unresolved-claim"]
    assert problems[0].suggestion == "widgets-shipped"


def test_an_unreadable_bibtex_file_is_one_error_and_one_note(minimal: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.bib"
    (minimal / BIB).rename(outside)
    (minimal / BIB).symlink_to(outside)
    problems = run(minimal)
    assert [(p.rule, p.loc.path) for p in problems] == [("path-outside", BIB), ("unresolved-skipped", BIB)], \
        [str(p) for p in problems]


def test_an_invalid_marking_is_one_error(minimal: Path) -> None:
    # everything in records.yml and both pages depend on this claim; as TLP:RED it would "leak" into each
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:PURPLE\n")
    problems = run(minimal)
    assert [(p.rule, p.loc.line) for p in problems] == [("marking-invalid", line_of(minimal, CLAIMS, "PURPLE"))]


def test_an_invalid_marking_on_a_source_page_or_default_is_one_error(minimal: Path) -> None:
    edit(minimal, BIB, "  archive = {agency2024widgets.txt},\n",
         "  archive = {agency2024widgets.txt},\n  marking = {TLP:AMBR},\n")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]
    edit(minimal, BIB, "  marking = {TLP:AMBR},\n", "")
    edit(minimal, "docs/themes/trade.md", "marking: TLP:CLEAR", "marking: TLP:WHITE")
    edit(minimal, RECORDS, "    sections: [key-judgments", "    themes: [trade]\n    sections: [key-judgments")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]  # and no pack-ceiling error for the page
    edit(minimal, "docs/themes/trade.md", "marking: TLP:WHITE", "marking: TLP:CLEAR")
    edit(minimal, "sources/corpus.yml", "default_marking: TLP:CLEAR", "default_marking: TLP:CLEAR+")
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:CLEAR\n")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]


def test_a_real_leak_is_still_reported_beside_an_invalid_marking(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:PURPLE\n")
    edit(minimal, CLAIMS, "    confidence: moderate\n    reviewed", "    confidence: moderate\n"
         "    marking: TLP:AMBER\n    reviewed")
    problems = run(minimal)
    assert sorted({p.rule for p in problems}) == ["marking-invalid", "marking-leak"]
    assert all("widget-trade-grew" in p.message for p in problems if p.rule == "marking-leak")
