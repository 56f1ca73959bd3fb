"""The ministerial brief of the shipped corpus, read as a minister holds it: two pages, a bottom line first, the
key judgments, the recommended course with its alternatives, the gaps that matter, sources in short notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkhelp import briefing, edit, line_of
from pdf_helpers import SHIPPED, Pdf, runs, squash

from briefing.model import Corpus
from briefing.shortcite import short_citation


@pytest.fixture(scope="module")
def brief(shipped_pdfs: dict[str, Pdf]) -> Pdf:
    return shipped_pdfs["brief"]


def test_two_pages_body_at_least_9_5_pt_notes_at_least_8_pt(brief: Pdf, shipped_corpus: Corpus) -> None:
    assert brief.count <= 2
    sizes = [(size, text) for i in range(brief.count) for size, _, text in runs(brief.reader, i)]
    numbers = {t for s, t in sizes if t.isdigit() and s < 7}  # footnote marks and note numbers
    assert numbers == {str(n) for n in range(1, len(numbers) + 1)}
    small = [(s, t) for s, t in sizes if s < 8 and t not in numbers]
    assert small == []
    pack = shipped_corpus.packs["brief"]
    prose = [pack.bottom_line, *(j.text for j in shipped_corpus.judgments.values()),
             *(shipped_corpus.gaps[g].question + " " + shipped_corpus.gaps[g].why for g in pack.gaps),
             *(" ".join([o.title, o.description, *o.pros, *o.cons, *o.risks])
               for r in shipped_corpus.recommendations.values() for o in r.options)]
    body = [(s, t) for s, t in sizes if len(t) > 12 and any(t in squash(p) for p in prose)]
    assert len(body) > 40
    assert [(s, t) for s, t in body if s < 9.5] == []
    notes = [(s, t) for s, t in sizes if t.startswith("Sources:")]
    assert notes and all(s >= 8 for s, _ in notes)


def test_bottom_line_first_then_judgments_course_and_gaps(brief: Pdf, shipped_corpus: Corpus) -> None:
    text = squash(brief.text)
    pack = shipped_corpus.packs["brief"]
    order = [text.index(h) for h in ("Bottom line", "Key judgments", "Recommended course", "What we do not know")]
    assert order == sorted(order)
    assert squash(pack.bottom_line) in text
    assert len(pack.bottom_line.split()) <= 80
    for j in shipped_corpus.judgments.values():
        assert squash(j.text) in text.replace("- ", "-")
        assert f"({j.confidence} confidence" in text


def test_recommended_course_with_at_most_two_alternatives(brief: Pdf, shipped_corpus: Corpus) -> None:
    text = squash(brief.text)
    advised = [r for r in shipped_corpus.recommendations.values() if r.recommended]
    assert advised
    for rec in advised:
        chosen = next(o for o in rec.options if o.id == rec.recommended)
        assert f"RECOMMENDED {chosen.title}" in text
        shown = [o for o in rec.options if o is not chosen and o.title in text]
        assert 1 <= len(shown) <= 2 or len(rec.options) == 1
        hidden = len(rec.options) - 1 - len(shown)
        assert (f"{hidden} further option" in text) == (hidden > 0)
    for rec in shipped_corpus.recommendations.values():
        if not rec.recommended:
            assert rec.title not in text  # a question without advice has no place in a minister's brief


def test_gaps_are_the_packs_choice_in_its_order(brief: Pdf, shipped_corpus: Corpus) -> None:
    text = squash(brief.text)
    chosen = shipped_corpus.packs["brief"].gaps
    assert 2 <= len(chosen) <= 3
    at = [text.index(f"{n}. {shipped_corpus.gaps[g].question}") for n, g in enumerate(chosen, start=1)]
    assert at == sorted(at)
    others = [g for g in shipped_corpus.gaps.values() if g.id not in chosen]
    assert [g.id for g in others if g.question in text] == []


def test_sources_named_in_short_notes(brief: Pdf, shipped_corpus: Corpus) -> None:
    text = squash(brief.text)
    corpus = shipped_corpus
    cited = {e.source for j in corpus.judgments.values() for c in j.claims for e in corpus.claims[c].evidence
             if e.stance == "supports"}
    for key in cited:
        assert short_citation(shipped_corpus.sources[key]) in text, key
    assert text.count("Sources: ") == len(shipped_corpus.judgments)


def _copy(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED / "sources", root / "sources")
    shutil.copytree(SHIPPED / "docs", root / "docs")
    return root


def test_check_holds_recommended_and_bottom_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    edit(root, "sources/recommendations.yml", "recommended: enforce-end-use", "recommended: enforce-end-uses")
    long = " ".join(["word"] * 81)
    edit(root, "sources/packs.yml", "    bottom_line: >-\n", f"    bottom_line: {long}\n    old_bottom_line: >-\n")
    done = briefing("check", cwd=root)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    out = done.stdout + done.stderr
    rec_line = line_of(root, "sources/recommendations.yml", "  - id: rec-dual-use-exports")
    assert f"sources/recommendations.yml:{rec_line}: error: recommendation 'rec-dual-use-exports' recommends " \
           "'enforce-end-uses', which is not one of its options" in out
    assert "[recommended-option]" in out
    assert "bottom line of 81 words" in out and "[bottom-line-long]" in out


def test_a_bottom_line_section_needs_its_text(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    text = (root / "sources/packs.yml").read_text(encoding="utf-8")
    start = text.index("    bottom_line: >-")
    end = text.index("    gaps: [")
    (root / "sources/packs.yml").write_text(text[:start] + text[end:], encoding="utf-8")
    done = briefing("check", cwd=root)
    out = done.stdout + done.stderr
    assert done.returncode != 0 and "has a 'bottom-line' section but no 'bottom_line' text" in out, out
