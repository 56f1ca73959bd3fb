"""The shipped corpus (sources/ and docs/ at the repository root): its shape, not a snapshot of its content."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from briefing.citations import CiteGroup, find
from briefing.model import Corpus
from briefing.pipeline import load_and_check
from briefing.problems import Problems
from briefing.vocab import ESTIMATIVE_TERMS, PACK_SECTIONS, RELIABILITY

ROOT = Path(__file__).resolve().parent.parent
ASSESSED = ("confirmed", "reported", "disputed", "denied", "refuted")
REQUIRED_PACKS = ("full", "brief", "drones")


def _review_day() -> dt.date:
    """The newest review date in the corpus: staleness is then judged as of the last review, not the clock."""
    corpus, _ = load_and_check(ROOT)
    days = [dt.date.fromisoformat(c.reviewed) for c in corpus.claims.values() if c.reviewed and len(c.reviewed) == 10]
    return max(days) if days else dt.date.today()


@pytest.fixture(scope="module")
def loaded() -> tuple[Corpus, Problems]:
    return load_and_check(ROOT, today=_review_day())


@pytest.fixture(scope="module")
def corpus(loaded: tuple[Corpus, Problems]) -> Corpus:
    return loaded[0]


def test_no_errors_or_warnings(loaded: tuple[Corpus, Problems]) -> None:
    _, problems = loaded
    bad = [str(p) for p in problems.items if p.severity in ("error", "warning")]
    assert bad == []


def test_corpus_is_not_empty(corpus: Corpus) -> None:
    assert len(corpus.sources) >= 3
    assert len(corpus.claims) >= 20
    assert corpus.figures and corpus.events and corpus.entities and corpus.recommendations and corpus.gaps


def test_settings(corpus: Corpus) -> None:
    config = corpus.config
    assert config.title and config.originator
    assert config.default_marking == "TLP:CLEAR"
    assert config.ceiling == "TLP:CLEAR"
    assert config.stale_days == 180
    assert config.release_tags == "v*"
    assert config.archive is not None


def test_every_source_graded_with_rationale(corpus: Corpus) -> None:
    for source in corpus.sources.values():
        assert source.reliability in RELIABILITY, source.key
        assert source.reliability_note.strip(), source.key
        assert source.descriptor.strip(), source.key
        for parent in source.derived_from:
            assert parent in corpus.sources, (source.key, parent)


def test_held_documents_are_archived_with_checksums(corpus: Corpus) -> None:
    archived = [s for s in corpus.sources.values() if s.archive]
    assert len({s.archive for s in archived}) >= 3
    for source in archived:
        assert source.archive_sha256 and len(source.archive_sha256) == 64, source.key
        path = corpus.config.archive / source.archive if corpus.config.archive else None
        if path is not None and path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == source.archive_sha256, source.key


def test_underlying_reports_are_parents_not_evidence(corpus: Corpus) -> None:
    """Evidence cites documents actually held; sources without a copy appear only as derived_from parents."""
    parents = {p for s in corpus.sources.values() for p in s.derived_from}
    assert parents, "the documents should be linked to the reports they rely on"
    for claim in corpus.claims.values():
        for link in claim.evidence:
            assert corpus.sources[link.source].archive, (claim.id, link.source)


def test_every_claim_has_complete_evidence(corpus: Corpus) -> None:
    for claim in corpus.claims.values():
        assert claim.evidence, claim.id
        assert claim.reviewed, claim.id
        for link in claim.evidence:
            assert link.source in corpus.sources, (claim.id, link.source)
            assert link.locator.strip(), claim.id
            assert link.excerpt.strip() and len(link.excerpt) <= 400, claim.id
            assert link.stance in ("supports", "contradicts", "denies", "mentions"), claim.id
            assert link.credibility in range(1, 7), claim.id


NUMBER_WORDS = {2: ("two", "double"), 3: ("three",), 4: ("four",), 5: ("five",), 33.3: ("a third",)}


def test_every_figure_states_its_value_in_its_own_excerpt(corpus: Corpus) -> None:
    """A key figure is a number a source gives: its value is in the quoted passage, as digits or in words.

    (The checker verifies that the excerpt is verbatim in the source; this ties the number to the excerpt.)
    """
    for figure in corpus.figures.values():
        text = figure.excerpt.replace(",", "").lower()
        digits = f"{figure.value:g}"
        words = NUMBER_WORDS.get(figure.value, ())
        assert digits in text or any(w in text for w in words), (figure.id, figure.value, figure.excerpt)


def test_figures_are_complete(corpus: Corpus) -> None:
    for fig in corpus.figures.values():
        assert fig.unit.strip() and fig.period.strip() and fig.measures.strip(), fig.id
        assert fig.locator.strip() and fig.excerpt.strip(), fig.id
        assert corpus.sources[fig.source].reliability in ("A", "B", "C", "D", "E"), fig.id


def test_events_are_dated_and_sourced(corpus: Corpus) -> None:
    for event in corpus.events.values():
        assert event.date and event.sources, event.id


def test_sanctions_name_authority_and_source(corpus: Corpus) -> None:
    listed = [(e, s) for e in corpus.entities.values() for s in e.sanctions]
    assert listed
    for entity, sanction in listed:
        assert sanction.authority and sanction.source in corpus.sources, entity.id


def test_every_theme_has_a_page(corpus: Corpus) -> None:
    assert corpus.themes
    for theme in corpus.themes.values():
        assert theme.page and theme.page in corpus.pages, theme.id
    for claim in corpus.claims.values():
        assert claim.theme in corpus.themes, claim.id


def test_narrative_pages(corpus: Corpus) -> None:
    assert "index.md" in corpus.pages and "methodology.md" in corpus.pages
    for page in corpus.pages.values():
        for number, line in enumerate(page.text.splitlines(), start=1):
            # a citation group split over two lines is not recognised as a citation at all
            groups = [g for g in find(line) if isinstance(g, CiteGroup) and not g.in_text]
            assert line.count("[@") == len(groups), f"{page.path}: line {number} of the body"
    index = corpus.pages["index.md"]
    assert index.claim_refs and index.citations
    for theme in corpus.themes.values():
        page = corpus.pages[theme.page]
        assert page.claim_refs or page.citations, theme.page


def test_key_judgments(corpus: Corpus) -> None:
    assert 5 <= len(corpus.judgments) <= 7
    for judgment in corpus.judgments.values():
        assert judgment.confidence in ("low", "moderate", "high"), judgment.id
        assert judgment.term in ESTIMATIVE_TERMS, judgment.id
        assert judgment.term in judgment.text.lower(), judgment.id
        assert judgment.claims, judgment.id


def test_recommendations_have_options_and_advocates(corpus: Corpus) -> None:
    for rec in corpus.recommendations.values():
        assert rec.claims and rec.options, rec.id
        for option in rec.options:
            assert option.pros and option.cons and option.risks, (rec.id, option.id)
    advocates = {k for r in corpus.recommendations.values() for o in r.options for k in o.advocated_by}
    assert len(advocates) >= 2, "the options should name which sources argue for them"
    assert any(r.divergence for r in corpus.recommendations.values())


def test_gaps(corpus: Corpus) -> None:
    assert corpus.gaps
    for gap in corpus.gaps.values():
        assert gap.question and gap.why and gap.would_change, gap.id


def test_required_packs(corpus: Corpus) -> None:
    for pid in REQUIRED_PACKS:
        assert pid in corpus.packs, pid
    for pack in corpus.packs.values():
        assert pack.title and pack.audience and pack.purpose and pack.distribution and pack.cutoff, pack.id
        assert pack.ceiling in ("TLP:CLEAR", "TLP:GREEN"), pack.id
    assert set(corpus.packs["full"].sections) == set(PACK_SECTIONS) - {"bottom-line", "recommended"}  # brief's
    brief = corpus.packs["brief"]
    assert brief.max_pages == 2
    assert brief.sections == ["bottom-line", "key-judgments", "recommended", "gaps"]  # the ministerial layout
    assert brief.bottom_line and 2 <= len(brief.gaps) <= 3
    drones = corpus.packs["drones"]
    assert drones.themes == ["drones"]
    assert "key-judgments" in drones.sections
