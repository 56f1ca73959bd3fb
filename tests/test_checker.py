"""One test per checker rule: a corpus that breaks it (message, rule id, path:line) and one that keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkhelp import BIB, CLAIMS, RECORDS, TODAY, edit, line_of, only, rules, run


def test_example_corpus_is_clean(minimal: Path) -> None:
    assert run(minimal) == []


def test_unresolved_source_in_evidence_with_suggestion(minimal: Path) -> None:
    edit(minimal, CLAIMS, "- source: daily2024widgets", "- source: daily2024widget")
    p = only(run(minimal), "unresolved-source")
    assert str(p.loc) == f"{CLAIMS}:{line_of(minimal, CLAIMS, 'daily2024widget')}"
    assert "no source with key 'daily2024widget'" in p.message
    assert "did you mean 'daily2024widgets'?" in p.message


def test_unresolved_citation_in_page(minimal: Path) -> None:
    page = "docs/themes/trade.md"
    edit(minimal, page, "[@ministry2024statement]", "[@ministry2024, p. 2]")
    problems = run(minimal)
    p = only(problems, "unresolved-source")
    assert p.loc.path == page and p.loc.line == line_of(minimal, page, "@ministry2024, p. 2")
    # the ministry is still cited as evidence, so it is not reported as uncited
    assert "source-uncited" not in rules(problems)


def test_unresolved_claim_and_entity_and_theme(minimal: Path) -> None:
    edit(minimal, RECORDS, "claims: [widgets-shipped, widget-trade-grew]",
         "claims: [widgets-shiped, widget-trade-grew]")
    edit(minimal, CLAIMS, "entities: [acme]", "entities: [acme-ltd]")
    edit(minimal, CLAIMS, "theme: trade", "theme: trades")
    problems = run(minimal)
    claim = only(problems, "unresolved-claim")
    assert claim.loc.path == RECORDS and "did you mean 'widgets-shipped'?" in claim.message
    assert claim.loc.line == line_of(minimal, RECORDS, "id: kj-widgets")
    entity = only(problems, "unresolved-entity")
    assert entity.loc == only(problems, "unresolved-theme").loc
    assert entity.loc.line == line_of(minimal, CLAIMS, "id: widgets-shipped")


def test_claim_ref_in_page_resolves(minimal: Path) -> None:
    edit(minimal, "docs/index.md", "[claim:widgets-shipped]", "[claim:nope]")
    p = only(run(minimal), "unresolved-claim")
    assert p.loc.line == line_of(minimal, "docs/index.md", "[claim:nope]")


def test_duplicate_ids_across_files(minimal: Path) -> None:
    (minimal / "sources/claims/zz-more.yml").write_text(
        "claims:\n  - id: widgets-shipped\n    statement: again\n    theme: trade\n    status: unassessed\n"
        "    evidence: [{source: institute2024trade, locator: p. 1, excerpt: x}]\n",
        encoding="utf-8",
    )
    p = only(run(minimal), "duplicate-id")
    assert str(p.loc) == "sources/claims/zz-more.yml:2"
    assert f"already used at {CLAIMS}:2" in p.message


def test_duplicate_bibtex_key(minimal: Path) -> None:
    with (minimal / BIB).open("a", encoding="utf-8") as f:
        f.write("\n@misc{daily2024widgets,\n  title = {Again},\n  reliability = {C},\n}\n")
    p = only(run(minimal), "duplicate-id")
    assert p.loc.path == BIB and p.loc.line == line_of(minimal, BIB, "@misc{daily2024widgets")


def test_invalid_dates(minimal: Path) -> None:
    edit(minimal, RECORDS, "date: 2024-09-25", "date: 25/09/2024")
    edit(minimal, CLAIMS, "reviewed: 2024-10-05", "reviewed: 2024-02-30")
    problems = [p for p in run(minimal) if p.rule == "invalid-date"]
    assert len(problems) == 2
    assert "'25/09/2024' is not an ISO 8601 date" in problems[1].message


def test_partial_dates_are_valid(minimal: Path) -> None:
    edit(minimal, RECORDS, "date: 2024-09-25", "date: 2024-09")
    assert run(minimal) == []


def test_invalid_enums_with_suggestions(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: dispute")
    edit(minimal, CLAIMS, "stance: contradicts", "stance: contradict")
    edit(minimal, CLAIMS, "credibility: 4", "credibility: 7")
    edit(minimal, BIB, "reliability = {A}", "reliability = {G}")
    edit(minimal, RECORDS, "kind: company", "kind: compnay")
    messages = [p.message for p in run(minimal) if p.rule == "invalid-value"]
    assert any("'dispute'" in m and "did you mean 'disputed'?" in m for m in messages)
    assert any("'contradict'" in m and "did you mean 'contradicts'?" in m for m in messages)
    assert any("credibility 7 is not 1-6" in m for m in messages)
    assert any("reliability 'G'" in m for m in messages)
    assert any("'compnay'" in m and "did you mean 'company'?" in m for m in messages)


def test_claim_without_evidence(minimal: Path) -> None:
    text = (minimal / CLAIMS).read_text(encoding="utf-8")
    start = text.index("    evidence:\n      - source: institute2024trade")
    (minimal / CLAIMS).write_text(text[:start], encoding="utf-8")
    problems = run(minimal)
    p = only(problems, "claim-no-evidence")
    assert p.loc.line == line_of(minimal, CLAIMS, "id: widget-trade-grew")


def test_evidence_without_locator_or_excerpt(minimal: Path) -> None:
    edit(minimal, CLAIMS, "        locator: p. 3\n", "")
    edit(minimal, CLAIMS, '        excerpt: "widgets were shipped abroad"\n', "")
    problems = run(minimal)
    assert only(problems, "evidence-no-locator").loc.line == line_of(minimal, CLAIMS, "- source: institute2024trade")
    assert only(problems, "evidence-no-excerpt").loc.line == line_of(minimal, CLAIMS, "- source: daily2024widgets")


def test_confirmed_counts_independent_origins(minimal: Path) -> None:
    # agency + its rewrite are one origin: not enough to confirm
    edit(minimal, CLAIMS, "status: disputed", "status: confirmed")
    p = only(run(minimal), "status-evidence")
    assert "has 1 independent supporting origin(s)" in p.message
    assert "derived_from copies count once" in p.message


def test_confirmed_with_two_origins_passes(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: confirmed")
    edit(minimal, BIB, "  derived_from = {agency2024widgets},\n", "")
    assert "status-evidence" not in rules(run(minimal))


def test_one_document_repeating_two_reports_does_not_confirm(minimal: Path) -> None:
    # widget-trade-grew has one link, to the institute; make the institute repeat two independent reports
    edit(minimal, CLAIMS, "status: reported", "status: confirmed")
    edit(minimal, BIB, "source_class = {research},", "source_class = {research},\n  derived_from = {agency2024widgets, "
         "ministry2024statement},")
    assert "has 1 independent supporting origin(s)" in only(run(minimal), "status-evidence").message


def test_f_graded_sources_do_not_count_as_origins(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: confirmed")
    edit(minimal, BIB, "  derived_from = {agency2024widgets},\n", "")
    edit(minimal, BIB, "reliability = {C},", "reliability = {F},")
    assert "has 1 independent supporting origin(s)" in only(run(minimal), "status-evidence").message


def test_official_record_confirms_alone(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: reported", "status: confirmed")
    assert "status-evidence" in rules(run(minimal))
    edit(minimal, BIB, "source_class = {research}", "source_class = {official-record}")
    assert "status-evidence" not in rules(run(minimal))


def test_disputed_needs_contradiction(minimal: Path) -> None:
    edit(minimal, CLAIMS, "stance: contradicts", "stance: mentions")
    p = only(run(minimal), "status-evidence")
    assert "'disputed' but needs both" in p.message


def test_denied_needs_denial(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: denied")
    assert "'denied' but has no 'denies' link" in only(run(minimal), "status-evidence").message
    edit(minimal, CLAIMS, "stance: contradicts", "stance: denies")
    assert "status-evidence" not in rules(run(minimal))


def test_claim_resting_on_unverifiable_source(minimal: Path) -> None:
    edit(minimal, BIB, "reliability = {A}", "reliability = {F}")
    p = only(run(minimal), "evidence-unverifiable")
    assert "'widget-trade-grew' rests only on ungraded or unverifiable (F) sources" in p.message
    edit(minimal, CLAIMS, "status: reported", "status: unassessed")
    assert "evidence-unverifiable" not in rules(run(minimal))


def test_ungraded_source(minimal: Path) -> None:
    edit(minimal, BIB, "  reliability = {C},\n", "")
    problems = run(minimal)
    p = only(problems, "source-ungraded")
    assert str(p.loc) == f"{BIB}:{line_of(minimal, BIB, '@article{daily2024widgets')}"


def test_graded_source_needs_rationale(minimal: Path) -> None:
    edit(minimal, BIB, "  reliability_note = {Customs-data analysis with published method},\n", "")
    p = only(run(minimal), "source-no-rationale")
    assert p.severity == "warning"


def test_derived_from_cycle_and_unknown_parent(minimal: Path) -> None:
    edit(minimal, BIB, "source_class = {news-investigation},",
         "source_class = {news-investigation},\n  derived_from = {daily2024widgets},")
    problems = run(minimal)
    assert len([p for p in problems if p.rule == "derived-cycle"]) == 2
    edit(minimal, BIB, "derived_from = {daily2024widgets}", "derived_from = {nowhere}")
    p = only(run(minimal), "unresolved-source")
    assert p.loc.line == line_of(minimal, BIB, "derived_from = {nowhere}")


def test_excerpt_must_occur_in_archive(minimal: Path) -> None:
    edit(minimal, CLAIMS, '"Widgets made by Acme were shipped', '"Gadgets made by Acme were shipped')
    p = only(run(minimal), "excerpt-not-found")
    assert "does not occur in the archived copy of 'agency2024widgets'" in p.message
    assert p.loc.line == line_of(minimal, CLAIMS, "- source: agency2024widgets")


def test_excerpt_matching_ignores_quotes_dashes_whitespace_and_joins_fragments(minimal: Path) -> None:
    (minimal / "archive/agency2024widgets.txt").write_text(
        "Widgets  made by \u201cAcme\u201d were shipped\nto Ruritania \u2014 through a third country.\n",
        encoding="utf-8",
    )
    edit(minimal, CLAIMS, '"Widgets made by Acme were shipped to Ruritania through a third country"',
         "'Widgets made by \"Acme\" were shipped to Ruritania - through ... third country'")
    assert "excerpt-not-found" not in rules(run(minimal))


def test_archive_checksum_and_missing_copy(minimal: Path) -> None:
    bad_sum = "archive = {agency2024widgets.txt},\n  archive_sha256 = {" + "0" * 64 + "},"
    edit(minimal, BIB, "archive = {agency2024widgets.txt},", bad_sum)
    assert "does not match the sha256" in only(run(minimal), "archive-checksum").message
    (minimal / "archive/agency2024widgets.txt").unlink()
    assert "is not in the archive" in only(run(minimal), "archive-missing").message


def test_archive_absent_is_said_plainly(minimal: Path) -> None:
    edit(minimal, "sources/corpus.yml", "archive: archive", "archive: no-such-folder")
    p = only(run(minimal), "archive-unavailable")
    assert p.severity == "note" and "were not verified" in p.message


def test_key_judgment_needs_confidence_and_scale_term(minimal: Path) -> None:
    edit(minimal, RECORDS, "    confidence: moderate\n    term: very likely", "    term: highly likely")
    problems = run(minimal)
    assert "key judgment has no 'confidence'" in only(problems, "missing-field").message
    assert "did you mean 'very likely'?" in only(problems, "judgment-term").message


def test_key_judgment_term_must_be_used_and_no_other_words(minimal: Path) -> None:
    edit(minimal, RECORDS, "Acme widgets very likely reach", "Acme widgets probably reach")
    problems = run(minimal)
    assert "declares term 'very likely' but its text does not use it" in only(problems, "judgment-term").message
    assert "says 'probably'" in only(problems, "judgment-nonstandard-term").message


def test_key_judgment_without_claims(minimal: Path) -> None:
    edit(minimal, RECORDS, "    claims: [widgets-shipped, widget-trade-grew]\n", "")
    assert only(run(minimal), "judgment-no-claims").loc.line == line_of(minimal, RECORDS, "id: kj-widgets")


def test_classified_marking_is_refused(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: RESTREINT UE\n")
    p = only(run(minimal), "marking-classified")
    assert "not an accredited system" in p.message
    assert p.loc.line == line_of(minimal, CLAIMS, "marking: RESTREINT UE")


def test_tlp_1_labels_are_not_tlp_2(minimal: Path) -> None:
    edit(minimal, RECORDS, "ceiling: TLP:CLEAR", "ceiling: TLP:WHITE")
    assert "is not a TLP 2.0 marking" in only(run(minimal), "marking-invalid").message


def test_marking_leak_from_a_lower_record(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:AMBER\n")
    problems = [p for p in run(minimal) if p.rule == "marking-leak"]
    # the key judgment, event, recommendation, gap and the two pages depend on the AMBER claim
    where = {p.loc.path for p in problems}
    assert where == {RECORDS, "docs/index.md", "docs/themes/trade.md"}
    assert any("key judgment 'kj-widgets' is marked TLP:CLEAR but depends on claim 'widgets-shipped' marked TLP:AMBER"
               in p.message for p in problems)


def test_pack_including_content_above_its_ceiling(minimal: Path) -> None:
    edit(minimal, "docs/themes/trade.md", "marking: TLP:CLEAR", "marking: TLP:AMBER")
    edit(minimal, RECORDS, "    sections: [key-judgments", "    themes: [trade]\n    sections: [key-judgments")
    p = only(run(minimal), "pack-ceiling")
    assert "pack 'full' (ceiling TLP:CLEAR) includes theme 'trade'" in p.message


def test_stale_claims_warn(minimal: Path) -> None:
    import datetime as dt

    problems = run(minimal, TODAY + dt.timedelta(days=400))
    stale = [p for p in problems if p.rule == "stale-claim"]
    assert len(stale) == 2 and all(p.severity == "warning" for p in stale)
    assert run(minimal, TODAY) == []


def test_uncited_source_warns(minimal: Path) -> None:
    with (minimal / BIB).open("a", encoding="utf-8") as f:
        f.write("\n@misc{lonely,\n  title = {Nobody cites me},\n  reliability = {C},\n  reliability_note = {x},\n}\n")
    p = only(run(minimal), "source-uncited")
    assert p.severity == "warning" and p.loc.line == line_of(minimal, BIB, "@misc{lonely")


def test_recommendation_needs_options(minimal: Path) -> None:
    text = (minimal / RECORDS).read_text(encoding="utf-8")
    start, end = text.index("    options:\n"), text.index("gaps:")
    (minimal / RECORDS).write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    assert only(run(minimal), "recommendation-no-options").loc.line == line_of(minimal, RECORDS, "id: rec-controls")


def test_theme_page_must_exist(minimal: Path) -> None:
    (minimal / "docs/themes/trade.md").unlink()
    assert "names page 'themes/trade.md'" in only(run(minimal), "unresolved-page").message


def test_invalid_pack_section(minimal: Path) -> None:
    edit(minimal, RECORDS, "annex-scales,", "annex-scale,")
    assert "did you mean 'annex-scales'?" in only(run(minimal), "invalid-value").message


def id_problem(root: Path, says: str, path: str = "", at: str = "") -> None:
    """The one problem of a run is an id-format one saying ``says`` (at the line holding ``at`` in ``path``)."""
    p = only(run(root), "id-format")
    assert says in p.message
    if at:
        assert p.loc.line == line_of(root, path, at)


def test_ids_must_be_safe_file_names_unique_ignoring_case(minimal: Path) -> None:
    edit(minimal, CLAIMS, "id: widget-trade-grew", "id: widget trade grew")
    edit(minimal, RECORDS, "claims: [widgets-shipped, widget-trade-grew]", "claims: [widgets-shipped]")
    id_problem(minimal, "claim id 'widget trade grew' may use only letters", CLAIMS, "- id: widget trade grew")
    edit(minimal, CLAIMS, "id: widget trade grew", "id: Widgets-Shipped")
    id_problem(minimal, "differs from 'widgets-shipped' only in case")


def test_theme_ids_are_file_names_too(minimal: Path) -> None:
    """A theme names its page and its evidence annex: two themes whose ids differ in case would share both."""
    edit(minimal, RECORDS, "themes:\n", "themes:\n  - id: Trade\n    title: Widget trade again\n")
    id_problem(minimal, "theme id 'trade' differs from 'Trade' only in case", RECORDS, "- id: trade")
    edit(minimal, RECORDS, "- id: Trade\n", "- id: trade/tech\n")
    id_problem(minimal, "theme id 'trade/tech' may use only letters")


def test_a_record_may_not_sit_in_a_theme_marked_above_it(minimal: Path) -> None:
    edit(minimal, RECORDS, "    page: themes/trade.md\n", "    page: themes/trade.md\n    marking: TLP:AMBER\n")
    leaks = [p for p in run(minimal) if p.rule == "marking-leak"]
    assert any("claim 'widgets-shipped' is marked TLP:CLEAR but depends on theme 'trade' marked TLP:AMBER"
               in p.message for p in leaks)
    assert any(p.message.startswith("figure 'widget-trade-growth'") for p in leaks)


@pytest.mark.parametrize(("setting", "message"), [
    ("stale_days: 0", "stale_days of corpus settings must be at least 1, not 0"),
    ("stale_days: -5", "must be at least 1"),
    ("stale_days: ninety", "'stale_days' of corpus settings must be a whole number"),
    ("language: klingon", "language 'klingon' of corpus settings is not one of"),
    ("ceiling: TLP:PURPLE", "'TLP:PURPLE' is not a TLP 2.0 marking"),
])
def test_settings_are_checked_for_values_and_ranges(minimal: Path, setting: str, message: str) -> None:
    path = minimal / "sources/corpus.yml"
    key = setting.split(":", maxsplit=1)[0]
    kept = [line for line in path.read_text("utf-8").splitlines() if not line.startswith(key + ":")]
    path.write_text("\n".join([*kept, setting]) + "\n", encoding="utf-8")
    problems = [p for p in run(minimal) if p.severity == "error"]
    assert len(problems) == 1 and message in problems[0].message, [str(p) for p in problems]
    assert problems[0].loc.line == len(kept) + 1


def test_stale_days_zero_is_not_silently_the_default(minimal: Path) -> None:
    path = minimal / "sources/corpus.yml"
    kept = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("stale_days:")]
    path.write_text("\n".join([*kept, "stale_days: 1"]) + "\n", encoding="utf-8")
    assert "stale-claim" in [p.rule for p in run(minimal)]  # 1 day is taken as written


@pytest.mark.parametrize(("old", "new", "rule", "message"), [
    ("sections: [key-judgments,", "max_pages: -1\n    sections: [key-judgments,", "invalid-value",
     "max_pages of pack must be at least 1, not -1"),
    ("sections: [key-judgments,", "sections: [key-judgments, key-judgments,", "invalid-value",
     "lists section(s) key-judgments more than once"),
])
def test_pack_values_are_checked(minimal: Path, old: str, new: str, rule: str, message: str) -> None:
    edit(minimal, RECORDS, old, new)
    assert message in only(run(minimal), rule).message


def test_a_pack_needs_sections(minimal: Path) -> None:
    text = (minimal / RECORDS).read_text("utf-8")
    start = text.index("    sections: [key-judgments,")
    end = text.index("annex-changes]", start) + len("annex-changes]")
    (minimal / RECORDS).write_text(text[:start] + "    sections: []" + text[end:], encoding="utf-8")
    assert "has no 'sections'" in only(run(minimal), "missing-field").message


def test_values_are_located_at_their_key(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: dispute")
    problem = only(run(minimal), "invalid-value")
    assert problem.loc.line == line_of(minimal, CLAIMS, "status: dispute")
