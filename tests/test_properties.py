"""Rules as properties (hypothesis): citation scanning, YAML lines, excerpt matching, the ceiling cut, diffs."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.changes import compare
from briefing.checks import normalise_text
from briefing.citations import scan
from briefing.errors import MarkingLeak
from briefing.loader import load
from briefing.marking import at_ceiling
from briefing.problems import Problems
from briefing.refs import records
from briefing.vocab import MARKINGS, marking_rank
from briefing.yamlfile import YMap, parse_yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"
keys = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
words = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)


@st.composite
def prose(draw: st.DrawFn) -> tuple[str, list[tuple[str, int]]]:
    """Markdown lines, some with citations, some inside fenced code; returns the text and the expected cites."""
    lines, expected, fenced = [], [], False
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["text", "cite", "fence", "blank"]))
        if kind == "fence":
            lines.append("```")
            fenced = not fenced
        elif kind == "cite":
            key = draw(keys)
            lines.append(f"{draw(words)} [@{key}, p. {draw(st.integers(1, 99))}] {draw(words)}.")
            if not fenced:
                expected.append((key, len(lines)))
        else:
            lines.append(draw(words) if kind == "text" else "")
    return "\n".join(lines), expected


@given(prose(), st.integers(1, 50))
def test_citations_are_found_outside_code_with_their_lines(case: tuple[str, list[tuple[str, int]]],
                                                          first: int) -> None:
    text, expected = case
    citations, _, errors = scan(text, first)
    assert not errors
    assert [(c.key, c.line) for c in citations] == [(k, n + first - 1) for k, n in expected]


@given(st.dictionaries(keys, st.lists(words, max_size=3), min_size=1, max_size=6), st.integers(0, 30))
def test_yaml_remembers_the_line_of_every_key(data: dict[str, list[str]], offset: int) -> None:
    lines = []
    where = {}
    for key, items in data.items():
        where[key] = len(lines) + 1 + offset
        lines.append(f"{key}:" if items else f"{key}: []")
        lines += [f"  - {item}" for item in items]
    parsed = parse_yaml("\n".join(lines), "f.yml", Problems(), offset=offset)
    assert isinstance(parsed, YMap)
    assert {k: parsed.key_lines[k] for k in data} == where


ASCII_TEXT = st.text(st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=60)


@given(ASCII_TEXT, st.sampled_from(["  ", "\n", " \t "]), st.booleans())
def test_an_excerpt_matches_its_copy_whatever_the_spacing_quotes_dashes_and_case(text: str, space: str,
                                                                                  typographic: bool) -> None:
    document = f"Before. {text.upper()} After."
    excerpt = text.replace(" ", space)
    if typographic:
        excerpt = excerpt.replace('"', "\u201c").replace("'", "\u2019").replace("-", "\u2014")
    assert normalise_text(excerpt) in normalise_text(document)


def corpus_with(markings: list[str]):
    corpus = load(EXAMPLE, Problems())
    for (_, record), marking in zip(records(corpus), markings, strict=False):
        record.marking = marking
    return corpus


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(MARKINGS), min_size=20, max_size=20), st.sampled_from(MARKINGS))
def test_the_ceiling_cut_keeps_nothing_above_and_is_idempotent(markings: list[str], ceiling: str) -> None:
    try:
        cut = at_ceiling(corpus_with(markings), ceiling)
    except MarkingLeak as exc:  # a kept record refers to a withheld one: refused, never rendered
        assert "withheld" in str(exc)
    else:
        assert all(marking_rank(r.marking) <= marking_rank(ceiling) for _, r in records(cut))
        assert at_ceiling(cut, ceiling) == cut


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(MARKINGS), st.sampled_from(MARKINGS))
def test_a_corpus_of_one_marking_is_kept_whole_or_cut_whole(marking: str, ceiling: str) -> None:
    """The other branch of the property above, always taken: nothing kept can refer to something withheld."""
    whole = corpus_with([marking] * len(list(records(load(EXAMPLE, Problems())))))
    cut = at_ceiling(whole, ceiling)
    kept = [r for _, r in records(cut)]
    assert len(kept) == (len(list(records(whole))) if marking_rank(marking) <= marking_rank(ceiling) else 0)
    assert at_ceiling(cut, ceiling) == cut


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(MARKINGS))
def test_comparing_a_corpus_with_itself_finds_no_change(ceiling: str) -> None:
    corpus = at_ceiling(load(EXAMPLE, Problems()), ceiling)
    assert compare(corpus, copy.deepcopy(corpus), "v0", "v0", "v0").items == []


def test_a_different_excerpt_does_not_match() -> None:
    assert normalise_text("widget trade fell") not in normalise_text("widget trade rose by a fifth")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_bibtex_decoding_fast_path_agrees_with_the_decoder(value: str) -> None:
    """Field text that skips the LaTeX decoder reads exactly as the decoder would have made it."""
    from briefing.bibliography import _DECODE, _LATEX, decode

    text, error = _DECODE._transform_python_value_string(value)
    if not _LATEX.search(value) and not error:
        assert decode(value) == " ".join(text.split())
