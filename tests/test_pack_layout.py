"""Page layout of every shipped pack, read from the real PDFs: no row split across pages (structure tree), no page
that ends near its top (text positions)."""

from __future__ import annotations

from pdf_helpers import Pdf, struct_pages, words

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
