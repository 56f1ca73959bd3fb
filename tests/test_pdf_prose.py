"""Narrative pages in the PDF: the shared Markdown parse, serialised for Typst without losing or running text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_helpers import footnote_pages, load_corpus, render, squash, write

from briefing.pdf.tree import convert, settle_headings

PAGE = """---
title: Tricky trade
---
# Tricky trade

#### Deep heading first

Text with <b>raw html</b> &amp; entities &mdash; and `code #x [y]` and a [link](https://example.org/a_b).

![A chart of widgets](chart.png)

| Sign | Formula |
|------|:-------:|
| `#` | *$x$* [@institute2024trade, tab. 2] |

1. one
    - nested *em*
2. two

> A quote citing [claim:widgets-shipped].

    #let x = 1 // code, kept as it is
    #{ panic() }

!!! warning "Careful"
    Mind the #hash.

## Back to level two

Last words [@ministry2024statement].
"""


@pytest.fixture
def tricky(minimal: Path) -> Path:
    (minimal / "docs" / "themes" / "trade.md").write_text(PAGE, encoding="utf-8")
    return minimal


def test_every_markdown_construct_prints_as_text(tricky: Path, tmp_path: Path) -> None:
    pdf = write(tmp_path / "t.pdf", render(load_corpus(tricky), "full"))
    text = squash(pdf.text)
    for expected in ("4.1 Tricky trade", "Deep heading first", "Back to level two",
                     "Text with raw html & entities — and code #x [y] and a link.", "[Image: A chart of widgets]",
                     "Sign Formula", "$x$", "nested em", "A quote citing (disputed).",
                     "#let x = 1 // code, kept as it is", "#{ panic() }", "Careful", "Mind the #hash.",
                     "Richard Roe and Anna Poe, Widget Trade in 2023 (Example Institute, 2024), tbl. 2."):
        assert expected in text, expected
    assert "Tricky trade Tricky trade" not in text  # the page's own title is the section heading, once
    assert len(footnote_pages(pdf)) == 2


def test_code_blocks_keep_their_lines_and_citations_resolve() -> None:
    nodes = convert("Para [@a, p. 1; @b].\n\n    line one\n      line two\n", cite=lambda el: {"t": "cite", "keys": [
        c.get("data-key") for c in el]}, claim=lambda ident: ident)
    assert nodes[0] == {"t": "p", "c": ["Para.", {"t": "cite", "keys": ["a", "b"]}]}
    assert nodes[1] == {"t": "pre", "text": "line one\n  line two"}


def test_heading_levels_never_skip() -> None:
    nodes = [{"t": "h", "level": 4, "c": []}, {"t": "h", "level": 6, "c": []}, {"t": "h", "level": 2, "c": []},
             {"t": "quote", "c": [{"t": "h", "level": 3, "c": []}]}, {"t": "h", "level": 5, "c": []}]
    settle_headings(nodes, base=3)
    assert [nodes[0]["level"], nodes[1]["level"], nodes[2]["level"], nodes[3]["c"][0]["level"],
            nodes[4]["level"]] == [3, 4, 3, 4, 5]


@pytest.mark.parametrize(("markdown", "expected"), [
    ("graded C [@k]. Fear", ["graded C.", "NOTE", " Fear"]),  # after the full stop, as notes are set
    ("see Roe [@k], then", ["see Roe,", "NOTE", " then"]),
    ("is it [@k]?! Yes", ["is it?!", "NOTE", " Yes"]),
    ("graded C [@k] and", ["graded C\u202f", "NOTE", " and"]),  # 'C' and a mark 2 would read as the grade C2
    ("two [@a] [@b]. Next", ["two.", "NOTE", "NOTE", " Next"]),  # before the marks of a run of citations
    ("graded C [@a] [@b]. Next", ["graded C.", "NOTE", "NOTE", " Next"]),  # no narrow space before the stop
    ("graded C [@a], [@b]. Next", ["graded C,", "NOTE", ".", "NOTE", " Next"]),  # each mark after its own stop
    ("a list, [@k]. Next", ["a list,", "NOTE", ". Next"]),  # never two stops in a row (',.')
    ("(see Roe [@k]).", ["(see Roe", "NOTE", ")."]),  # a note inside brackets stays inside them
    ("last word [@k]", ["last word", "NOTE"]),
])
def test_a_footnote_mark_follows_punctuation_and_never_reads_as_part_of_a_grade(markdown: str,
                                                                                 expected: list[str]) -> None:
    nodes = convert(markdown, cite=lambda el: {"t": "cite"}, claim=lambda ident: ident)
    assert [n if isinstance(n, str) else "NOTE" for n in nodes[0]["c"]] == expected


@pytest.mark.parametrize(("markdown", "expected"), [
    ("graded **C** [@k] and", ["graded ", {"t": "strong", "c": ["C\u202f"]}, {"t": "cite"}, " and"]),
    ("graded *B* [@k] and", ["graded ", {"t": "em", "c": ["B\u202f"]}, {"t": "cite"}, " and"]),
    ("graded **C** [@k]. Fear", ["graded ", {"t": "strong", "c": ["C"]}, ".", {"t": "cite"}, " Fear"]),
    ("graded **C** [@k] [@j]. Fear", ["graded ", {"t": "strong", "c": ["C"]}, ".", {"t": "cite"}, {"t": "cite"},
                                      " Fear"]),  # no narrow space left before the full stop
    ("a **bold word** [@k] and", ["a ", {"t": "strong", "c": ["bold word"]}, {"t": "cite"}, " and"]),
])
def test_a_grade_in_emphasis_keeps_its_space_before_a_footnote_mark(markdown: str, expected: list) -> None:
    """'**C**' then a mark 2 would read as the grade C2 as surely as plain 'C' would."""
    nodes = convert(markdown, cite=lambda el: {"t": "cite"}, claim=lambda ident: ident)
    assert nodes[0]["c"] == expected
