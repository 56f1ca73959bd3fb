"""Page layout of every shipped pack, read from the real PDFs: no row split across pages (structure tree), no page
that ends near its top (text positions)."""

from __future__ import annotations

from pathlib import Path

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


def test_a_contents_long_enough_to_end_its_page_fills_over_40_percent_of_it(tmp_path: Path) -> None:
    """The template ends the contents' page when it has 20 entries or more, without asking where the contents
    ends (so Typst lays the pack out once less). That is the page the position rule would break anyway only if
    20 entries of the shortest title fill more than 40 % of it; and fewer entries leave the first section on it."""
    corpus = load_corpus(make_corpus(tmp_path / "corpus", EXAMPLE))
    pack = corpus.packs["full"]
    data = assemble(at_ceiling(corpus, pack.ceiling), pack, VERSION, None)
    discussion = next(s for s in data["sections"] if s["kind"] == "discussion")
    others = len(data["sections"]) + sum(len(s["items"]) for s in data["sections"] if s["kind"] == "recommendations")
    for entries, first_section_page in ((20, 3), (12, 2)):
        discussion["pages"] = [{"title": "X", "summary": "", "nodes": []} for _ in range(entries - others)]
        pdf = write(tmp_path / f"{entries}.pdf", compile_pdf(data, VERSION.epoch).pdf)
        height = float(pdf.reader.pages[0].mediabox.height)
        assert "Key judgments" in pdf.pages[first_section_page - 1].split("Contents", 1)[-1], entries
        if entries == 20:
            body = [w for w in words(pdf.path, 2) if PAGE_MARGIN < w[1] < height - PAGE_MARGIN]
            assert max(w[3] for w in body) > PAGE_MARGIN + 0.4 * (height - 2 * PAGE_MARGIN)
