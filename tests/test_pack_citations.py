"""Citations in the packs: footnotes with several sources and ranges, and short citations that are never cut
mid-word and always balanced."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pdf_helpers import SHIPPED, load_corpus, make_corpus, render, squash, write

from briefing.shortcite import short_citation, short_title


def test_several_citations_in_one_note_and_a_range(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus", EXAMPLE)
    page = root / "docs" / "themes" / "trade.md"
    text = page.read_text(encoding="utf-8").replace("[@institute2024trade, p. 3]", "[@institute2024trade, pp. 3-5]")
    page.write_text(text, encoding="utf-8")
    pdf = write(tmp_path / "full.pdf", render(load_corpus(root), "full"))
    notes = squash(pdf.text)
    assert "3–5" in notes and "3-5" not in notes
    assert not re.search(r"[^.]\w\.;", notes)  # no sentence stop before the semicolon between two sources
    assert re.search(r"Widget[^;]{5,200}; ", notes)  # the two sources of one mark share one note


def test_every_shipped_short_citation_is_whole_and_balanced() -> None:
    corpus = load_corpus(SHIPPED)
    for source in corpus.sources.values():
        label = short_citation(source)
        assert label.count("\u201c") == label.count("\u201d") == 1 or "\u201c" not in label
        assert label.count("(") == label.count(")"), label
        assert re.search(r"(\d{4}|n\.d\.)$", label), label
        title = " ".join(source.title.replace("{", "").replace("}", "").split())
        shown = short_title(source).removesuffix("\u2026")
        assert title.startswith(shown.replace("\u2018", '"').replace("\u2019", '"')) or \
            title.replace("\u201c", '"').replace("\u201d", '"').startswith(shown.replace("\u2018", '"').replace(
                "\u2019", '"')), (shown, title)
        cut = title[len(shown):len(shown) + 1]
        assert cut in ("", " ", ":", ",", ".", ";") or not shown, (shown, title)  # cut at a word


TITLE = st.text(alphabet=st.sampled_from(list("abc XY():\"\u201c\u201d-,.")), min_size=1, max_size=120)
MODEL = load_corpus(EXAMPLE).sources["ministry2024statement"]


@settings(deadline=None)
@given(TITLE, st.sampled_from(["", "Org (Unit), Town", "Publisher"]))
def test_a_short_citation_is_cut_at_a_word_and_leaves_no_bracket_or_quote_open(title: str, org: str) -> None:
    fields = {k: v for k, v in MODEL.fields.items() if k not in ("author", "institution", "title")}
    fields.update({"title": title, **({"institution": org} if org else {})})
    source = replace(MODEL, fields=fields, names={})
    label, short = short_citation(source), short_title(source)
    assert label.endswith("2024") and (org == "" or label.startswith(org.split(",", maxsplit=1)[0]))
    inner = label[label.find("\u201c") + 1:label.rfind("\u201d")] if "\u201c" in label else ""
    assert inner == short and not any(q in inner for q in '"\u201c\u201d'), label
    if short.endswith("\u2026"):  # cut: at a word, and no bracket left open by the cut
        assert len(short) <= 49
    depth = 0
    for ch in short:  # every bracket it opens, it closes
        depth = max(depth + (ch == "(") - (ch == ")"), 0)
    assert depth == 0, short


def test_number_ranges_in_every_shipped_pack_have_an_en_dash(tmp_path: Path) -> None:
    from pdf_helpers import shipped_packs

    for pid, pdf in shipped_packs(tmp_path / "shipped").items():
        hyphened = re.findall(r"(?<![\d-])\d+-\d+(?:-\d+)?(?![\d-])", pdf.text)
        dates = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")
        assert [h for h in hyphened if not dates.fullmatch(h)] == [], pid
        assert "25\u201350" in pdf.text or pid != "full"  # 'footnotes 25-50' in a gap's question


def test_a_url_or_doi_prints_as_written_and_a_range_beside_it_takes_an_en_dash(tmp_path: Path) -> None:
    """A reader types a printed URL: its hyphens stay hyphens (in the text and in the link), while a range of
    numbers in the same note is set with an en dash."""
    root = make_corpus(tmp_path / "corpus", EXAMPLE)
    bib = root / "sources" / "references.bib"
    url = "https://example.org/reports/2020-2021/trade-12-15"
    head = "@report{institute2024trade,\n"
    bib.write_text(bib.read_text(encoding="utf-8").replace(head, f"{head}  url = {{{url}}},\n"), encoding="utf-8")
    page = root / "docs" / "themes" / "trade.md"
    page.write_text(page.read_text(encoding="utf-8").replace("[@institute2024trade, p. 3]",
                                                             "[@institute2024trade, pp. 3-5]"), encoding="utf-8")
    pdf = write(tmp_path / "full.pdf", render(load_corpus(root), "full"))
    flat = "".join(pdf.text.split())
    assert url in flat and "3\u20135" in flat
    targets = [str(a.get_object()["/A"].get("/URI")) for page in pdf.reader.pages for a in page.get("/Annots") or []
               if "/A" in a.get_object()]
    assert url in targets


@pytest.mark.parametrize(("written", "printed"), [
    ("pp. 101-103", "pp. 101\u2013103"), ("pp. 101-103:", "pp. 101\u2013103:"), ("(2024-2025)", "(2024\u20132025)"),
    ("2025-08-25", "2025-08-25"), ("2023-12", "2023-12"), ("NIST SP 800-53", "NIST SP 800-53"),
    ("GAO-24-106291", "GAO-24-106291"), ("ISSN 0028-0836", "ISSN 0028-0836"), ("ISO 8601-1", "ISO 8601-1"),
    ("ISBN 978-3-16-148410-0", "ISBN 978-3-16-148410-0"), ("10:30-11:00", "10:30-11:00"),
    ("(ISO 8601-1)", "(ISO 8601-1)"), ('"ISSN 0028-0836"', '"ISSN 0028-0836"'),
    ("ISO/IEC 27001-2", "ISO/IEC 27001-2"),  # a cue after a bracket or quote, or in a joint name (review)
])
def test_a_range_takes_an_en_dash_and_an_identifier_keeps_its_hyphens(written: str, printed: str) -> None:
    from briefing.pdf.text import dashed

    assert dashed(written) == printed


@example(["0-0", "0000-00", "0000-0\u0661"])  # month 00 is no month: a range; other digits are not ranges
@given(st.lists(st.one_of(
    st.from_regex(r"[0-9]{1,4}-[0-9]{1,4}", fullmatch=True),
    st.from_regex(r"[0-9]{4}-(0[1-9]|1[0-2])(-[0-9][0-9])?", fullmatch=True),
    st.from_regex(r"(https?://|doi:)[a-z0-9./-]{1,20}", fullmatch=True), st.text("ab-1 ", max_size=6)), max_size=6))
def test_only_hyphens_between_numbers_change_and_never_in_a_date_url_or_doi(words: list[str]) -> None:
    from briefing.pdf.text import dashed

    text = " ".join(words)
    out = dashed(text)
    assert out.replace("\u2013", "-") == text  # nothing but a hyphen ever changes
    for word, printed in zip(text.split(" "), out.split(" "), strict=True):
        literal = "/" in word or ":" in word or re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])(-[0-9][0-9])?", word)
        if literal:
            assert printed == word
        elif re.fullmatch(r"[0-9]+-[0-9]+", word):
            assert printed == word.replace("-", "\u2013")
