"""Page layout of every shipped pack, read from the real PDFs: no row split across pages (structure tree), no page
that ends near its top (text positions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE
from pdf_helpers import VERSION, Pdf, load_corpus, make_corpus, struct_pages, words, write

from briefing.marking import at_ceiling
from briefing.pdf.assemble import assemble
from briefing.pdf.compile import compile_pdf
from briefing.vocab import STATUSES

PAGE_MARGIN = 70  # pt: the running header and footer lie outside this band


def test_no_table_row_split_across_pages(shipped_pdfs: dict[str, Pdf]) -> None:
    for pid, pdf in shipped_pdfs.items():
        rows = struct_pages(pdf.reader, "/TR")
        assert rows or pid == "brief", pid
        split = [pages for _, pages in rows if len(pages) > 1]
        assert split == [], f"{pid}: rows on pages {split}"


def test_no_page_but_the_last_ends_above_a_third_of_its_height(shipped_pdfs: dict[str, Pdf]) -> None:
    for pid, pdf in shipped_pdfs.items():
        height = float(pdf.reader.pages[0].mediabox.height)
        for number in range(1, pdf.count):
            body = [w for w in words(pdf.path, number) if PAGE_MARGIN < w[1] < height - PAGE_MARGIN]
            bottom = max(w[3] for w in body)
            assert bottom > height / 3, f"{pid} page {number} ends at {bottom / height:.0%} of its height"


def test_claim_statements_in_the_evidence_tables_are_set_flush_left(shipped_pdfs: dict[str, Pdf]) -> None:
    for pid in ("full", "drones"):
        pdf = shipped_pdfs[pid]
        checked = 0
        for number in range(1, pdf.count + 1):
            found = words(pdf.path, number)
            status = [w for w in found if w[4] == "Status"]
            if not any(w[4] == "Origins" for w in found) or not status:
                continue
            column = min(w[0] for w in status)  # the second column starts here
            marks = [w[1] for w in found if w[4] in STATUSES and w[0] >= column - 1]  # the rows' status cells
            top, bottom = min(w[1] for w in status), max(marks, default=0) + 30
            body = [w for w in found if top < w[1] < bottom]
            left = min(w[0] for w in body)
            lines: dict[float, float] = {}
            for x0, y0, x1, _, _ in body:
                if x1 < column:
                    lines[round(y0)] = min(lines.get(round(y0), x0), x0)
            starts = list(lines.values())
            checked += len(starts)
            assert all(x - left < 6 for x in starts), f"{pid} page {number}: {sorted(starts)[-3:]} vs {left}"
        assert checked > 10, pid


@pytest.mark.parametrize(("entries", "title", "first_section_page"), [
    (12, "X", 2),  # a short contents: the first section follows on its page
    (20, "X", 3),  # a break that the position rule would make too: over 40 % of the page is filled
    (44, "A title of sixty characters, as a long recommendation's is.", 3),  # still one page
    (52, "X", 3),  # a second page of contents: the first section follows on it, no forced break
    (40, "A title long enough to take two lines in the contents of a pack, as the titles of some discussion pages "
         "written by analysts who like to say everything in a heading do.", 3),
])
def test_a_contents_ends_its_page_by_itself_only_where_the_position_rule_would(
        tmp_path: Path, entries: int, title: str, first_section_page: int) -> None:
    """The template ends the contents' page when it has 20 entries or more and surely fits on one page, without
    asking where the contents ends (so Typst lays the pack out once less). Where it does, the page is over 40 %
    full, as the position rule asks; where the contents runs onto a second page, the first section follows on it
    (a break there would leave a page ending near its top)."""
    corpus = load_corpus(make_corpus(tmp_path / "corpus", EXAMPLE))
    pack = corpus.packs["full"]
    data = assemble(at_ceiling(corpus, pack.ceiling), pack, VERSION, None)
    discussion = next(s for s in data["sections"] if s["kind"] == "discussion")
    others = len(data["sections"]) + sum(len(s["items"]) for s in data["sections"] if s["kind"] == "recommendations")
    discussion["pages"] = [{"title": title, "summary": "", "nodes": []} for _ in range(entries - others)]
    pdf = write(tmp_path / f"{entries}.pdf", compile_pdf(data, VERSION.epoch).pdf)
    height = float(pdf.reader.pages[0].mediabox.height)
    headings = [i + 1 for i, text in enumerate(pdf.pages) if "1 Key judgments" in map(str.strip, text.splitlines())]
    assert headings == [first_section_page], entries
    spilled = ". . ." in pdf.pages[2]  # the contents runs onto page 3, and the first section follows it there
    assert spilled == (entries > 44 or len(title) > 75), entries
    last = first_section_page - 1  # the page before the first section ends below 40 % of its height
    body = [w for w in words(pdf.path, last) if PAGE_MARGIN < w[1] < height - PAGE_MARGIN]
    assert last == 1 or max(w[3] for w in body) > PAGE_MARGIN + 0.4 * (height - 2 * PAGE_MARGIN)
