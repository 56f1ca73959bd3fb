"""Tagged PDF/UA-1 for every shipped pack: the pdfua checker (the machine-checkable subset of PDF/UA-1 and WCAG that
installs here; veraPDF does not), and the structure a screen-reader user moves by: the cover title is the first
heading, recommendation titles are headings and bookmarks, no heading is empty."""

from __future__ import annotations

from itertools import pairwise

from pdf_helpers import Pdf, squash, struct_pages
from pdfua import validate

from briefing.model import Corpus

KNOWN_BROKEN = {"UA-14-001"}  # pdfua 0.1.3 raises on Typst's heading tags; test_headings_* below checks the same


def test_pdfua_checker_finds_nothing(shipped_pdfs: dict[str, Pdf]) -> None:
    for pid, pdf in shipped_pdfs.items():
        report = validate(str(pdf.path))
        assert [(f.rule_id, f.message) for f in report.findings] == [], pid
        assert {s.rule_id for s in report.skipped} <= KNOWN_BROKEN, (pid, report.skipped)
        assert report.exit_code == 0


def headings(pdf: Pdf) -> list[tuple[int, str]]:
    """(level, text) of every heading tag in reading order, from the structure tree and the tags' own text."""
    out = []

    def walk(node, depth=0):
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict):
            return
        role = str(node.get("/S", ""))
        if role in {f"/H{n}" for n in range(1, 7)}:
            out.append((int(role[2]), str(node.get("/T", ""))))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            walk(kid, depth + 1)

    walk(pdf.reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def bookmarks(pdf: Pdf) -> list[str]:
    found, stack = [], list(pdf.reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        else:
            found.append(squash(item.title))
    return found


def test_headings_start_with_the_cover_title_and_never_skip_a_level(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    for pid, pdf in shipped_pdfs.items():
        found = headings(pdf)
        assert found[0] == (1, shipped_corpus.packs[pid].title), pid
        assert all(text.strip() for _, text in found), pid
        levels = [level for level, _ in found]
        assert all(b <= a + 1 for a, b in pairwise(levels)), (pid, found)
        assert all(pages for _, pages in struct_pages(pdf.reader, "/H1")), pid


def test_recommendation_titles_are_headings_and_bookmarks(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    for pid, pdf in shipped_pdfs.items():
        sections = shipped_corpus.packs[pid].sections
        titles = [r.title for r in shipped_corpus.recommendations.values()
                  if "recommendations" in sections or ("recommended" in sections and r.recommended)]
        if pid == "drones":
            titles = [r.title for r in shipped_corpus.recommendations.values() if r.theme == "drones"]
        assert titles, pid
        marks = " | ".join(bookmarks(pdf))
        tags = [text for level, text in headings(pdf) if level == 2]
        for title in titles:
            assert title in tags, (pid, title)
            assert title in marks, (pid, title)


def test_link_descriptions_name_their_target(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    openings = {c.opening(60) for c in shipped_corpus.claims.values()}
    for pid, pdf in shipped_pdfs.items():
        described = [str(ref.get_object().get("/Contents", "")) for page in pdf.reader.pages
                     for ref in page.get("/Annots") or [] if ref.get_object().get("/Subtype") == "/Link"]
        assert described, pid
        # a footnote mark is described by its number (Typst's own, not settable from the template); every other
        # link names its target: a contents entry its heading, a claim reference the claim
        assert [d for d in described if d.startswith("page ") or not d.strip()] == [], pid
        claims = [d for d in described if d.startswith("Claim \u201c")]
        assert claims or pid == "brief", pid
        for d in claims:
            assert d.split("\u201c", 1)[1].rsplit("\u201d", 1)[0] in openings, d
