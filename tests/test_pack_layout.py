"""Page layout of every shipped pack, read from the real PDFs: no row split across pages (structure tree), no page
that ends near its top (text positions)."""

from __future__ import annotations

import pytest
from pdf_helpers import Pdf, shipped_packs, struct_pages, words

PAGE_MARGIN = 70  # pt: the running header and footer lie outside this band


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    return shipped_packs(tmp_path_factory.mktemp("shipped"))


def test_no_table_row_split_across_pages(packs: dict[str, Pdf]) -> None:
    for pid, pdf in packs.items():
        rows = struct_pages(pdf.reader, "/TR")
        assert rows or pid == "brief", pid
        split = [pages for _, pages in rows if len(pages) > 1]
        assert split == [], f"{pid}: rows on pages {split}"


def test_no_page_but_the_last_ends_above_a_third_of_its_height(packs: dict[str, Pdf]) -> None:
    for pid, pdf in packs.items():
        height = float(pdf.reader.pages[0].mediabox.height)
        for number in range(1, pdf.count):
            body = [w for w in words(pdf.path, number) if PAGE_MARGIN < w[1] < height - PAGE_MARGIN]
            bottom = max(w[3] for w in body)
            assert bottom > height / 3, f"{pid} page {number} ends at {bottom / height:.0%} of its height"
